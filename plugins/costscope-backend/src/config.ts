import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { COST_BASES, CostBasis } from '@costscope/backstage-plugin-common';
import { ConventionOptions } from './allocation/rules';
import {
  ExchangeRatesConfig,
  readExchangeRatesConfig,
} from './currency/readExchangeRates';
import {
  KubernetesConfig,
  readKubernetesConfig,
} from './kubernetes/readKubernetesConfig';
import {
  ObjectStoreSourceConfig,
  readObjectStoreSourceConfig,
} from './sources/objectStore/objectStoreSourceConfig';

export interface FocusSourceConfig {
  id: string;
  type: 'focus';
  paths: string[];
  /** When set, lines in another currency are rejected; otherwise any convertible currency. */
  currency?: string;
  schedule: SchedulerServiceTaskScheduleDefinition;
}

/** A FOCUS export in a bucket or container, with the settings every cost source has. */
export type ObjectStoreCostSourceConfig = ObjectStoreSourceConfig & {
  currency?: string;
  schedule: SchedulerServiceTaskScheduleDefinition;
};

export type CostSourceConfig = FocusSourceConfig | ObjectStoreCostSourceConfig;

export interface InventoryFileSourceConfig {
  id: string;
  type: 'inventory-file';
  path: string;
  schedule: SchedulerServiceTaskScheduleDefinition;
}

export interface CostscopeConfig {
  /** The reporting currency: every amount is stored and shown in it. */
  currency: string;
  /** Rates that convert lines billed in other currencies into the reporting currency. */
  exchangeRates: ExchangeRatesConfig;
  /** The basis of requests that name none. */
  costBasis: CostBasis;
  maxRejectedShare: number;
  /** Cost sources: FOCUS exports on local disk, in S3 or in Azure Blob Storage. */
  sources: CostSourceConfig[];
  /** Inventory sources declared in config (modules add others, such as EC2). */
  inventorySources: InventoryFileSourceConfig[];
  allocation: {
    caseInsensitiveTagKeys: boolean;
    conventions: ConventionOptions;
    schedule: SchedulerServiceTaskScheduleDefinition;
  };
  /** Shared clusters whose node cost is split over their workloads. */
  kubernetes: KubernetesConfig;
}

const DEFAULT_SOURCE_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { hours: 1 },
  timeout: { minutes: 30 },
  initialDelay: { seconds: 5 },
};

const DEFAULT_ALLOCATION_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 2 },
  timeout: { minutes: 10 },
  initialDelay: { seconds: 10 },
};

/** `costscope.commitments.unusedOwner` as a full, lower-case entity ref. */
function readUnusedOwner(config: Config | undefined): string | undefined {
  const ref = config?.getOptionalString('commitments.unusedOwner');
  if (ref === undefined) return undefined;
  try {
    return stringifyEntityRef(
      parseEntityRef(ref, { defaultKind: 'group', defaultNamespace: 'default' }),
    ).toLocaleLowerCase('en-US');
  } catch (error) {
    throw new Error(
      `costscope.commitments.unusedOwner '${ref}' is not an entity ref: ${
        (error as Error).message
      }`,
    );
  }
}

/**
 * Reads and checks `costscope` config. Throws an error naming the bad key, which stops the
 * backend at start rather than failing later.
 */
export function readCostscopeConfig(root: Config): CostscopeConfig {
  const config = root.getOptionalConfig('costscope');
  const currency = (
    config?.getOptionalString('currency') ?? 'USD'
  ).toUpperCase();
  if (!/^[A-Z]{3}$/.test(currency)) {
    throw new Error(
      `costscope.currency '${currency}' is not an ISO 4217 currency code`,
    );
  }
  const costBasis = (config?.getOptionalString('costBasis') ??
    'effective') as CostBasis;
  if (!COST_BASES.includes(costBasis)) {
    throw new Error(
      `costscope.costBasis '${costBasis}' is not one of ${COST_BASES.join(
        ', ',
      )}`,
    );
  }
  const maxRejectedShare =
    config?.getOptionalNumber('maxRejectedShare') ?? 0.05;
  if (!(maxRejectedShare >= 0 && maxRejectedShare <= 1)) {
    throw new Error(
      `costscope.maxRejectedShare must be between 0 and 1, got ${maxRejectedShare}`,
    );
  }

  const ids = new Set<string>();
  const sources: CostSourceConfig[] = [];
  const inventorySources: InventoryFileSourceConfig[] = [];
  (config?.getOptionalConfigArray('sources') ?? []).forEach((source, index) => {
    const where = `costscope.sources[${index}]`;
    const id = source.getString('id');
    if (!/^[a-z0-9][a-z0-9._-]*$/i.test(id)) {
      throw new Error(
        `${where}.id '${id}' may only hold letters, digits, '.', '_' and '-'`,
      );
    }
    if (ids.has(id))
      throw new Error(`${where}.id '${id}' is used by another source`);
    ids.add(id);
    const type = source.getString('type');
    const schedule = source.has('schedule')
      ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
          source.getConfig('schedule'),
        )
      : DEFAULT_SOURCE_SCHEDULE;
    if (type === 'inventory-file') {
      inventorySources.push({
        id,
        type,
        path: source.getString('path'),
        schedule,
      });
      return;
    }
    if (!['focus', 's3', 'azure-blob'].includes(type)) {
      throw new Error(
        `${where}.type '${type}' is not supported (supported: focus, s3, azure-blob, inventory-file)`,
      );
    }
    const sourceCurrency = source.getOptionalString('currency')?.toUpperCase();
    if (sourceCurrency !== undefined && !/^[A-Z]{3}$/.test(sourceCurrency)) {
      throw new Error(
        `${where}.currency '${sourceCurrency}' is not an ISO 4217 currency code`,
      );
    }
    if (type !== 'focus') {
      sources.push({
        ...readObjectStoreSourceConfig(source, id, where),
        currency: sourceCurrency,
        schedule,
      });
      return;
    }
    const paths = source.getStringArray('paths');
    if (paths.length === 0) throw new Error(`${where}.paths is empty`);
    sources.push({
      id,
      type: 'focus',
      paths,
      currency: sourceCurrency,
      schedule,
    });
  });

  const allocation = config?.getOptionalConfig('allocation');
  const conventions = allocation?.getOptionalConfig('conventions');
  return {
    currency,
    exchangeRates: readExchangeRatesConfig(root, currency),
    costBasis,
    maxRejectedShare,
    sources,
    inventorySources,
    allocation: {
      caseInsensitiveTagKeys:
        allocation?.getOptionalBoolean('caseInsensitiveTagKeys') ?? true,
      conventions: {
        unusedCommitmentOwner: readUnusedOwner(config),
        componentTagKeys: conventions?.getOptionalStringArray(
          'componentTagKeys',
        ) ?? ['service'],
        groupTagKeys: conventions?.getOptionalStringArray('groupTagKeys') ?? [
          'team',
        ],
      },
      schedule: allocation?.has('schedule')
        ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
            allocation.getConfig('schedule'),
          )
        : DEFAULT_ALLOCATION_SCHEDULE,
    },
    kubernetes: readKubernetesConfig(root),
  };
}
