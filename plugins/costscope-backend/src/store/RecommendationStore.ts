import { Knex } from 'knex';
import {
  moneyToNanos,
  Recommendation,
  RecommendationDismissal,
  RecommendationSkip,
} from '@costscope/backstage-plugin-common';
import { takeWriteLock } from './writeLock';

const CHUNK = 200;
const COMPUTED_AT_KEY = 'recommendations_computed_at';

/** A resource no rule could judge, with the entity it is allocated to (none: unallocated). */
export type AllocatedSkip = RecommendationSkip & { entityRef?: string };

/** Stored recommendations with their state from the dismissals, and the skipped resources. */
export interface StoredRecommendations {
  recommendations: Recommendation[];
  skipped: RecommendationSkip[];
  /** When the stored recommendations were computed; absent before the first computation. */
  computedAt?: string;
}

/** One resource's billed cost on one day, by the entity its cost was allocated to. */
export interface ResourceBillingRow {
  resourceId: string;
  usageDate: string;
  /** Absent when the cost is unallocated. */
  entityRef?: string;
  billedNanos: bigint;
}

const lower = (ref: string) => ref.toLocaleLowerCase('en-US');

/** One day's eligible on-demand cost of one linked account (FOCUS `ListCost`, nano-units). */
export interface EligibleUsageDay {
  provider: string;
  billingAccountId: string;
  subAccountId: string;
  /** `YYYY-MM-DD`. */
  usageDate: string;
  listNanos: bigint;
}

/** Eligible on-demand cost of one linked account over a window (nano-units). */
export interface EligibleUsageTotal {
  provider: string;
  billingAccountId: string;
  subAccountId: string;
  listNanos: bigint;
}

/**
 * The facts a Compute Savings Plan covers, by FOCUS `ServiceName` as AWS's FOCUS export and
 * the demo write them: EC2 instance usage (`Amazon Elastic Compute Cloud` facts of an
 * instance, resource type `Instance` or an `i-` id: not the NAT gateways, volumes and
 * addresses the service also bills), Fargate (`Amazon Elastic Container Service`, whose only
 * compute charge is Fargate's) and Lambda (`AWS Lambda`); usage (`ChargeCategory` Usage) on
 * demand (no commitment covered it), of provider AWS. Daily facts carry no usage type: a Lambda
 * function's request charges count with its duration, and Fargate on EKS (billed under EKS with
 * the cluster fee) is left out.
 */
export const SAVINGS_PLAN_SERVICES = {
  /** Eligible only for instances. */
  instances: 'Amazon Elastic Compute Cloud',
  /** Eligible whole. */
  whole: ['Amazon Elastic Container Service', 'AWS Lambda'],
} as const;

/** The stored JSON: what the computation said, without what users or allocation add. */
function payloadOf(recommendation: Recommendation): string {
  const { state, dismissal, entityRef, ...rest } = recommendation;
  return JSON.stringify(rest);
}

function recommendationOfRow(row: any): Recommendation {
  const recommendation: Recommendation = {
    ...JSON.parse(row.payload),
    ...(row.entity_ref ? { entityRef: row.entity_ref } : {}),
    state: 'open',
  };
  if (row.d_state) {
    const dismissal: RecommendationDismissal = {
      state: row.d_state,
      reason: row.d_reason,
      by: row.d_by,
      at: row.d_at,
      ...(row.d_until ? { until: row.d_until } : {}),
    };
    recommendation.state = dismissal.state;
    recommendation.dismissal = dismissal;
  }
  return recommendation;
}

function skipOf(row: any): RecommendationSkip {
  return JSON.parse(row.payload);
}

/**
 * Recommendations of the last computation, replaced as a whole, and the dismissals users made,
 * which outlive computations. Savings are stored as BIGINT nano-units for exact ordering.
 */
export class RecommendationStore {
  constructor(private readonly knex: Knex) {}

