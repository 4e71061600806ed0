import { Config } from '@backstage/config';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';

export interface ChargebackConfig {
  sharedCost: 'own-line' | 'proportional';
  sharedEntities: string[];
}

/** Reads `costscope.chargeback`; a bad entry stops the backend naming it. */
export function readChargebackConfig(root: Config): ChargebackConfig {
  const config = root.getOptionalConfig('costscope.chargeback');
  const sharedCost = config?.getOptionalString('sharedCost') ?? 'own-line';
  if (sharedCost !== 'own-line' && sharedCost !== 'proportional') {
    throw new Error(
      `costscope.chargeback.sharedCost '${sharedCost}' must be own-line or proportional`,
    );
  }
  const sharedEntities = (
    config?.getOptionalStringArray('sharedEntities') ?? []
  ).map((ref, index) => {
    try {
      return stringifyEntityRef(parseEntityRef(ref)).toLocaleLowerCase('en-US');
    } catch (error) {
      throw new Error(
        `costscope.chargeback.sharedEntities[${index}] '${ref}' is not an entity ref: ${
          (error as Error).message
        }`,
      );
    }
  });
  return { sharedCost, sharedEntities };
}
