import { LoggerService } from '@backstage/backend-plugin-api';
import {
  countApiCall,
  newRunRecord,
  RunRecording,
} from '../ingest/runRecord';
import { IngestRun } from '@costscope/backstage-plugin-common';
import {
  InventoryResource,
  InventorySource,
} from '@costscope/backstage-plugin-node';
import { SerialQueue } from '../lib/SerialQueue';
import { InventoryStore } from '../store/InventoryStore';

export interface InventoryEngineOptions {
  inventory: InventoryStore;
  /** Where runs are recorded, beside the cost sources' runs. */
  runs: RunRecording;
  logger: LoggerService;
  queue?: SerialQueue;
}

/**
 * Reads inventory sources and replaces each source's stored snapshot when the read
 * succeeds; a failed read is recorded and leaves the previous snapshot.
 */
export class InventoryEngine {
  private readonly queue: SerialQueue;

  constructor(private readonly options: InventoryEngineOptions) {
    this.queue = options.queue ?? new SerialQueue();
  }

  run(
    source: InventorySource,
    trigger: IngestRun['trigger'],
  ): Promise<IngestRun> {
    return this.queue.run(() => this.runNow(source, trigger));
  }

  private async runNow(
    source: InventorySource,
    trigger: IngestRun['trigger'],
  ): Promise<IngestRun> {
    const { inventory, runs, logger } = this.options;
    const started = Date.now();
    const run = newRunRecord(source.id, 'inventory', trigger, started);
    await runs.startRun(run);
    try {
      const resources: InventoryResource[] = [];
      const seen = new Set<string>();
      for await (const resource of source.read({
        logger,
        apiCall: operation => {
          countApiCall(run, operation);
        },
      })) {
        run.rowsRead += 1;
        if (seen.has(resource.resourceId)) {
          throw new Error(
            `Inventory source '${source.id}' yielded resource '${resource.resourceId}' twice`,
          );
        }
        seen.add(resource.resourceId);
        resources.push(resource);
      }
      await inventory.replaceSnapshot(source.id, resources, run.startedAt);
      run.factsWritten = resources.length;
      run.status = 'succeeded';
    } catch (error) {
      run.status = 'failed';
      run.error = error instanceof Error ? error.message : String(error);
      logger.error(
        `Costscope inventory read of '${source.id}' failed, previous snapshot kept: ${run.error}`,
      );
    }
    run.finishedAt = new Date().toISOString();
    run.durationMs = Date.now() - started;
    await runs.finishRun(run);
    logger.info(
      `Costscope inventory of '${source.id}' ${run.status}: ${run.factsWritten} resources, ` +
        `${Object.values(run.apiCalls).reduce((a, b) => a + b, 0)} API calls, ${
          run.durationMs
        } ms`,
    );
    return run;
  }
}