  /**
   * Replaces every recommendation and skip in one transaction: readers see the previous computation
   * or this one. `reopen` decides, for each recommendation that is set aside, whether it changed
   * enough since (its value at dismissal, its value now) to come back; its dismissal is then
   * deleted in the same transaction. Returns the ids that came back.
   */
  async replaceAll(
    recommendations: Recommendation[],
    skips: AllocatedSkip[],
    computedAt: string,
    options: {
      reopen?: (atDismissal: Recommendation, now: Recommendation) => boolean;
    } = {},
  ): Promise<{ reopened: string[] }> {
    return this.knex.transaction(async tx => {
      await takeWriteLock(tx);
      const reopened: string[] = [];
      if (options.reopen) {
        const current = new Map(recommendations.map(r => [r.id, r]));
        const rows = await tx('costscope_recommendation_dismissals').select(
          'id',
          'evidence',
        );
        for (const row of rows) {
          const now = current.get(row.id);
          if (now && options.reopen(JSON.parse(row.evidence), now)) {
            reopened.push(row.id);
          }
        }
        for (let i = 0; i < reopened.length; i += CHUNK) {
          await tx('costscope_recommendation_dismissals')
            .whereIn('id', reopened.slice(i, i + CHUNK))
            .delete();
        }
      }

      await tx('costscope_recommendations').delete();
      await tx('costscope_recommendation_skips').delete();
      for (let i = 0; i < recommendations.length; i += CHUNK) {
        await tx('costscope_recommendations').insert(
          recommendations.slice(i, i + CHUNK).map(recommendation => ({
            id: recommendation.id,
            entity_ref: recommendation.entityRef
              ? lower(recommendation.entityRef)
              : null,
            kind: recommendation.kind,
            resource_id: recommendation.resourceId,
            provider: recommendation.provider,
            account_id: recommendation.accountId,
            monthly_saving_nanos: moneyToNanos(
              recommendation.monthlySaving,
            ).toString(),
            currency: recommendation.currency,
            payload: payloadOf(recommendation),
            computed_at: computedAt,
          })),
        );
      }
      for (let i = 0; i < skips.length; i += CHUNK) {
        await tx('costscope_recommendation_skips').insert(
          skips.slice(i, i + CHUNK).map(({ entityRef, ...skip }) => ({
            entity_ref: entityRef ? lower(entityRef) : null,
            resource_id: skip.resourceId,
            payload: JSON.stringify(skip),
          })),
        );
      }
      // Kept apart from the rows so that a computation that found nothing still has a date.
      await tx('costscope_state')
        .insert({ key: COMPUTED_AT_KEY, value: computedAt })
        .onConflict('key')
        .merge();
      return { reopened };
    });
  }

  /** The recommendations of an entity and of everything that rolls up into it, with their skips. */
  async listForEntity(entityRef: string): Promise<StoredRecommendations> {
    const ref = lower(entityRef);
    const rows = await this.rowsWithDismissals(this.knex)
      .join('costscope_entity_ancestors as a', 'a.entity_ref', 'r.entity_ref')
      .where('a.ancestor_ref', ref);
    const skips = await this.knex('costscope_recommendation_skips as s')
      .join('costscope_entity_ancestors as a', 'a.entity_ref', 's.entity_ref')
      .where('a.ancestor_ref', ref)
      .orderBy('s.id')
      .select('s.payload');
    return {
      recommendations: rows.map(recommendationOfRow),
      skipped: skips.map(skipOf),
      ...(await this.computedAt()),
    };
  }

  /**
   * Every recommendation, unallocated ones included: the `limit` largest of those open on `today`
   * (YYYY-MM-DD, UTC; a snooze ends on its `until` day) and the `limit` largest set aside,
   * with at most `limit` skips.
   */
  async listForOrganisation(
    limit: number,
    today: string,
  ): Promise<StoredRecommendations> {
    // The SQL twin of stateOn: open when not set aside, or snoozed until today or earlier.
    const open = await this.rowsWithDismissals(this.knex)
      .where(q =>
        q
          .whereNull('d.id')
          .orWhere(s =>
            s.where('d.state', 'snoozed').where('d.until', '<=', today),
          ),
      )
      .limit(limit);
    const setAside = await this.rowsWithDismissals(this.knex)
      .whereNotNull('d.id')
      .where(q =>
        q
          .where('d.state', '<>', 'snoozed')
          .orWhereNull('d.until')
          .orWhere('d.until', '>', today),
      )
      .limit(limit);
    const skips = await this.knex('costscope_recommendation_skips')
      .orderBy('id')
      .limit(limit)
      .select('payload');
    return {
      recommendations: [...open, ...setAside].map(recommendationOfRow),
      skipped: skips.map(skipOf),
      ...(await this.computedAt()),
    };
  }

