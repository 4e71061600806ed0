import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  CostLine,
  CostSource,
  CostSourceReadContext,
} from '@costscope/backstage-plugin-node';
import { JsonObject } from '@backstage/types';
import { readFocusFileForRun } from '../focus/readFocusInput';
import { ExportLayout, PeriodDelivery } from './ExportLayout';
import { ObjectStore } from './ObjectStore';

/** Options of a FOCUS export source in a bucket or container. */
export interface ObjectStoreFocusSourceOptions {
  id: string;
  store: ObjectStore;
  layout: ExportLayout;
  /** The export's root under which the layout finds its periods. */
  prefix: string;
  /** Rows in another currency are rejected. */
  currency?: string;
  /** Where objects are copied while they are read; the OS's temporary directory by default. */
  workDirectory?: string;
}

const messageOf = (error: unknown) =>
  (error as { message?: string })?.message ?? String(error);

/** What a successful run remembers: per billing period, the signature of what it read. */
interface DeliveryState extends JsonObject {
  periods: Record<string, string>;
}

/** Changes when the delivery or any of its objects changes. */
function signatureOf(delivery: PeriodDelivery): string {
  return [
    delivery.deliveryId,
    ...delivery.objects.map(object => `${object.key}@${object.etag}`),
  ].join('|');
}

/**
 * FOCUS exports where the clouds write them (S3, Azure Blob Storage): each billing period's
 * current delivery, as the layout names it, replaces that period once. Incremental: a period
 * whose delivery has not changed since the last successful run is not read again, and its
 * stored facts stay. A delivery still being written (it names objects not yet visible) is
 * left for a later run, keeping the period's earlier data.
 */
export class ObjectStoreFocusSource implements CostSource {
  readonly id: string;
  readonly description: string;

  constructor(private readonly options: ObjectStoreFocusSourceOptions) {
    this.id = options.id;
    this.description = `FOCUS exports at ${options.store.location}/${options.prefix}`;
  }

  async *read(context: CostSourceReadContext): AsyncIterable<CostLine> {
    for await (const lines of this.readBatches(context)) {
      for (const line of lines) yield line;
    }
  }

  async *readBatches(
    context: CostSourceReadContext,
  ): AsyncIterable<CostLine[]> {
    const { store, layout, prefix } = this.options;
    const deliveries = await layout
      .currentDeliveries(store, prefix, context.signal)
      .catch(error => {
        throw new Error(
          `Source '${this.id}' could not list ${
            store.location
          }/${prefix}: ${messageOf(error)}`,
          { cause: error },
        );
      });
    const previous = ((await context.state.get()) as DeliveryState | undefined)
      ?.periods;
    const periods: Record<string, string> = { ...previous };
    const workDirectory = await fs.mkdtemp(
      path.join(this.options.workDirectory ?? os.tmpdir(), 'costscope-'),
    );
    try {
      for (const delivery of deliveries) {
        context.signal?.throwIfAborted();
        const signature = signatureOf(delivery);
        if (delivery.missing.length > 0) {
          context.logger.warn(
            `Source '${this.id}': the delivery ${
              delivery.deliveryId
            } of ${delivery.billingPeriod.slice(0, 7)} ` +
              `names ${delivery.missing.length} object(s) not yet visible (${delivery.missing[0]}); ` +
              'the period keeps its earlier data until a later run',
          );
          delivery.objects.forEach(object =>
            context.fileSkipped(object.key, 'delivery incomplete'),
          );
          continue;
        }
        if (previous?.[delivery.billingPeriod] === signature) {
          delivery.objects.forEach(object =>
            context.fileSkipped(object.key, 'unchanged'),
          );
          continue;
        }
        for (const object of delivery.objects) {
          const local = path.join(
            workDirectory,
            path.basename(object.key) || 'object',
          );
          await store.download(object, local, context.signal);
          yield* readFocusFileForRun(
            local,
            object.key,
            this.options.currency,
            context,
          );
          await fs.rm(local, { force: true });
        }
        periods[delivery.billingPeriod] = signature;
      }
      context.state.set({ periods } satisfies DeliveryState);
    } finally {
      await fs.rm(workDirectory, { recursive: true, force: true });
    }
  }
}
