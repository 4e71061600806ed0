import { Entity } from '@backstage/catalog-model';
import { JsonObject } from '@backstage/types';

/** A small catalog entity for tests. */
export function entity(
  kind: string,
  name: string,
  spec: JsonObject = {},
  annotations: Record<string, string> = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind,
    metadata: { name, namespace: 'default', annotations },
    spec,
  };
}