  /** The recommendations of one kind with their state, largest saving first. */
  async listOfKind(kind: string): Promise<Recommendation[]> {
    const rows = await this.rowsWithDismissals(this.knex).where('r.kind', kind);
    return rows.map(recommendationOfRow);
  }

  /** One recommendation with its state, or undefined when the last computation did not make it. */
  async get(id: string): Promise<Recommendation | undefined> {
    const row = await this.rowsWithDismissals(this.knex)
      .where('r.id', id)
      .first();
    return row ? recommendationOfRow(row) : undefined;
  }

  /**
   * Sets a recommendation aside, replacing an earlier dismissal, and keeps the recommendation as it
   * is now to see later whether it changed. False, and nothing stored, when the recommendation does
   * not exist.
   */
  async setDismissal(
    id: string,
    dismissal: RecommendationDismissal,
  ): Promise<boolean> {
    return this.knex.transaction(async tx => {
      const row = await tx('costscope_recommendations')
        .where({ id })
        .first('payload');
      if (!row) return false;
      await tx('costscope_recommendation_dismissals')
        .insert({
          id,
          state: dismissal.state,
          reason: dismissal.reason,
          dismissed_by: dismissal.by,
          dismissed_at: dismissal.at,
          until: dismissal.until ?? null,
          evidence: row.payload,
        })
        .onConflict('id')
        .merge();
      return true;
    });
  }

  /** Brings a recommendation back (open); nothing happens when it was not set aside. */
  async clearDismissal(id: string): Promise<void> {
    await this.knex('costscope_recommendation_dismissals')
      .where({ id })
      .delete();
  }

  /**
   * What each resource was billed per day and allocated entity over the last `days` days of
   * facts (counted back from the latest fact day of any resource), in one currency.
   */
  async resourceBilling(
    resourceIds: string[],
    currency: string,
    days: number,
  ): Promise<ResourceBillingRow[]> {
    const latest = await this.knex('costscope_cost_facts').max(
      'usage_date as day',
    );
    if (!latest[0]?.day || resourceIds.length === 0) return [];
    const from = new Date(
      Date.parse(`${latest[0].day}T00:00:00Z`) - (days - 1) * 86_400_000,
    )
      .toISOString()
      .slice(0, 10);
    const rows: ResourceBillingRow[] = [];
    for (let i = 0; i < resourceIds.length; i += CHUNK) {
      const chunk = await this.knex('costscope_cost_facts as f')
        .join('costscope_alloc_keys as k', 'k.alloc_key', 'f.alloc_key')
        .leftJoin('costscope_alloc_rules as ar', 'ar.id', 'k.rule_id')
        .whereIn('f.resource_id', resourceIds.slice(i, i + CHUNK))
        .where('f.usage_date', '>=', from)
        .where('f.currency', currency)
        .groupBy('f.resource_id', 'f.usage_date', 'ar.entity_ref')
        .select(
          'f.resource_id',
          'f.usage_date',
          'ar.entity_ref',
          this.knex.raw('CAST(SUM(f.billed_nanos) AS TEXT) AS billed'),
        );
      for (const row of chunk) {
        rows.push({
          resourceId: row.resource_id,
          usageDate: row.usage_date,
          ...(row.entity_ref ? { entityRef: row.entity_ref } : {}),
          billedNanos: BigInt(row.billed),
        });
      }
    }
    return rows;
  }

  /** The first and last days with any facts, both undefined before the first ingest. */
  async factDays(): Promise<{ first?: string; last?: string }> {
    const row = await this.knex('costscope_cost_facts')
      .min({ first: 'usage_date' })
      .max({ last: 'usage_date' })
      .first();
    return {
      ...(row?.first ? { first: row.first } : {}),
      ...(row?.last ? { last: row.last } : {}),
    };
  }

