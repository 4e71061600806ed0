import { JsonObject } from '@backstage/types';
import {
  CostLine,
  CostSource,
  CostSourceReadContext,
} from '@costscope/backstage-plugin-node';
import { createTestDatabases } from '../__testUtils__/databases';
import { entity } from '../__testUtils__/entities';
import { createPipeline } from '../__testUtils__/pipeline';

jest.setTimeout(60_000);

const catalog = [
  entity('Component', 'api', { owner: 'team-a', type: 'service' }),
];

function line(chargeDate: string, billedCost: string): CostLine {
  return {
    chargeDate,
    billingPeriod: `${chargeDate.slice(0, 7)}-01`,
    provider: 'AWS',
    billingAccountId: '999988887777',
    subAccountId: '111122223333',
    serviceName: 'Amazon Elastic Compute Cloud',
    chargeCategory: 'Usage',
    currency: 'USD',
    billedCost,
    effectiveCost: billedCost,
    tags: { service: 'api' },
  };
}

/** A source like Cost Explorer: it re-reads a day range and keeps a cursor in its state. */
function daySource(
  range: { from: string; to: string },
  lines: CostLine[],
  options: { state?: JsonObject; failAfterLines?: boolean } = {},
): CostSource & { seenState: Array<JsonObject | undefined> } {
  const seenState: Array<JsonObject | undefined> = [];
  return {
    id: 'days',
    seenState,
    async *read(context: CostSourceReadContext) {
      seenState.push(await context.state.get());
      context.replaceDays(range);
      context.apiCall('ce:GetCostAndUsage', '0.01');
      context.apiCall('ce:GetCostAndUsage', '0.01');
      yield* lines;
      if (options.failAfterLines) throw new Error('LimitExceededException');
      if (options.state) context.state.set(options.state);
    },
  };
}

async function totalsByDay(knex: any) {
  const rows = await knex('costscope_cost_facts')
    .select('usage_date')
    .select(knex.raw('CAST(SUM(billed_nanos) AS TEXT) as c'))
    .groupBy('usage_date')
    .orderBy('usage_date');
  return Object.fromEntries(rows.map((r: any) => [r.usage_date, r.c]));
}

describe('IngestEngine with sources that replace a day range', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'replaces only the declared days, keeps state and records API calls on %p',
    async id => {
      const knex = await databases.init(id);
      const { ingest, factStore, runs } = await createPipeline(knex, catalog);

      const backfill = daySource(
        { from: '2026-03-30', to: '2026-04-03' },
        [
          line('2026-03-30', '1'),
          line('2026-03-31', '2'),
          line('2026-04-01', '3'),
          line('2026-04-02', '4'),
        ],
        { state: { finalThrough: '2026-03-31' } },
      );
      const first = await ingest.run(backfill, 'manual');
      expect(first).toMatchObject({
        status: 'succeeded',
        factsWritten: 4,
        daysReplaced: { from: '2026-03-30', to: '2026-04-03' },
        apiCalls: { 'ce:GetCostAndUsage': 2 },
        apiCostUsd: '0.020000000',
      });
      expect(backfill.seenState).toEqual([undefined]);

      // The refresh re-reads April only; March stays as it was.
      const refresh = daySource(
        { from: '2026-04-01', to: '2026-04-03' },
        [line('2026-04-01', '3.5')],
        { state: { finalThrough: '2026-04-01' } },
      );
      await ingest.run(refresh, 'schedule');
      expect(refresh.seenState).toEqual([{ finalThrough: '2026-03-31' }]);
      expect(await totalsByDay(knex)).toEqual({
        '2026-03-30': '1000000000',
        '2026-03-31': '2000000000',
        '2026-04-01': '3500000000',
      });
      expect(await factStore.readSourceState('days')).toEqual({
        finalThrough: '2026-04-01',
      });

      const [latest] = await runs.listRuns(1);
      expect(latest).toMatchObject({
        kind: 'cost',
        apiCalls: { 'ce:GetCostAndUsage': 2 },
        apiCostUsd: '0.020000000',
        daysReplaced: { from: '2026-04-01', to: '2026-04-03' },
      });
    },
  );

  it.each(databases.eachSupportedId())(
    'keeps the previous facts and state when a read fails midway on %p',
    async id => {
      const knex = await databases.init(id);
      const { ingest, factStore } = await createPipeline(knex, catalog);
      await ingest.run(
        daySource(
          { from: '2026-04-01', to: '2026-04-02' },
          [line('2026-04-01', '3')],
          {
            state: { finalThrough: '2026-03-31' },
          },
        ),
        'manual',
      );

      const failed = await ingest.run(
        daySource(
          { from: '2026-04-01', to: '2026-04-02' },
          [line('2026-04-01', '9')],
          {
            state: { finalThrough: '2026-04-01' },
            failAfterLines: true,
          },
        ),
        'manual',
      );
      expect(failed.status).toBe('failed');
      expect(failed.error).toContain('LimitExceededException');
      expect(await totalsByDay(knex)).toEqual({ '2026-04-01': '3000000000' });
      expect(await factStore.readSourceState('days')).toEqual({
        finalThrough: '2026-03-31',
      });
    },
  );

  it.each(databases.eachSupportedId())(
    'fails a run whose lines fall outside its declared days on %p',
    async id => {
      const knex = await databases.init(id);
      const { ingest } = await createPipeline(knex, catalog);
      const run = await ingest.run(
        daySource({ from: '2026-04-01', to: '2026-04-02' }, [
          line('2026-04-05', '1'),
        ]),
        'manual',
      );
      expect(run.status).toBe('failed');
      expect(run.error).toMatch(
        /2026-04-05, outside the days 2026-04-01\.\.2026-04-02/,
      );
      expect(await totalsByDay(knex)).toEqual({});
    },
  );
});
