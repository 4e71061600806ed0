import { Knex } from 'knex';
import {
  IngestRejection,
  IngestRun,
  moneyToNanos,
  nanosToMoney,
} from '@costscope/backstage-plugin-common';

/** Reads and writes the records of source runs (cost and inventory) and their heartbeats. */
export class RunStore {
  constructor(private readonly knex: Knex) {}

  /** Records a run as running, its heartbeat at its start. */
  async insertRun(
    run: Pick<IngestRun, 'id' | 'sourceId' | 'kind' | 'trigger' | 'startedAt'>,
  ): Promise<void> {
    await this.knex('costscope_ingest_runs').insert({
      id: run.id,
      source_id: run.sourceId,
      kind: run.kind,
      trigger: run.trigger,
      status: 'running',
      started_at: run.startedAt,
      heartbeat_at: run.startedAt,
    });
  }

  /** Records that a run still running was alive at `at` (ISO time). */
  async updateHeartbeat(runId: string, at: string): Promise<void> {
    await this.knex('costscope_ingest_runs')
      .where({ id: runId, status: 'running' })
      .update({ heartbeat_at: at });
  }

  async finishRun(run: IngestRun): Promise<void> {
    await this.knex('costscope_ingest_runs')
      .where({ id: run.id })
      .update({
        status: run.status,
        finished_at: run.finishedAt ?? null,
        duration_ms: run.durationMs ?? null,
        files_read: run.filesRead,
        files_skipped: run.filesSkipped,
        inputs: JSON.stringify(run.inputs),
        rows_read: run.rowsRead,
        rows_rejected: run.rowsRejected,
        facts_written: run.factsWritten,
        billing_periods: JSON.stringify(run.billingPeriods),
        days_replaced: run.daysReplaced
          ? JSON.stringify(run.daysReplaced)
          : null,
        rejections: JSON.stringify(run.rejections),
        api_calls: JSON.stringify(run.apiCalls),
        api_cost_nanos: moneyToNanos(run.apiCostUsd).toString(),
        error: run.error ?? null,
      });
  }

  /**
   * Marks running runs whose last heartbeat (or start, without one) is before `cutoff` (ISO
   * time) as failed, ending at their last heartbeat, and returns how many.
   */
  async closeRunsSilentSince(cutoff: string): Promise<number> {
    const stale = await this.knex('costscope_ingest_runs')
      .where({ status: 'running' })
      .where(q =>
        q
          .where('heartbeat_at', '<', cutoff)
          .orWhere(q2 =>
            q2.whereNull('heartbeat_at').where('started_at', '<', cutoff),
          ),
      )
      .select('id', 'started_at', 'heartbeat_at');
    for (const row of stale) {
      const lastSeen: string = row.heartbeat_at ?? row.started_at;
      await this.knex('costscope_ingest_runs')
        .where({ id: row.id, status: 'running' })
        .update({
          status: 'failed',
          finished_at: lastSeen,
          duration_ms: Date.parse(lastSeen) - Date.parse(row.started_at),
          error: `Abandoned: no heartbeat since ${lastSeen}; the backend stopped during the run. Its data was not changed.`,
        });
    }
    return stale.length;
  }

  /** The latest runs, newest first. */
  async listRuns(limit: number): Promise<IngestRun[]> {
    const rows = await this.knex('costscope_ingest_runs')
      .select(
        '*',
        this.knex.raw('CAST(api_cost_nanos AS TEXT) AS api_cost_text'),
      )
      .orderBy('started_at', 'desc')
      .limit(limit);
    return rows.map(row => ({
      id: row.id,
      sourceId: row.source_id,
      kind: row.kind,
      trigger: row.trigger,
      status: row.status,
      startedAt: row.started_at,
      finishedAt: row.finished_at ?? undefined,
      durationMs: row.duration_ms ?? undefined,
      filesRead: Number(row.files_read),
      filesSkipped: Number(row.files_skipped ?? 0),
      inputs: row.inputs ? JSON.parse(row.inputs) : [],
      rowsRead: Number(row.rows_read),
      rowsRejected: Number(row.rows_rejected),
      factsWritten: Number(row.facts_written),
      billingPeriods: JSON.parse(row.billing_periods),
      daysReplaced: row.days_replaced
        ? JSON.parse(row.days_replaced)
        : undefined,
      rejections: JSON.parse(row.rejections) as IngestRejection[],
      apiCalls: JSON.parse(row.api_calls),
      apiCostUsd: nanosToMoney(BigInt(row.api_cost_text)),
      error: row.error ?? undefined,
    }));
  }
}
