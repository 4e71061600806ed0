import { IngestRun } from '@costscope/backstage-plugin-common';
import { RunStore } from '../store/RunStore';

/** How often a run in progress records that it is alive. */
const HEARTBEAT_MS = 30_000;
/** A run without a heartbeat for this long belonged to a backend that stopped during it. */
const ABANDONED_AFTER_MS = 5 * 60_000;

export interface RunRecorderOptions {
  /** Defaults to 30 seconds. */
  heartbeatMs?: number;
  /** Defaults to 5 minutes; keep it several heartbeats long. */
  abandonedAfterMs?: number;
}

/**
 * Keeps the records of source runs honest: a run beats while it lasts, and a run whose
 * backend was killed during it (no heartbeat for a while) is closed as abandoned rather
 * than staying "running" for ever.
 */
export class RunRecorder {
  private readonly heartbeats = new Map<string, NodeJS.Timeout>();
  private readonly heartbeatMs: number;
  private readonly abandonedAfterMs: number;

  constructor(
    private readonly store: RunStore,
    options: RunRecorderOptions = {},
  ) {
    this.heartbeatMs = options.heartbeatMs ?? HEARTBEAT_MS;
    this.abandonedAfterMs = options.abandonedAfterMs ?? ABANDONED_AFTER_MS;
  }

  /**
   * Records a run as running and keeps its heartbeat until `finishRun`. Runs that stopped
   * beating are closed as abandoned first: their backend was killed during them.
   */
  async startRun(
    run: Pick<IngestRun, 'id' | 'sourceId' | 'kind' | 'trigger' | 'startedAt'>,
  ): Promise<void> {
    await this.closeAbandonedRuns();
    await this.store.insertRun(run);
    const timer = setInterval(() => {
      this.store
        .updateHeartbeat(run.id, new Date().toISOString())
        // A missed beat is harmless: the run is only called abandoned after several.
        .catch(() => {});
    }, this.heartbeatMs);
    timer.unref();
    this.heartbeats.set(run.id, timer);
  }

  async finishRun(run: IngestRun): Promise<void> {
    clearInterval(this.heartbeats.get(run.id));
    this.heartbeats.delete(run.id);
    await this.store.finishRun(run);
  }

  /** The latest runs, newest first, after closing abandoned ones. */
  async listRuns(limit: number): Promise<IngestRun[]> {
    await this.closeAbandonedRuns();
    return await this.store.listRuns(limit);
  }

  /**
   * Marks runs whose heartbeat stopped as failed, ending at their last heartbeat. Called when
   * a run starts and when runs are listed, so a run cut off by a kill does not stay running.
   */
  async closeAbandonedRuns(now = Date.now()): Promise<number> {
    return await this.store.closeRunsSilentSince(
      new Date(now - this.abandonedAfterMs).toISOString(),
    );
  }
}