  /**
   * The eligible on-demand cost (see {@link SAVINGS_PLAN_SERVICES}) per linked account and day
   * of the window (both days included), in one currency.
   */
  async eligibleOnDemandDaily(
    window: { from: string; to: string },
    currency: string,
  ): Promise<EligibleUsageDay[]> {
    const rows = await this.eligibleOnDemand(window, currency, { byDay: true });
    return rows.map(row => ({
      provider: row.provider,
      billingAccountId: row.billing_account_id,
      subAccountId: row.sub_account_id,
      usageDate: row.usage_date,
      listNanos: BigInt(row.list),
    }));
  }

  /**
   * The eligible on-demand cost per linked account over the window, in one currency: of the
   * whole organisation, or (with `entityRef`) of the facts allocated to the entity or to what
   * rolls up into it. Each fact goes to one entity or none, so the entities' sums and the
   * unallocated rest add up to the organisation's.
   */
  async eligibleOnDemandTotals(
    window: { from: string; to: string },
    currency: string,
    entityRef?: string,
  ): Promise<EligibleUsageTotal[]> {
    const rows = await this.eligibleOnDemand(window, currency, { entityRef });
    return rows.map(row => ({
      provider: row.provider,
      billingAccountId: row.billing_account_id,
      subAccountId: row.sub_account_id,
      listNanos: BigInt(row.list),
    }));
  }

  /**
   * The one query of eligible on-demand usage: the facts of the window (both days included) and
   * currency that a Compute Savings Plan covers ({@link SAVINGS_PLAN_SERVICES}), their list cost
   * summed per linked account (and day, with `byDay`), of the organisation or (with
   * `entityRef`) of what is allocated to the entity or rolls up into it.
   */
  private eligibleOnDemand(
    window: { from: string; to: string },
    currency: string,
    options: { byDay?: boolean; entityRef?: string },
  ) {
    const columns = [
      'f.provider',
      'f.billing_account_id',
      'f.sub_account_id',
      ...(options.byDay ? ['f.usage_date'] : []),
    ];
    let query = this.knex('costscope_cost_facts as f');
    if (options.entityRef !== undefined) {
      query = query
        .join('costscope_alloc_keys as k', 'k.alloc_key', 'f.alloc_key')
        .join('costscope_alloc_rules as ar', 'ar.id', 'k.rule_id')
        .join(
          'costscope_entity_ancestors as a',
          'a.entity_ref',
          'ar.entity_ref',
        )
        .where('a.ancestor_ref', lower(options.entityRef));
    }
    return query
      .whereBetween('f.usage_date', [window.from, window.to])
      .where('f.currency', currency)
      .where('f.charge_category', 'Usage')
      .whereNull('f.commitment_status')
      .whereRaw('LOWER(f.provider) = ?', ['aws'])
      .where(s =>
        s
          .whereIn('f.service_name', [...SAVINGS_PLAN_SERVICES.whole])
          .orWhere(i =>
            i
              .where('f.service_name', SAVINGS_PLAN_SERVICES.instances)
              .where(t =>
                t
                  .where('f.resource_type', 'Instance')
                  .orWhere('f.resource_id', 'like', 'i-%'),
              ),
          ),
      )
      .groupBy(columns)
      .orderBy(columns.slice(1))
      .select(columns)
      .select(this.knex.raw('CAST(SUM(f.list_nanos) AS TEXT) AS list'));
  }

  /** Recommendation rows with their dismissals, largest saving first. */
  private rowsWithDismissals(db: Knex) {
    return db('costscope_recommendations as r')
      .leftJoin('costscope_recommendation_dismissals as d', 'd.id', 'r.id')
      .select(
        'r.id',
        'r.entity_ref',
        'r.payload',
        'd.state as d_state',
        'd.reason as d_reason',
        'd.dismissed_by as d_by',
        'd.dismissed_at as d_at',
        'd.until as d_until',
      )
      .orderBy([
        { column: 'r.monthly_saving_nanos', order: 'desc' },
        { column: 'r.id', order: 'asc' },
      ]);
  }

  private async computedAt(): Promise<{ computedAt?: string }> {
    const row = await this.knex('costscope_state')
      .where({ key: COMPUTED_AT_KEY })
      .first('value');
    return row ? { computedAt: row.value } : {};
  }
}
