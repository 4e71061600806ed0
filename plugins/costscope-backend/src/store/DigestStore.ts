import { Knex } from 'knex';
import { DateRange, DigestPeriod } from '@costscope/backstage-plugin-common';

/** One entity's digest of one period, as the scheduled run records it. */
export interface DigestKey {
  /** Lower-case entity ref. */
  entityRef: string;
  period: DigestPeriod;
  range: DateRange;
}

/** A recorded digest delivery. */
export interface DigestRecord extends DigestKey {
  dueAt: string;
  claimedAt: string;
  sentAt?: string;
  late: boolean;
  deliveredTo: string[];
  totalNanos?: bigint;
  currency?: string;
}

const TABLE = 'costscope_digests';

function whereKey(key: DigestKey) {
  return {
    entity_ref: key.entityRef,
    period: key.period,
    period_from: key.range.from,
  };
}

/**
 * Which digests went out. A digest is claimed before it is built and marked sent after
 * delivery; the claim is what makes it go out once whatever the number of instances.
 */
export class DigestStore {
  constructor(private readonly knex: Knex) {}

  /**
   * Claims a digest for this caller: true when no one has, or when an earlier claim was never
   * marked sent and is older than `leaseMs` (its instance stopped mid-run). Safe under
   * concurrent calls: the insert and the takeover are each one atomic statement.
   */
  async claim(
    key: DigestKey,
    options: { dueAt: Date; late: boolean; now: Date; leaseMs: number },
  ): Promise<boolean> {
    const claimedAt = options.now.toISOString();
    const inserted = await this.knex(TABLE)
      .insert({
        ...whereKey(key),
        period_to: key.range.to,
        due_at: options.dueAt.toISOString(),
        claimed_at: claimedAt,
        late: options.late,
      })
      .onConflict(['entity_ref', 'period', 'period_from'])
      .ignore()
      .returning('entity_ref');
    if (inserted.length === 1) return true;
    const expired = new Date(
      options.now.getTime() - options.leaseMs,
    ).toISOString();
    const taken = await this.knex(TABLE)
      .where(whereKey(key))
      .whereNull('sent_at')
      .where('claimed_at', '<', expired)
      .update({ claimed_at: claimedAt, late: options.late });
    return taken === 1;
  }

  /** Records a claimed digest as delivered. */
  async markSent(
    key: DigestKey,
    sent: {
      at: Date;
      deliveredTo: string[];
      totalNanos: bigint;
      currency: string;
    },
  ): Promise<void> {
    await this.knex(TABLE)
      .where(whereKey(key))
      .update({
        sent_at: sent.at.toISOString(),
        delivered_to: JSON.stringify(sent.deliveredTo),
        total_nanos: sent.totalNanos.toString(),
        currency: sent.currency,
      });
  }

  /**
   * The first day of the latest period of this kind that any run has claimed a digest of,
   * whatever the entity; undefined before the first.
   */
  async latestClaimedPeriod(period: DigestPeriod): Promise<string | undefined> {
    const row = await this.knex(TABLE)
      .where({ period })
      .max({ from: 'period_from' })
      .first();
    return row?.from ?? undefined;
  }

  /** The recorded digests of a period, by entity ref. */
  async list(period: DigestPeriod, range: DateRange): Promise<DigestRecord[]> {
    const rows = await this.knex(TABLE)
      .where({ period, period_from: range.from })
      .select('*', this.knex.raw('CAST(total_nanos AS TEXT) AS total_text'))
      .orderBy('entity_ref');
    return rows.map(row => ({
      entityRef: row.entity_ref,
      period: row.period,
      range: { from: row.period_from, to: row.period_to },
      dueAt: row.due_at,
      claimedAt: row.claimed_at,
      ...(row.sent_at ? { sentAt: row.sent_at } : {}),
      late: Boolean(row.late),
      deliveredTo: JSON.parse(row.delivered_to),
      ...(row.total_text !== null
        ? { totalNanos: BigInt(row.total_text) }
        : {}),
      ...(row.currency ? { currency: row.currency } : {}),
    }));
  }
}
