import { parse } from 'csv-parse/sync';
import { moneyToNanos, nanosToMoney } from '@costscope/backstage-plugin-common';
import { csvField, csvLines, csvReadable, csvRow } from './csv';
import { ChargebackLine, chargebackCsvLines } from './chargebackCsv';

async function collect(lines: AsyncIterable<string>): Promise<string> {
  let text = '';
  for await (const line of lines) text += line;
  return text;
}

describe('csvRow', () => {
  it('leaves plain values alone and ends with CRLF', () => {
    expect(csvRow(['a', 1, 2.5, null, undefined, true, 10n])).toBe(
      'a,1,2.5,,,true,10\r\n',
    );
  });

  it.each([
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['line\nbreak', '"line\nbreak"'],
    ['cr\rhere', '"cr\rhere"'],
    ['crlf\r\n', '"crlf\r\n"'],
    ['"', '""""'],
    ['', ''],
    [' padded ', ' padded '],
    ['café, 開発', '"café, 開発"'],
  ])('escapes %p by RFC 4180', (value, expected) => {
    expect(csvField(value)).toBe(expected);
  });

  it('round-trips awkward values through a standard CSV parser', () => {
    const values = [
      'comma, "quote" and\nnewline',
      'crlf\r\ninside',
      '"leading quote',
      'trailing quote"',
      ' spaces ',
      'équipe "données", 部署\n2',
      '',
    ];
    const text = csvRow(['a', 'b', 'c', 'd', 'e', 'f', 'g']) + csvRow(values);
    const records = parse(text, { relax_quotes: false }) as string[][];
    expect(records).toEqual([['a', 'b', 'c', 'd', 'e', 'f', 'g'], values]);
  });

  it('neutralises spreadsheet formulas but not numbers', () => {
    expect(csvField('=HYPERLINK("http://x")')).toBe(
      '"\'=HYPERLINK(""http://x"")"',
    );
    expect(csvField('+1+1')).toBe("'+1+1");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('-2.500000000')).toBe('-2.500000000');
    expect(csvField('+3')).toBe('+3');
    expect(csvField(-3)).toBe('-3');
    expect(csvField('=1', { protectFormulas: false })).toBe('=1');
  });

  it('refuses numbers a CSV cannot hold', () => {
    expect(() => csvField(Number.NaN)).toThrow('not a finite number');
    expect(() => csvField(Number.POSITIVE_INFINITY)).toThrow();
  });
});

describe('csvLines', () => {
  it('writes a header and rows from an async source', async () => {
    async function* rows() {
      yield ['x', 1];
      yield ['y, z', 2];
    }
    expect(await collect(csvLines(['name', 'n'], rows()))).toBe(
      'name,n\r\nx,1\r\n"y, z",2\r\n',
    );
  });

  it('pulls rows only as lines are taken', async () => {
    let produced = 0;
    function* endless() {
      for (;;) {
        produced += 1;
        yield [produced];
      }
    }
    const lines = csvLines(['n'], endless());
    const taken: string[] = [];
    for await (const line of lines) {
      taken.push(line);
      if (taken.length === 4) break;
    }
    expect(taken).toEqual(['n\r\n', '1\r\n', '2\r\n', '3\r\n']);
    expect(produced).toBe(3);
  });

  it('streams through a Node Readable', async () => {
    const chunks: string[] = [];
    const readable = csvReadable(['a'], [['1'], ['2,3']]);
    for await (const chunk of readable) chunks.push(chunk.toString('utf8'));
    expect(chunks.join('')).toBe('a\r\n1\r\n"2,3"\r\n');
  });

  it('fails the Readable when the source fails', async () => {
    async function* failing() {
      yield ['1'];
      throw new Error('database gone');
    }
    const readable = csvReadable(['a'], failing());
    await expect(
      (async () => {
        for await (const _ of readable) {
          // drain
        }
      })(),
    ).rejects.toThrow('database gone');
  });
});

describe('chargebackCsvLines', () => {
  // Amounts whose float sum is not exact.
  const lines: ChargebackLine[] = [
    {
      month: '2026-01',
      owner: 'group:default/payments',
      ownerName: 'Payments, "Core"',
      service: 'Amazon EC2',
      kind: 'allocated',
      costNanos: moneyToNanos('0.1'),
    },
    {
      month: '2026-01',
      owner: 'group:default/payments',
      service: 'Amazon EC2',
      kind: 'shared',
      costNanos: moneyToNanos('0.2'),
    },
    {
      month: '2026-01',
      owner: '',
      service: 'AWS Support\n(Business)',
      kind: 'unallocated',
      costNanos: moneyToNanos('1234567.000000003'),
    },
    {
      month: '2026-02',
      owner: 'CC-4711',
      service: 'Amazon S3',
      kind: 'allocated',
      costNanos: moneyToNanos('-0.300000001'),
    },
  ];
  const bill = lines.reduce((sum, l) => sum + l.costNanos, 0n);

  it('writes lines and an exact total that equals the bill', async () => {
    const text = await collect(
      chargebackCsvLines(lines, {
        currency: 'USD',
        costBasis: 'effective',
        billTotalNanos: bill,
      }),
    );
    const records = parse(text, { columns: true }) as Array<
      Record<string, string>
    >;
    expect(records).toHaveLength(5);
    expect(records[0]).toEqual({
      month: '2026-01',
      owner: 'group:default/payments',
      owner_name: 'Payments, "Core"',
      service: 'Amazon EC2',
      kind: 'allocated',
      cost: '0.100000000',
      currency: 'USD',
      cost_basis: 'effective',
    });
    expect(records[2].service).toBe('AWS Support\n(Business)');
    const body = records.filter(r => r.kind !== 'total');
    const total = records.find(r => r.kind === 'total')!;
    const sum = body.reduce((s, r) => s + moneyToNanos(r.cost), 0n);
    expect(sum).toBe(bill);
    expect(moneyToNanos(total.cost)).toBe(bill);
    expect(total.cost).toBe(nanosToMoney(bill));
    expect(total.cost).toBe('1234567.000000002');
  });

  it('streams from an async source', async () => {
    async function* source() {
      for (const line of lines) yield line;
    }
    const text = await collect(
      chargebackCsvLines(source(), { currency: 'EUR', costBasis: 'billed' }),
    );
    expect(text.split('\r\n')[0]).toBe(
      'month,owner,owner_name,service,kind,cost,currency,cost_basis',
    );
    expect(text.endsWith(',,,,total,1234567.000000002,EUR,billed\r\n')).toBe(
      true,
    );
  });

  it('fails rather than deliver totals that differ from the bill', async () => {
    await expect(
      collect(
        chargebackCsvLines(lines, {
          currency: 'USD',
          costBasis: 'effective',
          billTotalNanos: bill + 1n,
        }),
      ),
    ).rejects.toThrow(
      'chargeback lines add up to 1234567.000000002, the bill is 1234567.000000003',
    );
  });
});
