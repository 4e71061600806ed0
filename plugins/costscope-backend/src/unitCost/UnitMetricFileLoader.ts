import fs from 'node:fs/promises';
import { LoggerService, SchedulerService } from '@backstage/backend-plugin-api';
import { UnitMetricInfo } from '@costscope/backstage-plugin-common';
import { UnitMetricStore } from '../store/UnitMetricStore';
import { UnitMetricRow } from '../store/types';
import {
  parseMetricDay,
  parseMetricEntityRef,
  parseMetricName,
  parseMetricValue,
} from './parseUnitMetrics';
import { UnitMetricFileConfig } from './readUnitCostConfig';

const HEADER = 'date,entity_ref,metric,value';

/**
 * Reads a metrics CSV: the header `date,entity_ref,metric,value`, then one value per line
 * (no quoting: no field of the format holds a comma). Each row is checked as a pushed value
 * is, but for its entity, which the catalog may not have allocated yet when the file is
 * first read. Throws an error naming the file and line of the first bad row.
 */
export function parseUnitMetricFile(
  text: string,
  path: string,
  rules: { metrics: ReadonlySet<string>; today: string },
): UnitMetricRow[] {
  const lines = text.split(/\r?\n/);
  if (lines[0]?.replace(/^\uFEFF/, '').trim() !== HEADER) {
    throw new Error(`${path}:1: the first line must be the header ${HEADER}`);
  }
  const rows: UnitMetricRow[] = [];
  const seen = new Set<string>();
  lines.forEach((line, index) => {
    if (index === 0 || line.trim() === '') return;
    const at = `${path}:${index + 1}`;
    try {
      const fields = line.split(',').map(field => field.trim());
      if (fields.length !== 4) {
        throw new Error(`has ${fields.length} fields, expected 4 (${HEADER})`);
      }
      const [date, ref, name, value] = fields;
      const day = parseMetricDay(date, 'date', rules.today);
      const entityRef = parseMetricEntityRef(ref, 'entity_ref');
      const metric = parseMetricName(name, 'metric', rules.metrics);
      const key = JSON.stringify([entityRef, metric, day]);
      if (seen.has(key)) {
        throw new Error(`${entityRef} ${metric} ${day} appears twice`);
      }
      seen.add(key);
      rows.push({
        entityRef,
        metric,
        day,
        valueNanos: parseMetricValue(value, 'value'),
      });
    } catch (error) {
      throw new Error(`${at}: ${(error as Error).message}`);
    }
  });
  return rows;
}

export interface UnitMetricFileLoaderOptions {
  file: UnitMetricFileConfig;
  metrics: UnitMetricInfo[];
  store: UnitMetricStore;
  logger: LoggerService;
}

/**
 * The demo's and simple setups' metric source: `costscope.unitCost.file`, read whole at
 * start and on its schedule, and stored in one transaction (a bad file stores nothing and
 * leaves what an earlier read stored).
 */
export class UnitMetricFileLoader {
  constructor(private readonly options: UnitMetricFileLoaderOptions) {}

  async start(scheduler: SchedulerService): Promise<void> {
    await scheduler.scheduleTask({
      id: 'costscope-unit-metrics-file',
      ...this.options.file.schedule,
      fn: async () => {
        try {
          await this.load();
        } catch (error) {
          this.options.logger.error(
            `Costscope could not read unit metrics: ${
              (error as Error).message
            }`,
          );
        }
      },
    });
  }

  /** Reads and stores the file; returns how many values it stored. */
  async load(now: Date = new Date()): Promise<number> {
    const { file, metrics, store, logger } = this.options;
    const text = await fs.readFile(file.path, 'utf8');
    const rows = parseUnitMetricFile(text, file.path, {
      metrics: new Set(metrics.map(m => m.name)),
      today: now.toISOString().slice(0, 10),
    });
    const stored = await store.upsert(rows, 'file', now);
    logger.info(
      `Costscope stored ${stored} unit metric values from ${file.path}`,
    );
    return stored;
  }
}
