import { FocusFileSource } from '../sources/focus/FocusFileSource';
import { createTestDatabases } from '../__testUtils__/databases';
import { entity } from '../__testUtils__/entities';
import { focusCsv, FOCUS_HEADER, writeFocusDir } from '../__testUtils__/focus';
import { createPipeline } from '../__testUtils__/pipeline';

jest.setTimeout(60_000);

const catalog = [
  entity('Component', 'api', { owner: 'team-a', type: 'service' }),
];

const march = focusCsv([
  {
    day: '2026-03-01',
    cost: '1.123456789012',
    tags: { service: 'api' },
    resource: 'i-1',
  },
  { day: '2026-03-02', cost: '2.5', tags: { service: 'api' }, resource: 'i-1' },
]);
const april = focusCsv([
  { day: '2026-04-01', cost: '4', tags: { service: 'api' }, resource: 'i-1' },
]);

async function storedTotals(knex: any) {
  const rows = await knex('costscope_cost_facts')
    .select('billing_period')
    .select(knex.raw('CAST(SUM(billed_nanos) AS TEXT) as c'))
    .groupBy('billing_period')
    .orderBy('billing_period');
  return Object.fromEntries(rows.map((r: any) => [r.billing_period, r.c]));
}

describe('IngestEngine', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'is idempotent: re-running replaces each billing period on %p',
    async id => {
      const knex = await databases.init(id);
      const pipeline = await createPipeline(knex, catalog);
      const { ingest } = pipeline;
      const dir = await writeFocusDir({
        'march.csv': march,
        'april.csv.gz': april,
      });
      const source = new FocusFileSource({
        id: 'focus',
        paths: [dir],
        currency: 'USD',
      });

      const first = await ingest.run(source, 'manual');
      expect(first).toMatchObject({
        status: 'succeeded',
        filesRead: 2,
        rowsRead: 3,
        rowsRejected: 0,
        factsWritten: 3,
        billingPeriods: ['2026-03-01', '2026-04-01'],
      });
      const before = await storedTotals(knex);
      expect(before).toEqual({
        '2026-03-01': '3623456789',
        '2026-04-01': '4000000000',
      });

      await ingest.run(source, 'manual');
      expect(await storedTotals(knex)).toEqual(before);
      const runs = await pipeline.runs.listRuns(10);
      expect(runs).toHaveLength(2);
      expect(runs[0]).toMatchObject({
        status: 'succeeded',
        trigger: 'manual',
        sourceId: 'focus',
      });
      expect(runs[0].durationMs).toBeGreaterThanOrEqual(0);
    },
  );

  it.each(databases.eachSupportedId())(
    'counts rejected rows with line numbers and reasons on %p',
    async id => {
      const knex = await databases.init(id);
      const { ingest } = await createPipeline(knex, catalog, {
        maxRejectedShare: 0.9,
      });
      const body = [
        `\uFEFF${FOCUS_HEADER.join(',')}`,
        '1.5,1.5,USD,999,2026-03-01,2026-03-01T00:00:00Z,2026-03-02T00:00:00Z,Usage,AWS,111,EC2,us-east-1,i-1,Instance,"{""service"":""api""}"',
        'abc,1,USD,999,2026-03-01,2026-03-01T00:00:00Z,,Usage,AWS,111,EC2,us-east-1,i-1,Instance,',
        '1,1,USD,999,2026-03-01,2026-13-45T00:00:00Z,,Usage,AWS,111,EC2,us-east-1,i-1,Instance,',
        '1,1,USD,999,2026-03-01',
        '1,1,USD,999,2026-03-01,2026-03-01T00:00:00Z,,Usage,AWS,111,EC2,us-east-1,i-1,Instance,"{not json"',
        '1,1,EUR,999,2026-03-01,2026-03-01T00:00:00Z,,Usage,AWS,111,EC2,us-east-1,i-1,Instance,',
        '2.5E-1,2.5E-1,USD,999,2026-03-01,2026-03-01 00:00:00,,Usage,AWS,111,EC2,us-east-1,"i-2',
        'with newline",Instance,"{""service"":""api"",""n"":1,""flag"":true}"',
        '1,1,USD,999,2026-03-01,2026-03-01T00:00:00Z,,Refund,AWS,111,EC2,us-east-1,i-1,Instance,',
      ].join('\r\n');
      const dir = await writeFocusDir({ 'messy.csv': body });
      const run = await ingest.run(
        new FocusFileSource({ id: 'focus', paths: [dir], currency: 'USD' }),
        'manual',
      );

      expect(run.status).toBe('succeeded');
      expect(run.rowsRead).toBe(8);
      expect(run.rowsRejected).toBe(6);
      expect(run.rejections).toEqual([
        {
          file: 'messy.csv',
          line: 3,
          reason: "BilledCost 'abc' is not a number",
        },
        {
          file: 'messy.csv',
          line: 4,
          reason: "ChargePeriodStart '2026-13-45T00:00:00Z' is not a date",
        },
        {
          file: 'messy.csv',
          line: 5,
          reason: 'row has 5 fields, the header has 15',
        },
        { file: 'messy.csv', line: 6, reason: 'Tags is not valid JSON' },
        {
          file: 'messy.csv',
          line: 7,
          reason: 'BillingCurrency EUR differs from the source currency USD',
        },
        {
          file: 'messy.csv',
          line: 10,
          reason: "ChargeCategory 'Refund' is not a FOCUS charge category",
        },
      ]);
      expect(await storedTotals(knex)).toEqual({ '2026-03-01': '1750000000' });
      const resource = await knex('costscope_cost_facts')
        .where({ resource_id: 'i-2\r\nwith newline' })
        .first();
      expect(resource).toBeDefined();
    },
  );

  it.each(databases.eachSupportedId())(
    'reads a source line by line when it offers no batches, with the same result on %p',
    async id => {
      const knex = await databases.init(id);
      const { ingest } = await createPipeline(knex, catalog, {
        maxRejectedShare: 0.9,
      });
      const dir = await writeFocusDir({
        'march.csv': `${march}1,1,USD,999,2026-03-01,bad,,Usage,AWS,111,EC2,us-east-1,i-1,Instance,,1,,,,\n`,
        'april.csv.gz': april,
      });
      const focus = new FocusFileSource({ id: 'focus', paths: [dir] });
      const batched = await ingest.run(focus, 'manual');
      const batchedTotals = await storedTotals(knex);
      const lineByLine = await ingest.run(
        { id: 'focus', read: context => focus.read(context) },
        'manual',
      );

      expect(batched.rejections).toEqual([
        {
          file: 'march.csv',
          line: 4,
          reason: "ChargePeriodStart 'bad' is not a date",
        },
      ]);
      for (const run of [batched, lineByLine]) {
        expect(run).toMatchObject({
          status: 'succeeded',
          filesRead: 2,
          rowsRead: 4,
          rowsRejected: 1,
          factsWritten: 3,
          rejections: batched.rejections,
        });
      }
      expect(await storedTotals(knex)).toEqual(batchedTotals);
    },
  );

  it.each(databases.eachSupportedId())(
    'fails a run over the reject share and keeps the previous data on %p',
    async id => {
      const knex = await databases.init(id);
      const { ingest } = await createPipeline(knex, catalog, {
        maxRejectedShare: 0.2,
      });
      const dir = await writeFocusDir({ 'march.csv': march });
      const source = new FocusFileSource({
        id: 'focus',
        paths: [dir],
        currency: 'USD',
      });
      await ingest.run(source, 'manual');
      const before = await storedTotals(knex);

      const broken = `${march}x,1,USD,999,2026-03-01,2026-03-05T00:00:00Z,,Usage,AWS,111,EC2,,,,\n`;
      const brokenDir = await writeFocusDir({ 'march.csv': broken });
      const failed = await ingest.run(
        new FocusFileSource({
          id: 'focus',
          paths: [brokenDir],
          currency: 'USD',
        }),
        'manual',
      );
      expect(failed.status).toBe('failed');
      expect(failed.error).toContain(
        '1 of 3 rows were rejected, more than the allowed share of 0.2',
      );
      expect(await storedTotals(knex)).toEqual(before);
    },
  );

  it.each(databases.eachSupportedId())(
    'fails on a file that is not FOCUS and keeps the previous data on %p',
    async id => {
      const knex = await databases.init(id);
      const { ingest } = await createPipeline(knex, catalog);
      const dir = await writeFocusDir({ 'march.csv': march });
      await ingest.run(
        new FocusFileSource({ id: 'focus', paths: [dir] }),
        'manual',
      );
      const before = await storedTotals(knex);

      const junkDir = await writeFocusDir({
        'a.csv': march,
        'b.csv': '\u0000\u0001PNG garbage\nmore',
      });
      const failed = await ingest.run(
        new FocusFileSource({ id: 'focus', paths: [junkDir] }),
        'manual',
      );
      expect(failed.status).toBe('failed');
      expect(failed.error).toMatch(
        /FOCUS file b.csv lacks the column\(s\) BilledCost, BillingCurrency, ChargePeriodStart/,
      );
      expect(await storedTotals(knex)).toEqual(before);

      const missing = await ingest.run(
        new FocusFileSource({ id: 'focus', paths: ['/nonexistent/focus'] }),
        'manual',
      );
      expect(missing.error).toBe(
        "FOCUS source 'focus': path /nonexistent/focus does not exist",
      );
      expect(await storedTotals(knex)).toEqual(before);
    },
  );
});
