import type { Entity } from '@backstage/catalog-model';
import { COST_MAPPING_ANNOTATIONS } from '@costscope/backstage-plugin-common';

const COST_KINDS = new Set(['component', 'system', 'domain', 'group']);

/**
 * True when Costscope can show cost for the entity: components, systems, domains and
 * groups (cost rolls up along the catalog), and any entity carrying a cost mapping annotation.
 * For use with `EntitySwitch` and `EntityLayout.Route`'s `if`.
 * @public
 */
export function isCostscopeAvailable(entity: Entity): boolean {
  if (COST_KINDS.has(entity.kind.toLocaleLowerCase('en-US'))) {
    return true;
  }
  const annotations = entity.metadata.annotations ?? {};
  return COST_MAPPING_ANNOTATIONS.some(name => Boolean(annotations[name]));
}
