import { Knex } from 'knex';
import { Recommendation } from '@costscope/backstage-plugin-common';
import { createTestDatabases } from '../__testUtils__/databases';
import { applyMigrations } from './migrations';
import { AllocatedSkip, RecommendationStore } from './RecommendationStore';

jest.setTimeout(60_000);

const COMPONENT = 'component:default/checkout-api';
const SYSTEM = 'system:default/checkout';
const GROUP = 'group:default/checkout-squad';
const OTHER = 'component:default/ledger';

function recommendation(
  resourceId: string,
  monthlySaving: string,
  entityRef?: string,
  extra: Partial<Recommendation> = {},
): Recommendation {
  return {
    id: `idle-instance:${resourceId}`,
    kind: 'idle-instance',
    provider: 'AWS',
    resourceId,
    resourceKind: 'instance',
    accountId: '111122223333',
    region: 'us-east-1',
    ...(entityRef ? { entityRef } : {}),
    action: `Stop ${resourceId}`,
    reason: 'CPU average 1 %, maximum 3 %',
    evidence: { cpu: { average: 1, p95: 2, maximum: 3 }, hours: 336 },
    currentType: 't3.medium',
    monthlySaving,
    currency: 'USD',
    confidence: 'high',
    priceSource: 'price-table',
    state: 'open',
    ...extra,
  };
}

const skip = (resourceId: string, entityRef?: string): AllocatedSkip => ({
  provider: 'AWS',
  resourceId,
  resourceKind: 'instance',
  accountId: '111122223333',
  region: 'us-east-1',
  code: 'no-utilisation',
  message: 'No CPU data in the last 14 days',
  ...(entityRef ? { entityRef } : {}),
});

/** The catalog tree: component -> system -> group, and another component on its own. */
async function ancestors(knex: Knex) {
  const rows = [
    [COMPONENT, COMPONENT],
    [COMPONENT, SYSTEM],
    [COMPONENT, GROUP],
    [SYSTEM, SYSTEM],
    [SYSTEM, GROUP],
    [GROUP, GROUP],
    [OTHER, OTHER],
  ];
  await knex('costscope_entity_ancestors').insert(
    rows.map(([entity_ref, ancestor_ref]) => ({ entity_ref, ancestor_ref })),
  );
}

const ids = (list: Recommendation[]) => list.map(t => t.id);

