export { AsyncContent, fullWidthGridItem } from './AsyncContent';
export type { AsyncContentProps, AsyncState } from './AsyncContent';
