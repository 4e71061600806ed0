import { Knex } from 'knex';
import {
  IngestRejection,
  IngestRun,
  moneyToNanos,
  nanosToMoney,
} from '@costscope/backstage-plugin-common';
import { JsonObject } from '@backstage/types';
import { AllocationKeyRow, CostFact } from '../ingest/DailyAggregator';

const INSERT_CHUNK = 500;

/** Writes cost facts and ingest-run records. */
export class FactStore {
  constructor(private readonly knex: Knex) {}

  /**
   * Records the allocation keys of a run once, before its periods are written. Keys are
   * shared by all facts and never deleted, so adding them outside a period's transaction
   * loses nothing when a later step fails.
   */
  async addAllocationKeys(keys: AllocationKeyRow[]): Promise<void> {
    for (let i = 0; i < keys.length; i += INSERT_CHUNK) {
      await this.knex('costscope_alloc_keys')
        .insert(
          keys.slice(i, i + INSERT_CHUNK).map(key => ({
            alloc_key: key.allocKey,
            provider: key.provider,
            sub_account_id: key.subAccountId,
            tags: key.tags,
          })),
        )
        .onConflict('alloc_key')
        .ignore();
    }
  }

  /**
   * Replaces one (source, billing period) in a single transaction: readers see the old facts
   * or the new ones, never a mix, and a failure leaves the old ones.
   */
  async replaceBillingPeriod(
    sourceId: string,
    billingPeriod: string,
    facts: CostFact[],
  ): Promise<void> {
    await this.knex.transaction(async tx => {
      await tx('costscope_cost_facts')
        .where({ source_id: sourceId, billing_period: billingPeriod })
        .delete();
      await insertFacts(tx, sourceId, facts);
    });
  }

  /**
   * Replaces the facts of one source on the days `[from, to)` and stores the source's state,
   * in a single transaction, for sources that re-read only the days that can still change.
   */
  async replaceDays(
    sourceId: string,
    range: { from: string; to: string },
    facts: CostFact[],
    state: JsonObject | undefined,
  ): Promise<void> {
    await this.knex.transaction(async tx => {
      await tx('costscope_cost_facts')
        .where({ source_id: sourceId })
        .where('usage_date', '>=', range.from)
        .where('usage_date', '<', range.to)
        .delete();
      await insertFacts(tx, sourceId, facts);
      if (state) await writeSourceState(tx, sourceId, state);
    });
  }

  async readSourceState(sourceId: string): Promise<JsonObject | undefined> {
    const row = await this.knex('costscope_source_state')
      .where({ source_id: sourceId })
      .first();
    return row ? JSON.parse(row.state) : undefined;
  }

  async writeSourceState(sourceId: string, state: JsonObject): Promise<void> {
    await writeSourceState(this.knex, sourceId, state);
  }

  async startRun(
    run: Pick<IngestRun, 'id' | 'sourceId' | 'kind' | 'trigger' | 'startedAt'>,
  ) {
    await this.knex('costscope_ingest_runs').insert({
      id: run.id,
      source_id: run.sourceId,
      kind: run.kind,
      trigger: run.trigger,
      status: 'running',
      started_at: run.startedAt,
    });
  }

  async finishRun(run: IngestRun): Promise<void> {
    await this.knex('costscope_ingest_runs')
      .where({ id: run.id })
      .update({
        status: run.status,
        finished_at: run.finishedAt ?? null,
        duration_ms: run.durationMs ?? null,
        files_read: run.filesRead,
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

async function insertFacts(
  tx: Knex.Transaction,
  sourceId: string,
  facts: CostFact[],
): Promise<void> {
  for (let i = 0; i < facts.length; i += INSERT_CHUNK) {
    await tx('costscope_cost_facts').insert(
      facts.slice(i, i + INSERT_CHUNK).map(fact => ({
        source_id: sourceId,
        billing_period: fact.billingPeriod,
        usage_date: fact.usageDate,
        provider: fact.provider,
        billing_account_id: fact.billingAccountId,
        sub_account_id: fact.subAccountId,
        region: fact.region,
        service_name: fact.serviceName,
        service_category: fact.serviceCategory ?? null,
        resource_id: fact.resourceId,
        resource_name: fact.resourceName ?? null,
        resource_type: fact.resourceType ?? null,
        charge_category: fact.chargeCategory,
        currency: fact.currency,
        alloc_key: fact.allocKey,
        // Strings, not BigInt: both drivers store them exactly in a BIGINT column.
        billed_nanos: fact.billedNanos.toString(),
        effective_nanos: fact.effectiveNanos.toString(),
        line_count: fact.lineCount,
      })),
    );
  }
}

async function writeSourceState(
  knex: Knex | Knex.Transaction,
  sourceId: string,
  state: JsonObject,
): Promise<void> {
  await knex('costscope_source_state')
    .insert({ source_id: sourceId, state: JSON.stringify(state) })
    .onConflict('source_id')
    .merge();
}
