import { mockServices } from '@backstage/backend-test-utils';
import { CostDigest } from '@costscope/backstage-plugin-common';
import { SnapshotEntity } from '../allocation/catalogSnapshot';
import { createTestDatabases } from '../__testUtils__/databases';
import { applyMigrations } from '../store/migrations';
import { DigestStore } from '../store/DigestStore';
import { DigestRequest } from './DigestBuilder';
import { DigestDelivery } from './digestDeliveries';
import { setTimeout as sleepFor } from 'node:timers/promises';
import {
  DIGEST_CLAIM_LEASE_MS,
  DIGEST_REST_RATIO,
  DigestSender,
  DigestSenderOptions,
} from './DigestSender';
import { DigestDeliveryContext } from './digestText';

jest.setTimeout(60_000);

const team = (name: string, annotations: Record<string, string> = {}) =>
  ({
    ref: `group:default/${name}`,
    kind: 'group',
    name,
    annotations,
  } as SnapshotEntity);
const TEAMS = [team('a'), team('b'), team('c')];
// Weekly on Monday 09:00 UTC; Monday 2026-12-07 09:05 is on time for last week.
const ON_TIME = new Date('2026-12-07T09:05:00Z');
const LAST_WEEK = { from: '2026-11-30', to: '2026-12-06' };

function digestOf(request: DigestRequest): CostDigest {
  return {
    entityRef: request.entityRef,
    period: request.period,
    ...request.range,
    currency: 'USD',
    costBasis: 'effective',
    total: '1.000000000',
    previous: { from: '2026-11-23', to: '2026-11-29', total: '0.000000000' },
    change: '1.000000000',
    changeRatio: null,
    lastYear: null,
    topEntities: [],
    topServices: [],
    budgetsAtRisk: [],
    alerts: [],
    unitCosts: [],
    savings: { openCount: 0, monthlySaving: '0.000000000', top: [] },
    compliance: null,
  };
}

/** A channel that records what it carried; `hangOn` never answers, as a stopped instance. */
function recordingDelivery(hangOn?: string) {
  const sent: Array<{ ref: string; context: DigestDeliveryContext }> = [];
  const recipients = new Map<string, string[]>();
  const delivery: DigestDelivery = {
    name: 'notifications',
    async deliver(digest, to, context) {
      if (digest.entityRef === hangOn) return new Promise(() => {});
      sent.push({ ref: digest.entityRef, context });
      recipients.set(digest.entityRef, to);
      return undefined;
    },
  };
  return { sent, recipients, delivery };
}

