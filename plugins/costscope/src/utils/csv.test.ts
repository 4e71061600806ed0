import { csvFileName, escapeCsvField, resourcesToCsv, toCsv } from './csv';

describe('csv', () => {
  it('quotes fields with commas, quotes and line breaks', () => {
    expect(escapeCsvField('plain')).toBe('plain');
    expect(escapeCsvField('a,b')).toBe('"a,b"');
    expect(escapeCsvField('say "hi"')).toBe('"say ""hi"""');
    expect(escapeCsvField('two\nlines')).toBe('"two\nlines"');
    expect(escapeCsvField('cr\rlf')).toBe('"cr\rlf"');
    expect(escapeCsvField(undefined)).toBe('');
    expect(escapeCsvField(null)).toBe('');
    expect(escapeCsvField(0.25)).toBe('0.25');
  });

  it('keeps numbers but defuses spreadsheet formulas', () => {
    expect(escapeCsvField('-12.500000000')).toBe('-12.500000000');
    expect(escapeCsvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(escapeCsvField('@SUM(A1)')).toBe("'@SUM(A1)");
  });

  it('builds RFC 4180 documents', () => {
    expect(toCsv(['a', 'b'], [['1', 'x,y']])).toBe('a,b\r\n1,"x,y"\r\n');
  });

  it('exports resources with exact costs', () => {
    const csv = resourcesToCsv([
      {
        resourceId: 'i-1',
        resourceName: 'web, "blue"',
        provider: 'aws',
        account: '1',
        service: 'AmazonEC2',
        cost: '0.000000001',
        share: null,
      },
      {
        resourceId: 'i-2',
        provider: 'azure',
        account: 's',
        service: 'Virtual Machines',
        cost: '1.100000000',
        share: 0.5,
        originalCost: { currency: 'EUR', cost: '1.000000000' },
      },
    ]);
    expect(csv.split('\r\n').slice(0, 3)).toEqual([
      'resource_id,resource_name,resource_type,provider,account,region,service,entity_ref,cost,share,original_currency,original_cost',
      'i-1,"web, ""blue""",,aws,1,,AmazonEC2,,0.000000001,,,',
      'i-2,,,azure,s,,Virtual Machines,,1.100000000,0.5,EUR,1.000000000',
    ]);
  });

  it('makes safe file names', () => {
    expect(csvFileName('costscope', 'a b/c', '2024-01-01')).toBe(
      'costscope-a_b_c-2024-01-01.csv',
    );
  });
});
