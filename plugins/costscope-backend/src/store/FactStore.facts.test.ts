import { createTestDatabases } from '../__testUtils__/databases';
import { FactStore } from './FactStore';
import { applyMigrations } from './migrations';
import { CostFact } from './types';

jest.setTimeout(60_000);

/** A fact of resource `r` on day `d`, with dimensions that differ between resources. */
function fact(
  r: number,
  d: number,
  overrides: Partial<CostFact> = {},
): CostFact {
  return {
    billingPeriod: '2026-01-01',
    usageDate: `2026-01-${String(d).padStart(2, '0')}`,
    provider: r % 2 ? 'AWS' : 'Google Cloud',
    billingAccountId: `acct-${r % 3}`,
    subAccountId: `sub-${r % 5}`,
    region: r % 4 ? 'eu-west-1' : '',
    serviceName: `service-${r % 7}`,
    serviceCategory: r % 6 ? 'Compute' : undefined,
    resourceId: `res-${r}`,
    resourceName: r % 8 ? `name-${r} ünïcode` : undefined,
    resourceType: r % 9 ? 'Instance' : undefined,
    chargeCategory: r % 10 ? 'Usage' : 'Tax',
    currency: 'USD',
    allocKey: `key-${r % 11}`,
    commitmentId:
      r % 3 ? undefined : `arn:aws:savingsplans::1:savingsplan/sp-${r}`,
    commitmentStatus: [undefined, 'Used', 'Unused'][
      r % 3 === 0 ? 1 + (r % 2) : 0
    ],
    billedNanos: BigInt(r) * 1_000_000_007n + BigInt(d),
    effectiveNanos: -BigInt(d) * 999_999_999_999n,
    listNanos: BigInt(r) * 3_000_000_011n + BigInt(d) * 7n,
    lineCount: r + d,
    ...overrides,
  };
}

/** A stored row back as a fact, for comparing. */
function asFact(row: Record<string, any>): CostFact {
  return {
    billingPeriod: row.billing_period,
    usageDate: row.usage_date,
    provider: row.provider,
    billingAccountId: row.billing_account_id,
    subAccountId: row.sub_account_id,
    region: row.region,
    serviceName: row.service_name,
    serviceCategory: row.service_category ?? undefined,
    resourceId: row.resource_id,
    resourceName: row.resource_name ?? undefined,
    resourceType: row.resource_type ?? undefined,
    chargeCategory: row.charge_category,
    currency: row.currency,
    allocKey: row.alloc_key,
    commitmentId: row.commitment_id ?? undefined,
    commitmentStatus: row.commitment_status ?? undefined,
    billedNanos: BigInt(row.billed),
    effectiveNanos: BigInt(row.effective),
    listNanos: BigInt(row.list),
    lineCount: Number(row.line_count),
  };
}

describe('FactStore facts', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'stores every column of every fact exactly, in any group order, on %p',
    async id => {
      const knex = await databases.init(id);
      await applyMigrations(knex);
      const store = new FactStore(knex);
      // 40 resources × 3 days, the groups interleaved (not one group after another) and a
      // count that is no multiple of a statement's rows; plus a group that differs from
      // the one before only in its resource name.
      const facts: CostFact[] = [];
      for (let d = 1; d <= 3; d += 1) {
        for (let r = 0; r < 40; r += 1) facts.push(fact(r, d));
      }
      facts.push(fact(3, 4), fact(3, 5, { resourceName: 'renamed' }));
      const written = await store.replaceBillingPeriod(
        'src',
        '2026-01-01',
        facts,
      );
      expect(written).toBe(facts.length);

      const rows = await knex('costscope_cost_facts')
        .where({ source_id: 'src' })
        .orderBy('id')
        .select(
          '*',
          knex.raw('CAST(billed_nanos AS TEXT) AS billed'),
          knex.raw('CAST(effective_nanos AS TEXT) AS effective'),
          knex.raw('CAST(list_nanos AS TEXT) AS list'),
        );
      expect(rows.map(asFact)).toEqual(facts);

      // Writing the period again replaces it, and a second source is kept apart.
      await store.replaceBillingPeriod(
        'other',
        '2026-01-01',
        facts.slice(0, 7),
      );
      await store.replaceBillingPeriod('src', '2026-01-01', facts.slice(5, 9));
      const counts: Array<{ source_id: string; n: unknown }> = await knex(
        'costscope_cost_facts',
      )
        .select('source_id', knex.raw('COUNT(*) AS n'))
        .groupBy('source_id')
        .orderBy('source_id');
      expect(counts.map(c => [c.source_id, Number(c.n)])).toEqual([
        ['other', 7],
        ['src', 4],
      ]);
    },
  );

  it.each(databases.eachSupportedId())(
    'keeps the previous facts when a fact cannot be stored, on %p',
    async id => {
      const knex = await databases.init(id);
      await applyMigrations(knex);
      const store = new FactStore(knex);
      await store.replaceBillingPeriod('src', '2026-01-01', [fact(1, 1)]);
      const tooLarge = [
        ...Array.from({ length: 30 }, (_, r) => fact(r, 2)),
        fact(31, 2, { billedNanos: 2n ** 63n }),
      ];
      await expect(
        store.replaceBillingPeriod('src', '2026-01-01', tooLarge),
      ).rejects.toThrow('beyond the storable range');
      const rows = await knex('costscope_cost_facts').select('resource_id');
      expect(rows).toEqual([{ resource_id: 'res-1' }]);
    },
  );

  it('gives the SQLite connection its page cache back, fresh or replacing', async () => {
    const knex = await databases.init('SQLITE_3');
    await applyMigrations(knex);
    const store = new FactStore(knex);
    // The writer shrinks the cache while it inserts; readers afterwards want it whole.
    const cacheSize = async () =>
      (await knex.raw('PRAGMA cache_size'))[0].cache_size;
    const before = await cacheSize();
    await store.replaceBillingPeriod('src', '2026-01-01', [fact(1, 1)]);
    expect(await cacheSize()).toBe(before);
    await store.replaceBillingPeriod('src', '2026-01-01', [fact(2, 1)]);
    expect(await cacheSize()).toBe(before);
  });
});