describe('DigestSender', () => {
  const databases = createTestDatabases();

  async function setUp(id: Parameters<typeof databases.init>[0]) {
    const knex = await databases.init(id);
    await applyMigrations(knex);
    const store = new DigestStore(knex);
    const sender = (
      delivery: DigestDelivery,
      now: Date,
      entities: SnapshotEntity[] = TEAMS,
      lastCostDay = '2026-12-06',
      missedPeriods = 4,
      pace: Pick<DigestSenderOptions, 'restRatio' | 'sleep'> & {
        buildMs?: number;
      } = {},
    ) =>
      new DigestSender({
        config: {
          kinds: ['group'],
          missedPeriods,
          schedules: [
            { period: 'week', day: 1, time: '09:00', timeZone: 'UTC' },
          ],
        },
        builder: {
          build: async request => {
            if (pace.buildMs) await sleepFor(pace.buildMs);
            return digestOf(request);
          },
          sharedReads: async () => ({ budgets: [] }),
        },
        store,
        deliveries: [delivery],
        listEntities: async () => entities,
        lastCostDay: async () => lastCostDay,
        logger: mockServices.logger.mock(),
        now: () => now,
        ...pace,
      });
    return { store, sender };
  }

  it.each(databases.eachSupportedId())(
    'sends each team one digest with two instances running at once on %p',
    async id => {
      const { sender, store } = await setUp(id);
      const one = recordingDelivery();
      const two = recordingDelivery();
      const [a, b] = await Promise.all([
        sender(one.delivery, ON_TIME).run(),
        sender(two.delivery, ON_TIME).run(),
      ]);
      const refs = [...one.sent, ...two.sent].map(sent => sent.ref).sort();
      expect(refs).toEqual(TEAMS.map(t => t.ref));
      expect(a[0].sent + b[0].sent).toBe(3);
      expect(a[0].alreadyClaimed + b[0].alreadyClaimed).toBe(3);
      expect(a[0]).toMatchObject({ range: LAST_WEEK, late: false });

      // Later runs (every 15 minutes, or after each allocation) send nothing again.
      const again = recordingDelivery();
      await sender(again.delivery, new Date('2026-12-07T12:00:00Z')).run();
      expect(again.sent).toEqual([]);
      const records = await store.list('week', LAST_WEEK);
      expect(records.map(r => [r.entityRef, r.deliveredTo])).toEqual(
        TEAMS.map(t => [t.ref, ['notifications']]),
      );
    },
  );

  it.each(databases.eachSupportedId())(
    'finishes a run that stopped midway after a restart, sending no digest twice, on %p',
    async id => {
      const { sender } = await setUp(id);
      const first = recordingDelivery('group:default/b');
      // The first instance stops while delivering team b: its run never ends.
      void sender(first.delivery, ON_TIME).run();
      await new Promise(resolve => setTimeout(resolve, 500));
      expect(first.sent.map(s => s.ref)).toEqual(['group:default/a']);

      // Restarted within the lease: c goes out, b stays with the stopped instance's claim.
      const soon = recordingDelivery();
      const early = new Date(ON_TIME.getTime() + 60_000);
      const [outcome] = await sender(soon.delivery, early).run();
      expect(soon.sent.map(s => s.ref)).toEqual(['group:default/c']);
      expect(outcome).toMatchObject({ sent: 1, alreadyClaimed: 2 });

      // After the lease, b is taken over and sent, once; nothing else again.
      const after = new Date(ON_TIME.getTime() + DIGEST_CLAIM_LEASE_MS + 1000);
      const later = recordingDelivery();
      await sender(later.delivery, after).run();
      await sender(later.delivery, after).run();
      expect(later.sent.map(s => s.ref)).toEqual(['group:default/b']);
    },
  );

  it.each(databases.eachSupportedId())(
    'sends a missed digest late, once, and says so; skips opted-out teams on %p',
    async id => {
      const { sender } = await setUp(id);
      const late = recordingDelivery();
      // Down over Monday morning; back on Tuesday.
      const tuesday = new Date('2026-12-08T10:00:00Z');
      const teams = [
        team('a'),
        team('quiet', { 'costscope.io/digests': 'off' }),
      ];
      const outcomes = await sender(late.delivery, tuesday, teams).run();
      // The first digests ever: no history is sent, only the latest week.
      expect(outcomes).toHaveLength(1);
      expect(outcomes[0]).toMatchObject({
        range: LAST_WEEK,
        late: true,
        sent: 1,
      });
      expect(late.sent).toEqual([
        {
          ref: 'group:default/a',
          context: {
            dueAt: new Date('2026-12-07T09:00:00Z'),
            late: true,
            timeZone: 'UTC',
          },
        },
      ]);
      await sender(late.delivery, tuesday, teams).run();
      expect(late.sent).toHaveLength(1);
    },
  );

  it.each(databases.eachSupportedId())(
    'sends every period missed while down, oldest first, each once and late, on %p',
    async id => {
      const { sender } = await setUp(id);
      const delivery = recordingDelivery();
      // On time on Monday 16 November for the week of 9 November, then down for three weeks.
      await sender(delivery.delivery, new Date('2026-11-16T09:05:00Z')).run();
      const back = new Date('2026-12-08T10:00:00Z');
      const outcomes = await sender(delivery.delivery, back).run();
      expect(
        outcomes.map(({ range, sent, late }) => [range.from, sent, late]),
      ).toEqual([
        ['2026-11-16', 3, true],
        ['2026-11-23', 3, true],
        ['2026-11-30', 3, true],
      ]);
      const teamA = delivery.sent.filter(s => s.ref === 'group:default/a');
      expect(teamA.map(s => s.context.dueAt.toISOString())).toEqual([
        '2026-11-16T09:00:00.000Z',
        '2026-11-23T09:00:00.000Z',
        '2026-11-30T09:00:00.000Z',
        '2026-12-07T09:00:00.000Z',
      ]);
      expect(teamA.map(s => s.context.late)).toEqual([false, true, true, true]);
      await sender(delivery.delivery, back).run();
      expect(delivery.sent).toHaveLength(12);
    },
  );

  it.each(databases.eachSupportedId())(
    'sends at most missedPeriods of them besides the latest on %p',
    async id => {
      const { sender } = await setUp(id);
      const delivery = recordingDelivery();
      const limited = (now: Date) =>
        sender(delivery.delivery, now, [team('a')], '2026-12-06', 1);
      await limited(new Date('2026-11-16T09:05:00Z')).run();
      const outcomes = await limited(new Date('2026-12-08T10:00:00Z')).run();
      expect(outcomes.map(o => o.range.from)).toEqual([
        '2026-11-23',
        '2026-11-30',
      ]);
    },
  );

  it.each(databases.eachSupportedId())(
    "sends a team's digest to the team and a system's to its owner on %p",
    async id => {
      const { sender } = await setUp(id);
      const delivery = recordingDelivery();
      const system = {
        ref: 'system:default/store',
        kind: 'system',
        name: 'store',
        ownerRef: 'group:default/a',
        annotations: {},
      } as SnapshotEntity;
      await sender(delivery.delivery, ON_TIME, [team('a'), system]).run();
      expect(Object.fromEntries(delivery.recipients)).toEqual({
        'group:default/a': ['group:default/a'],
        'system:default/store': ['group:default/a'],
      });
    },
  );

  it.each(databases.eachSupportedId())(
    'waits for cost data of the period on %p',
    async id => {
      const { store, sender } = await setUp(id);
      const delivery = recordingDelivery();
      // Cost data reaches the Sunday before last week only.
      const waiting = sender(delivery.delivery, ON_TIME, TEAMS, '2026-11-29');
      const [outcome] = await waiting.run();
      expect(outcome.skipped).toBe('no cost data from 2026-11-30 yet');
      expect(delivery.sent).toEqual([]);
      expect(await store.list('week', LAST_WEEK)).toEqual([]);
    },
  );

  it.each(databases.eachSupportedId())(
    'rests between digests in proportion to each one’s time, so that pages keep their speed, on %p',
    async id => {
      const { sender } = await setUp(id);
      const rests: number[] = [];
      const sleep = async (ms: number) => {
        rests.push(ms);
      };
      const { delivery, sent } = recordingDelivery();
      await sender(delivery, ON_TIME, TEAMS, '2026-12-06', 4, {
        buildMs: 20,
        sleep,
      }).run();
      expect(sent).toHaveLength(3);
      // After each digest but the last, at least that part of the 20 ms it took.
      expect(rests).toHaveLength(2);
      for (const rest of rests) {
        expect(rest).toBeGreaterThanOrEqual(20 * DIGEST_REST_RATIO - 1);
      }

      rests.length = 0;
      await sender(
        recordingDelivery().delivery,
        ON_TIME,
        [team('d'), team('e')],
        '2026-12-06',
        4,
        { buildMs: 20, sleep, restRatio: 0 },
      ).run();
      expect(rests).toEqual([]);
    },
  );
});