describe('RecommendationStore', () => {
  const databases = createTestDatabases();

  async function storeOn(id: Parameters<typeof databases.init>[0]) {
    const knex = await databases.init(id);
    await applyMigrations(knex);
    await ancestors(knex);
    return { knex, store: new RecommendationStore(knex) };
  }

  it.each(databases.eachSupportedId())(
    'lists recommendations rolled up over the catalog, exactly, on %p',
    async id => {
      const { knex, store } = await storeOn(id);
      expect(await store.listForEntity(GROUP)).toEqual({
        recommendations: [],
        skipped: [],
      });

      await store.replaceAll(
        [
          recommendation('i-1', '0.100000000', COMPONENT),
          recommendation(
            'i-2',
            '0.200000000',
            'Component:default/Checkout-API',
          ),
          recommendation('i-3', '9007199254.740993123', SYSTEM),
          recommendation('i-4', '5.000000000', OTHER),
          recommendation('i-5', '7.000000000'),
        ],
        [skip('i-6', COMPONENT), skip('i-7')],
        '2026-11-22T06:00:00.000Z',
      );

      const raw = await knex('costscope_recommendations')
        .where({ id: 'idle-instance:i-3' })
        .first(knex.raw('CAST(monthly_saving_nanos AS TEXT) AS s'));
      expect(raw.s).toBe('9007199254740993123');

      const group = await store.listForEntity(GROUP);
      expect(ids(group.recommendations)).toEqual([
        'idle-instance:i-3',
        'idle-instance:i-2',
        'idle-instance:i-1',
      ]);
      expect(group.recommendations[0]).toEqual(
        recommendation('i-3', '9007199254.740993123', SYSTEM),
      );
      expect(group.recommendations[1].entityRef).toBe(COMPONENT);
      expect(group.skipped).toEqual([skip('i-6')]);
      expect(group.computedAt).toBe('2026-11-22T06:00:00.000Z');

      expect(
        ids((await store.listForEntity(COMPONENT)).recommendations),
      ).toEqual(['idle-instance:i-2', 'idle-instance:i-1']);
      expect(ids((await store.listForEntity(OTHER)).recommendations)).toEqual([
        'idle-instance:i-4',
      ]);

      // The organisation sees everything, the unallocated recommendation and skip included.
      const org = await store.listForOrganisation(100, '2026-11-22');
      expect(ids(org.recommendations)).toEqual([
        'idle-instance:i-3',
        'idle-instance:i-5',
        'idle-instance:i-4',
        'idle-instance:i-2',
        'idle-instance:i-1',
      ]);
      expect(org.recommendations[1].entityRef).toBeUndefined();
      expect(org.skipped.map(s => s.resourceId)).toEqual(['i-6', 'i-7']);
      expect(
        ids((await store.listForOrganisation(2, '2026-11-22')).recommendations),
      ).toEqual(['idle-instance:i-3', 'idle-instance:i-5']);
    },
  );

  it.each(databases.eachSupportedId())(
    'replaces recommendations as a whole and keeps dismissals across computations on %p',
    async id => {
      const { store } = await storeOn(id);
      await store.replaceAll(
        [
          recommendation('i-1', '10', COMPONENT),
          recommendation('i-2', '20', COMPONENT),
        ],
        [skip('i-9', COMPONENT)],
        '2026-11-21T06:00:00.000Z',
      );
      expect(
        await store.setDismissal('idle-instance:i-1', {
          state: 'dismissed',
          reason: 'kept for the audit',
          by: 'user:default/dana',
          at: '2026-11-21T09:00:00.000Z',
        }),
      ).toBe(true);
      expect(
        await store.setDismissal('idle-instance:nope', {
          state: 'dismissed',
          reason: 'x',
          by: 'user:default/dana',
          at: '2026-11-21T09:00:00.000Z',
        }),
      ).toBe(false);

      // The next computation: i-2 is gone, i-1 is back with the same id, i-3 is new.
      const seen: Array<[string, string]> = [];
      const { reopened } = await store.replaceAll(
        [
          recommendation('i-1', '12', COMPONENT),
          recommendation('i-3', '30', COMPONENT),
        ],
        [],
        '2026-11-22T06:00:00.000Z',
        {
          reopen: (before, now) => {
            seen.push([before.monthlySaving, now.monthlySaving]);
            return false;
          },
        },
      );
      expect(reopened).toEqual([]);
      // what the recommendation was at dismissal, against what it is now
      expect(seen).toEqual([['10', '12']]);
      const list = await store.listForEntity(COMPONENT);
      expect(
        list.recommendations.map(t => [t.id, t.state, t.dismissal?.reason]),
      ).toEqual([
        ['idle-instance:i-3', 'open', undefined],
        ['idle-instance:i-1', 'dismissed', 'kept for the audit'],
      ]);
      expect(list.skipped).toEqual([]);
      expect(list.computedAt).toBe('2026-11-22T06:00:00.000Z');
      expect(await store.get('idle-instance:i-2')).toBeUndefined();

      // Material change: the dismissal goes, in the same transaction as the recommendations.
      const again = await store.replaceAll(
        [recommendation('i-1', '100', COMPONENT)],
        [],
        '2026-11-23T06:00:00.000Z',
        { reopen: () => true },
      );
      expect(again.reopened).toEqual(['idle-instance:i-1']);
      expect((await store.get('idle-instance:i-1'))?.state).toBe('open');

      // Nothing found still records when the computation ran.
      await store.replaceAll([], [], '2026-11-24T06:00:00.000Z');
      expect(await store.listForOrganisation(10, '2026-11-24')).toEqual({
        recommendations: [],
        skipped: [],
        computedAt: '2026-11-24T06:00:00.000Z',
      });
    },
  );

  it.each(databases.eachSupportedId())(
    'leaves the previous computation when a replacement fails on %p',
    async id => {
      const { store } = await storeOn(id);
      await store.replaceAll(
        [recommendation('i-1', '1', COMPONENT)],
        [],
        'first',
      );
      const duplicate = await store
        .replaceAll(
          [
            recommendation('i-2', '1', COMPONENT),
            recommendation('i-2', '2', COMPONENT),
          ],
          [],
          'second',
        )
        .then(
          () => undefined,
          error => String(error?.message),
        );
      expect(duplicate).toMatch(/unique|duplicate/i);
      const list = await store.listForEntity(COMPONENT);
      expect(ids(list.recommendations)).toEqual(['idle-instance:i-1']);
      expect(list.computedAt).toBe('first');
    },
  );

  it.each(databases.eachSupportedId())(
    'separates open and set-aside recommendations by day for the organisation on %p',
    async id => {
      const { store } = await storeOn(id);
      await store.replaceAll(
        [
          recommendation('a', '1', COMPONENT),
          recommendation('b', '2', COMPONENT),
          recommendation('c', '3'),
          recommendation('d', '4', OTHER),
          recommendation('e', '5', OTHER),
        ],
        [],
        'now',
      );
      const by = { by: 'user:default/ada', at: '2026-11-20T10:00:00.000Z' };
      await store.setDismissal('idle-instance:c', {
        state: 'dismissed',
        reason: 'no',
        ...by,
      });
      await store.setDismissal('idle-instance:d', {
        state: 'snoozed',
        reason: 'after the freeze',
        until: '2026-11-25',
        ...by,
      });
      await store.setDismissal('idle-instance:e', {
        state: 'snoozed',
        reason: 'after the freeze',
        until: '2026-11-22',
        ...by,
      });

      // On the 22nd e's snooze has ended: it competes with the open recommendations for the limit.
      const on22 = await store.listForOrganisation(2, '2026-11-22');
      expect(on22.recommendations.map(t => [t.id, t.state])).toEqual([
        ['idle-instance:e', 'snoozed'], // stored state; the service applies the day
        ['idle-instance:b', 'open'],
        ['idle-instance:d', 'snoozed'],
        ['idle-instance:c', 'dismissed'],
      ]);
      expect(on22.recommendations[2].dismissal).toEqual({
        state: 'snoozed',
        reason: 'after the freeze',
        until: '2026-11-25',
        ...by,
      });
      const on21 = await store.listForOrganisation(1, '2026-11-21');
      expect(ids(on21.recommendations)).toEqual([
        'idle-instance:b',
        'idle-instance:e',
      ]);

      // A second dismissal replaces the first; reopening removes it.
      await store.setDismissal('idle-instance:c', {
        state: 'snoozed',
        reason: 'later',
        until: '2026-12-01',
        ...by,
      });
      expect((await store.get('idle-instance:c'))?.dismissal).toMatchObject({
        state: 'snoozed',
        until: '2026-12-01',
      });
      await store.clearDismissal('idle-instance:c');
      await store.clearDismissal('idle-instance:c');
      const c = await store.get('idle-instance:c');
      expect(c).toEqual(recommendation('c', '3'));
    },
  );

  it.each(databases.eachSupportedId())(
    'reads what resources were billed per day and entity on %p',
    async id => {
      const { knex, store } = await storeOn(id);
      expect(await store.resourceBilling(['i-1'], 'USD', 30)).toEqual([]);

      await knex('costscope_alloc_rules').insert([
        { id: 1, entity_ref: COMPONENT, origin: 'convention', rule: 'x' },
        { id: 2, entity_ref: OTHER, origin: 'annotation', rule: 'y' },
      ]);
      await knex('costscope_alloc_keys').insert([
        {
          alloc_key: 'k1',
          provider: 'AWS',
          sub_account_id: '1',
          tags: '{}',
          rule_id: 1,
        },
        {
          alloc_key: 'k2',
          provider: 'AWS',
          sub_account_id: '1',
          tags: '{}',
          rule_id: 2,
        },
        {
          alloc_key: 'k0',
          provider: 'AWS',
          sub_account_id: '1',
          tags: '{}',
          rule_id: null,
        },
      ]);
      const fact = (
        resourceId: string,
        day: string,
        key: string,
        billed: string,
        currency = 'USD',
      ) => ({
        source_id: 's',
        billing_period: `${day.slice(0, 8)}01`,
        usage_date: day,
        provider: 'AWS',
        billing_account_id: '9',
        sub_account_id: '1',
        region: 'us-east-1',
        service_name: 'EC2',
        resource_id: resourceId,
        charge_category: 'Usage',
        currency,
        alloc_key: key,
        billed_nanos: billed,
        effective_nanos: billed,
        line_count: 1,
      });
      await knex('costscope_cost_facts').insert([
        fact('i-1', '2026-10-01', 'k1', '1'), // before the window
        fact('i-1', '2026-10-02', 'k1', '4503599627370497'),
        fact('i-1', '2026-10-02', 'k1', '4503599627370497'), // another service or source
        fact('i-1', '2026-10-02', 'k2', '5'),
        fact('i-1', '2026-10-31', 'k0', '7'),
        fact('i-1', '2026-10-31', 'k1', '-2'),
        fact('i-2', '2026-10-31', 'k2', '3', 'EUR'),
        fact('vol-1', '2026-10-30', 'k2', '11'),
      ]);

      const rows = await store.resourceBilling(
        // more ids than one IN list takes
        [
          ...Array.from({ length: 450 }, (_, i) => `x-${i}`),
          'i-1',
          'i-2',
          'vol-1',
        ],
        'USD',
        30,
      );
      const sorted = [...rows].sort((a, b) =>
        `${a.resourceId} ${a.usageDate} ${a.entityRef}`.localeCompare(
          `${b.resourceId} ${b.usageDate} ${b.entityRef}`,
        ),
      );
      expect(sorted).toEqual([
        {
          resourceId: 'i-1',
          usageDate: '2026-10-02',
          entityRef: COMPONENT,
          billedNanos: 9007199254740994n,
        },
        {
          resourceId: 'i-1',
          usageDate: '2026-10-02',
          entityRef: OTHER,
          billedNanos: 5n,
        },
        {
          resourceId: 'i-1',
          usageDate: '2026-10-31',
          entityRef: COMPONENT,
          billedNanos: -2n,
        },
        { resourceId: 'i-1', usageDate: '2026-10-31', billedNanos: 7n },
        {
          resourceId: 'vol-1',
          usageDate: '2026-10-30',
          entityRef: OTHER,
          billedNanos: 11n,
        },
      ]);
    },
  );
});
