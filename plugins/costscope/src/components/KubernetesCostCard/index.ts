export { KubernetesCostCard, kubernetesShare } from './KubernetesCostCard';
export type { KubernetesCostCardProps } from './KubernetesCostCard';
