import fs from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { Knex } from 'knex';
import { CostLine, CostSource } from '@costscope/backstage-plugin-node';
import { IngestRun, parseDecimal } from '@costscope/backstage-plugin-common';
import { WORK_SCALE } from '../lib/decimal';
import { FocusFileSource } from '../sources/focus/FocusFileSource';
import { createTestDatabases } from '../__testUtils__/databases';
import { entity } from '../__testUtils__/entities';
import { FOCUS_HEADER, writeFocusDir } from '../__testUtils__/focus';
import { createPipeline } from '../__testUtils__/pipeline';

jest.setTimeout(300_000);

/**
 * Bad FOCUS input, table-driven and by a seeded mutation fuzzer, through the whole ingest
 * (FocusFileSource, IngestEngine, FactStore, allocation) on SQLite and PostgreSQL: nothing
 * throws out of the engine, good rows go in, each rejected row is counted with its line and
 * reason, and a run that fails keeps the previous data.
 */

const catalog = [
  entity('Component', 'api', { owner: 'team-a', type: 'service' }),
];

const HEADER = FOCUS_HEADER.join(',');
type Column = (typeof FOCUS_HEADER)[number];

/** A CSV cell: quoted when it needs to be. */
function q(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

const DEFAULTS: Record<string, string> = {
  BilledCost: '1',
  EffectiveCost: '',
  BillingCurrency: 'USD',
  BillingAccountId: '999988887777',
  BillingPeriodStart: '2026-03-01T00:00:00Z',
  ChargePeriodStart: '2026-03-02T00:00:00Z',
  ChargePeriodEnd: '2026-03-03T00:00:00Z',
  ChargeCategory: 'Usage',
  ProviderName: 'AWS',
  SubAccountId: '111122223333',
  ServiceName: 'Amazon Elastic Compute Cloud',
  RegionId: 'us-east-1',
  ResourceId: 'i-1',
  ResourceType: 'Instance',
  Tags: q('{"service":"api"}'),
};

/** One CSV row; `cells` are written as given (quote them with `q` where needed). */
function row(cells: Partial<Record<Column, string>> = {}): string {
  return FOCUS_HEADER.map(column => cells[column] ?? DEFAULTS[column]).join(
    ',',
  );
}

const GOOD = row();
const BASE_FOR_GZIP = [
  HEADER,
  ...Array.from({ length: 200 }, (_, i) => row({ BilledCost: `${i}.5` })),
].join('\n');
const MB = 1024 * 1024;

interface Case {
  name: string;
  files: Record<string, string | Buffer>;
  status?: IngestRun['status'];
  rowsRead: number;
  /** Rejections, in order: [line, reason (the exact text, or a pattern)]. */
  rejections: Array<[number, string | RegExp]>;
  /** Stored BilledCost in nano-units. */
  total: string;
}

const accepted: Case[] = [
  {
    name: 'a truncated last row',
    files: { 'a.csv': `${HEADER}\n${GOOD}\n${GOOD.slice(0, 40)}` },
    rowsRead: 2,
    rejections: [[3, /^row has \d+ fields, the header has 15$/]],
    total: '1000000000',
  },
  {
    name: 'a file cut inside a quoted Tags field',
    files: {
      'a.csv': `${HEADER}\n${GOOD}\n${row({
        Tags: '"{""service"":""ap',
      })}`,
    },
    rowsRead: 2,
    rejections: [[3, 'quoted field not closed at the end of the input']],
    total: '1000000000',
  },
  {
    name: 'wrong column counts',
    files: {
      'a.csv': [
        HEADER,
        `${GOOD},extra`,
        GOOD.split(',').slice(0, 14).join(','),
        'just one field',
        GOOD,
      ].join('\n'),
    },
    rowsRead: 4,
    rejections: [
      [2, 'row has 16 fields, the header has 15'],
      [3, 'row has 14 fields, the header has 15'],
      [4, 'row has 1 fields, the header has 15'],
    ],
    total: '1000000000',
  },
  {
    name: 'non-numeric amounts',
    files: {
      'a.csv': [
        HEADER,
        ...['abc', q('1,5'), 'NaN', '--1', '0x10', '1.2.3', 'Infinity', ''].map(
          cost => row({ BilledCost: cost }),
        ),
        row({ EffectiveCost: 'lots' }),
        GOOD,
      ].join('\n'),
    },
    rowsRead: 10,
    rejections: [
      [2, "BilledCost 'abc' is not a number"],
      [3, "BilledCost '1,5' is not a number"],
      [4, "BilledCost 'NaN' is not a number"],
      [5, "BilledCost '--1' is not a number"],
      [6, "BilledCost '0x10' is not a number"],
      [7, "BilledCost '1.2.3' is not a number"],
      [8, "BilledCost 'Infinity' is not a number"],
      [9, 'BilledCost is empty'],
      [10, "EffectiveCost 'lots' is not a number"],
    ],
    total: '1000000000',
  },
  {
    name: 'exponent amounts, in and out of range',
    files: {
      'a.csv': [
        HEADER,
        ...['1.5E-7', '2e3', '-4.2E+1', '1E400', '1e-99999', '9.3e9'].map(
          cost => row({ BilledCost: cost }),
        ),
      ].join('\n'),
    },
    rowsRead: 6,
    rejections: [
      [5, "BilledCost '1E400' is out of range"],
      [6, "BilledCost '1e-99999' is not a number"],
      [7, "BilledCost '9.3e9' is out of range"],
    ],
    // 0.00000015 + 2000 - 42
    total: '1958000000150',
  },
  {
    name: 'bad dates',
    files: {
      'a.csv': [
        HEADER,
        row({ ChargePeriodStart: '2026-02-30T00:00:00Z' }),
        row({ ChargePeriodStart: '2026-13-01' }),
        row({ ChargePeriodStart: 'yesterday' }),
        row({ ChargePeriodStart: '03/02/2026' }),
        row({ ChargePeriodStart: '' }),
        row({ BillingPeriodStart: 'soon' }),
        row({ ChargePeriodStart: '2026-03-02T23:30:00-02:00' }),
      ].join('\n'),
    },
    rowsRead: 7,
    rejections: [
      [2, "ChargePeriodStart '2026-02-30T00:00:00Z' is not a date"],
      [3, "ChargePeriodStart '2026-13-01' is not a date"],
      [4, "ChargePeriodStart 'yesterday' is not a date"],
      [5, "ChargePeriodStart '03/02/2026' is not a date"],
      [6, 'ChargePeriodStart is empty'],
      [7, "BillingPeriodStart 'soon' is not a date"],
    ],
    total: '1000000000',
  },
  {
    name: 'a byte-order mark and CRLF line ends',
    files: { 'a.csv': `\uFEFF${HEADER}\r\n${GOOD}\r\n${GOOD}\r\n` },
    rowsRead: 2,
    rejections: [],
    total: '2000000000',
  },
  {
    name: 'CR-only line ends',
    files: { 'a.csv': `${HEADER}\r${GOOD}\r${row({ BilledCost: 'x' })}\r` },
    rowsRead: 2,
    rejections: [[3, "BilledCost 'x' is not a number"]],
    total: '1000000000',
  },
  {
    name: 'quoted newlines (line numbers stay those of the file)',
    files: {
      'a.csv': [
        HEADER,
        row({ ResourceId: q('i-2\nsecond\r\nthird') }),
        row({ BilledCost: 'bad' }),
        row({ Tags: q('{"service":"api",\n"team":"a"}') }),
        row({ BilledCost: 'worse' }),
      ].join('\n'),
    },
    rowsRead: 4,
    rejections: [
      [5, "BilledCost 'bad' is not a number"],
      [8, "BilledCost 'worse' is not a number"],
    ],
    total: '2000000000',
  },
  {
    name: '1 MB fields',
    files: {
      'a.csv': [
        HEADER,
        row({ ChargePeriodEnd: 'e'.repeat(MB) }),
        row({
          Tags: q(JSON.stringify({ service: 'api', note: 'n'.repeat(MB) })),
        }),
        row({ ResourceId: 'r'.repeat(MB) }),
        row({ ServiceName: 's'.repeat(MB) }),
        row({ BilledCost: '1'.repeat(MB) }),
        GOOD,
      ].join('\n'),
    },
    rowsRead: 6,
    rejections: [
      [4, 'ResourceId is longer than 2048 characters'],
      [5, 'ServiceName is longer than 255 characters'],
      [6, `BilledCost '${'1'.repeat(40)}' is out of range`],
    ],
    total: '3000000000',
  },
  {
    name: 'invalid Tags JSON',
    files: {
      'a.csv': [
        HEADER,
        row({ Tags: '{not json' }),
        row({ Tags: q('[1,2]') }),
        row({ Tags: q('{"a":{"b":1}}') }),
        row({ Tags: q('"just text"') }),
        row({ Tags: q('{"service":"api","n":1,"flag":true,"gone":null}') }),
      ].join('\n'),
    },
    rowsRead: 5,
    rejections: [
      [2, 'Tags is not valid JSON'],
      [3, 'Tags is not a JSON object'],
      [4, "Tags value of 'a' is not a scalar"],
      [5, 'Tags is not a JSON object'],
    ],
    total: '1000000000',
  },
  {
    name: 'NUL characters and invalid UTF-8',
    files: {
      'a.csv': Buffer.concat([
        Buffer.from(
          [
            HEADER,
            row({ ServiceName: 'EC\u00002' }),
            row({ Tags: q('{"service":"a\u0000pi"}') }),
            row({ BilledCost: '1\u0000' }),
            '',
          ].join('\n'),
        ),
        Buffer.from(row({ ResourceId: 'i-XX' })).map(byte =>
          byte === 0x58 ? 0xff : byte,
        ),
      ]),
    },
    rowsRead: 4,
    rejections: [
      [2, 'ServiceName contains a NUL character'],
      [3, 'Tags is not valid JSON'],
      // The NUL is shown as U+FFFD: PostgreSQL refuses NUL in text.
      [4, "BilledCost '1\uFFFD' is not a number"],
    ],
    total: '1000000000',
  },
  {
    name: 'stray quotes',
    files: {
      'a.csv': [
        HEADER,
        GOOD,
        row({ ResourceId: '"i-1' }),
        GOOD,
        row({ ResourceId: '"i-1', Tags: '' }),
        GOOD,
        GOOD,
      ].join('\n'),
    },
    rowsRead: 6,
    rejections: [
      // The quote closes at the opening quote of the same row's Tags.
      [3, 'unexpected text after a closing quote'],
      // The quote closes at the next row's Tags: that row is read again, on its own.
      [5, 'unexpected text after a closing quote'],
    ],
    total: '4000000000',
  },
  {
    name: 'a header and nothing else',
    files: { 'a.csv': `${HEADER}\n` },
    rowsRead: 0,
    rejections: [],
    total: '0',
  },
];

const failing: Array<{
  name: string;
  files: Record<string, string | Buffer>;
  error: RegExp;
}> = [
  {
    name: 'a binary file',
    files: {
      'a.csv': Buffer.from([
        0x89,
        0x50,
        0x4e,
        0x47,
        0x0d,
        0x0a,
        0x1a,
        0x0a,
        0,
        0,
        0,
        13,
        0xff,
        0xfe,
        ...Array.from({ length: 4096 }, (_, i) => (i * 97) % 256),
      ]),
    },
    error:
      /FOCUS file a\.csv (lacks the column|does not start with a CSV header)/,
  },
  {
    name: 'a JSON file',
    files: {
      'a.csv': JSON.stringify([
        { BilledCost: 1, BillingCurrency: 'USD', ChargePeriodStart: 'x' },
      ]),
    },
    error:
      /FOCUS file a\.csv (lacks the column|does not start with a CSV header).*it is not a FOCUS CSV export/,
  },
  {
    name: 'a file that is not gzip',
    // writeFocusDir gzips files named .gz: this one is written as it is.
    files: { 'raw:a.csv.gz': Buffer.from('not gzip at all') },
    error: /FOCUS file a\.csv\.gz could not be read: incorrect header check/,
  },
  {
    name: 'a gzip file cut short',
    files: { 'raw:a.csv.gz': gzipSync(BASE_FOR_GZIP).subarray(0, 200) },
    error: /FOCUS file a\.csv\.gz could not be read: unexpected end of file/,
  },
  {
    name: 'a daily cost beyond what BIGINT nano-units hold',
    files: {
      'a.csv': [HEADER, ...Array(3).fill(row({ BilledCost: '4e9' }))].join(
        '\n',
      ),
    },
    error: /the daily cost of i-1 on 2026-03-02 is beyond the storable range/,
  },
  {
    name: 'an empty file',
    files: { 'a.csv': '' },
    error: /FOCUS file a\.csv is empty/,
  },
  {
    name: 'more rejected rows than the allowed share',
    files: {
      'a.csv': [HEADER, GOOD, row({ BilledCost: 'x' }), '1,2', GOOD].join('\n'),
    },
    error: /2 of 4 rows were rejected, more than the allowed share of 0\.4/,
  },
];

/** Stored facts of a source per billing period: billed nano-units, lines and facts. */
async function stored(knex: Knex, sourceId: string) {
  const rows = await knex('costscope_cost_facts')
    .where({ source_id: sourceId })
    .select('billing_period')
    .select(
      knex.raw('CAST(SUM(billed_nanos) AS TEXT) AS billed'),
      knex.raw('CAST(SUM(line_count) AS TEXT) AS lines'),
      knex.raw('COUNT(*) AS facts'),
    )
    .groupBy('billing_period')
    .orderBy('billing_period');
  return new Map(
    rows.map(r => [
      r.billing_period as string,
      {
        billed: BigInt(r.billed),
        lines: Number(r.lines),
        facts: Number(r.facts),
      },
    ]),
  );
}

async function storedTotal(knex: Knex, sourceId: string): Promise<string> {
  let total = 0n;
  for (const period of (await stored(knex, sourceId)).values()) {
    total += period.billed;
  }
  return total.toString();
}

/** A source that records the lines it hands to the engine. */
function recording(inner: CostSource) {
  const lines: CostLine[] = [];
  const source: CostSource = {
    id: inner.id,
    async *read(context) {
      for await (const line of inner.read(context)) {
        lines.push(line);
        yield line;
      }
    },
  };
  return { source, lines };
}

/** mulberry32: a small seeded PRNG, so that every run fuzzes the same files. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The valid file the fuzzer mutates: two billing periods, credits, tags, quoting. */
const BASE = [
  HEADER,
  row({ BilledCost: '1.123456789012' }),
  row({ BilledCost: '0.000000001', ResourceId: 'i-2' }),
  row({ BilledCost: '2.5E-3', ChargePeriodStart: '2026-03-03T00:00:00Z' }),
  row({
    BilledCost: '-0.75',
    ChargeCategory: 'Credit',
    ResourceId: '',
    ResourceType: '',
    Tags: '',
  }),
  row({ BilledCost: '10', ResourceId: q('arn:aws:s3:::bucket,with,commas') }),
  row({ Tags: q('{"service":"api","team":"a","cost-center":"CC-1"}') }),
  row({
    BilledCost: '3.3333333333',
    BillingPeriodStart: '2026-04-01T00:00:00Z',
    ChargePeriodStart: '2026-04-01T00:00:00Z',
  }),
  row({
    BilledCost: '4',
    EffectiveCost: '3.2',
    BillingPeriodStart: '2026-04-01T00:00:00Z',
    ChargePeriodStart: '2026-04-02 00:00:00',
    ResourceId: q('i-"quoted"'),
  }),
  row({ BilledCost: '0', ServiceName: 'Tax', ChargeCategory: 'Tax' }),
  row({ BilledCost: '123456.789', RegionId: 'eu-west-1' }),
  row({ BilledCost: '7', Tags: q('{"Service":"API","n":3}') }),
].join('\n');

const PIECES = [
  ',',
  '"',
  '""',
  '\n',
  '\r',
  '\r\n',
  '\u0000',
  'e',
  'E',
  '-',
  '+',
  '.',
  '0',
  '9',
  'x',
  ' ',
  '{',
  '}',
  ':',
  '\uFEFF',
  'é',
  '\uD83D',
  '\\',
  'NULL',
];
const NASTY = [
  '',
  'NULL',
  'abc',
  '1e400',
  '1E-7',
  '-0',
  '9223372036.854775808',
  '1.0000000000000000005',
  '"',
  '""',
  '"unterminated',
  '2026-02-30',
  '2026-03-31T23:59:59+05:00',
  '{',
  '[]',
  q('{"service":null}'),
  '\u0000',
];

/** Applies one to four random mutations to `text`. */
function mutate(text: string, random: () => number): string {
  const pick = <T>(list: readonly T[]) =>
    list[Math.floor(random() * list.length)];
  let out = text;
  const count = 1 + Math.floor(random() * 4);
  for (let m = 0; m < count; m += 1) {
    const at = Math.floor(random() * (out.length + 1));
    const lines = out.split('\n');
    const lineAt = Math.floor(random() * lines.length);
    switch (Math.floor(random() * 11)) {
      case 0:
        out = out.slice(0, at) + out.slice(at + 1 + Math.floor(random() * 5));
        break;
      case 1:
      case 2:
        out = out.slice(0, at) + pick(PIECES) + out.slice(at);
        break;
      case 3:
        out = out.slice(0, at);
        break;
      case 4:
        lines.splice(lineAt, 0, lines[lineAt]);
        out = lines.join('\n');
        break;
      case 5:
        lines.splice(lineAt, 1);
        out = lines.join('\n');
        break;
      case 6: {
        const other = Math.floor(random() * lines.length);
        [lines[lineAt], lines[other]] = [lines[other], lines[lineAt]];
        out = lines.join('\n');
        break;
      }
      case 7:
      case 8: {
        const cells = lines[lineAt].split(',');
        cells[Math.floor(random() * cells.length)] = pick(NASTY);
        lines[lineAt] = cells.join(',');
        out = lines.join('\n');
        break;
      }
      case 9:
        out = random() < 0.5 ? out.replace(/\n/g, '\r\n') : `\uFEFF${out}`;
        break;
      default: {
        // Now and then a field of 100 KB.
        const cells = lines[lineAt].split(',');
        cells[Math.floor(random() * cells.length)] =
          random() < 0.5 ? 'y'.repeat(100_000) : q(`z"${'w'.repeat(100_000)}`);
        lines[lineAt] = cells.join(',');
        out = lines.join('\n');
      }
    }
  }
  return out;
}

/** A pattern for exactly `reason`, or the pattern given. */
function reasonPattern(reason: string | RegExp): RegExp {
  return typeof reason === 'string'
    ? new RegExp(`^${reason.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`)
    : reason;
}

describe.each(createTestDatabases().eachSupportedId())(
  'IngestEngine under bad FOCUS input on %p',
  databaseId => {
    const databases = createTestDatabases();
    let knex: Knex;
    let pipeline: Awaited<ReturnType<typeof createPipeline>>;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      pipeline = await createPipeline(knex, catalog, { maxRejectedShare: 0.9 });
    });

    it.each(accepted.map(c => [c.name, c] as const))(
      'takes the good rows and counts the rest: %s',
      async (name, c) => {
        const sourceId = `case-${accepted.indexOf(c)}`;
        const dir = await writeFocusDir(c.files);
        const run = await pipeline.ingest.run(
          new FocusFileSource({ id: sourceId, paths: [dir], currency: 'USD' }),
          'manual',
        );
        expect({ name, status: run.status, error: run.error }).toEqual({
          name,
          status: c.status ?? 'succeeded',
          error: undefined,
        });
        expect(run.rowsRead).toBe(c.rowsRead);
        expect(run.rowsRejected).toBe(c.rejections.length);
        expect(run.rejections.map(r => r.file)).toEqual(
          c.rejections.map(() => Object.keys(c.files)[0]),
        );
        expect(run.rejections.map(r => r.line)).toEqual(
          c.rejections.map(([line]) => line),
        );
        expect(run.rejections.map(r => r.reason)).toEqual(
          c.rejections.map(([, reason]) =>
            expect.stringMatching(reasonPattern(reason)),
          ),
        );
        expect(await storedTotal(knex, sourceId)).toBe(c.total);
        // The stored run record reads back the same.
        const [record] = (await pipeline.runs.listRuns(1)).filter(
          r => r.id === run.id,
        );
        expect(record?.rejections).toEqual(run.rejections);
      },
    );

    it.each(failing.map(c => [c.name, c] as const))(
      'fails the run and keeps the previous data: %s',
      async (_name, c) => {
        const sourceId = `failing-${failing.indexOf(c)}`;
        const engine = (
          await createPipeline(knex, catalog, { maxRejectedShare: 0.4 })
        ).ingest;
        const good = await writeFocusDir({ 'a.csv': BASE });
        const first = await engine.run(
          new FocusFileSource({ id: sourceId, paths: [good] }),
          'manual',
        );
        expect(first.status).toBe('succeeded');
        const before = await stored(knex, sourceId);

        const dir = await writeFocusDir(
          Object.fromEntries(
            Object.entries(c.files).filter(
              ([name]) => !name.startsWith('raw:'),
            ),
          ),
        );
        for (const [name, body] of Object.entries(c.files)) {
          if (name.startsWith('raw:')) {
            await fs.writeFile(path.join(dir, name.slice(4)), body);
          }
        }
        const run = await engine.run(
          new FocusFileSource({ id: sourceId, paths: [dir] }),
          'manual',
        );
        expect(run.status).toBe('failed');
        expect(run.error).toMatch(c.error);
        expect(await stored(knex, sourceId)).toEqual(before);
      },
    );

    it('survives a few hundred mutated files with its invariants intact', async () => {
      const random = prng(20261123);
      const sourceId = 'fuzz';
      const outcomes = { succeeded: 0, failed: 0, rejected: 0 };
      for (let i = 0; i < 300; i += 1) {
        const text = mutate(BASE, random);
        const dir = await writeFocusDir({ 'fuzz.csv': text });
        const { source, lines } = recording(
          new FocusFileSource({ id: sourceId, paths: [dir], currency: 'USD' }),
        );
        const before = await stored(knex, sourceId);
        const context = `file ${i}:\n${text.slice(0, 3000)}`;

        let run: IngestRun;
        try {
          run = await pipeline.ingest.run(source, 'manual');
        } catch (error) {
          throw new Error(`the engine threw on ${context}\n${error}`);
        }
        outcomes[run.status as 'succeeded' | 'failed'] += 1;
        outcomes.rejected += run.rowsRejected;

        const physicalLines = text.split(/\r\n|\r|\n/).length;
        const invariants = {
          rowsRead: run.rowsRead === lines.length + run.rowsRejected,
          keptRejections:
            run.rejections.length === Math.min(run.rowsRejected, 200),
          rejectionLines: run.rejections.every(
            r =>
              Number.isInteger(r.line) &&
              r.line >= 2 &&
              r.line <= physicalLines &&
              r.reason.length > 0 &&
              !r.reason.includes('\u0000'),
          ),
          outcome: run.status === 'succeeded' || run.status === 'failed',
        };
        if (Object.values(invariants).some(held => !held)) {
          throw new Error(
            `invariants ${JSON.stringify(
              invariants,
            )} broken by ${context}\n${JSON.stringify(run)}`,
          );
        }

        const after = await stored(knex, sourceId);
        const same = (a: unknown, b: unknown) =>
          JSON.stringify(a, (_k, v) => (typeof v === 'bigint' ? `${v}` : v)) ===
          JSON.stringify(b, (_k, v) => (typeof v === 'bigint' ? `${v}` : v));
        if (run.status === 'failed') {
          if (!same([...after], [...before])) {
            throw new Error(
              `a failed run changed the stored facts: ${context}`,
            );
          }
          continue;
        }
        // Every period the run read is replaced by exactly its lines, summed exactly and
        // rounded once per fact; the other periods are as they were.
        const expected = new Map<string, { work: bigint; lines: number }>();
        for (const line of lines) {
          const period = expected.get(line.billingPeriod) ?? {
            work: 0n,
            lines: 0,
          };
          period.work += parseDecimal(line.billedCost, WORK_SCALE)!;
          period.lines += 1;
          expected.set(line.billingPeriod, period);
        }
        if (
          !same([...run.billingPeriods].sort(), [...expected.keys()].sort())
        ) {
          throw new Error(
            `periods ${run.billingPeriods} written, lines of ${[
              ...expected.keys(),
            ]} read: ${context}`,
          );
        }
        for (const [period, want] of expected) {
          const got = after.get(period)!;
          const difference = got.billed * 10n ** 9n - want.work;
          const allowed = BigInt(got.facts) * 5n * 10n ** 8n;
          if (got.lines !== want.lines) {
            throw new Error(
              `${got.lines} lines stored for ${period}, ${want.lines} read: ${context}`,
            );
          }
          if (difference > allowed || difference < -allowed) {
            throw new Error(
              `stored ${got.billed} nano-units for ${period}, exact sum ${want.work} (1e-18) in ${context}`,
            );
          }
        }
        for (const [period, was] of before) {
          if (!expected.has(period) && !same(after.get(period), was)) {
            throw new Error(`period ${period}, not read, changed: ${context}`);
          }
        }
      }
      // The fuzzer reached both outcomes and many rejections, not just one easy path.
      expect(outcomes.succeeded).toBeGreaterThan(100);
      expect(outcomes.failed).toBeGreaterThan(0);
      expect(outcomes.rejected).toBeGreaterThan(100);
    });
  },
);
