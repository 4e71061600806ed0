import fs from 'node:fs';
import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { PRICE_REFRESH_SCHEDULE } from './PriceCache';

const ROOT = 'costscope.recommendations.prices';

/** Where recommendations' on-demand prices come from besides the modules' price sources. */
export interface PricesConfig {
  /** A prices file (a `PriceSnapshot` as JSON) loaded into the price cache, as source `prices-file`. */
  file?: string;
  /** How often the price sources are read; daily by default. */
  schedule: SchedulerServiceTaskScheduleDefinition;
}

/**
 * Reads `costscope.recommendations.prices`. Throws an Error naming the key: a file that does
 * not exist stops the backend at start rather than leaving every tip without a price.
 */
export function readPricesConfig(root: Config): PricesConfig {
  const config = root.getOptionalConfig(ROOT);
  const file = config?.getOptionalString('file');
  if (file !== undefined) {
    if (file.trim() === '') {
      throw new Error(`${ROOT}.file must name a file, got an empty string`);
    }
    if (!fs.existsSync(file)) {
      throw new Error(
        `${ROOT}.file: no file at ${file} (relative paths start from ${process.cwd()})`,
      );
    }
  }
  return {
    ...(file !== undefined ? { file } : {}),
    schedule: config?.has('schedule')
      ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
          config.getConfig('schedule'),
        )
      : PRICE_REFRESH_SCHEDULE,
  };
}
