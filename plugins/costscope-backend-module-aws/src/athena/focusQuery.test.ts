import { focusDailyQuery, tagsAsJson } from './focusQuery';

const query = (columns?: Map<string, string>) =>
  focusDailyQuery({
    database: 'billing',
    table: 'focus',
    partitionColumn: 'billing_period',
    period: '2026-03',
    columns,
  });

describe('the Athena FOCUS query reads tags by their column type', () => {
  it('formats a map (as AWS writes Tags) as JSON text', () => {
    expect(tagsAsJson('tags', 'map<string,string>')).toBe(
      'json_format(CAST(tags AS JSON))',
    );
    expect(query(new Map([['tags', 'map<string,string>']]))).toContain(
      'json_format(CAST(tags AS JSON)) AS tags',
    );
  });

  it('reads a string column (a table over CSV exports) as the JSON text it holds, which a CAST to JSON would quote', () => {
    const sql = query(new Map([['tags', 'string']]));
    expect(sql).toContain('CAST(tags AS VARCHAR) AS tags');
    expect(sql).not.toContain('CAST(tags AS JSON)');
  });

  it('takes a map when the table columns are unknown', () => {
    expect(query()).toContain('json_format(CAST(tags AS JSON)) AS tags');
  });

  it('reads AllocatedTags the same way', () => {
    const columns = new Map([
      ['tags', 'string'],
      ['allocatedmethodid', 'string'],
      ['allocatedtags', 'string'],
    ]);
    expect(query(columns)).toContain(
      'CAST(allocatedtags AS VARCHAR) AS allocated_tags',
    );
    columns.set('allocatedtags', 'map<string,string>');
    expect(query(columns)).toContain(
      'json_format(CAST(allocatedtags AS JSON)) AS allocated_tags',
    );
  });
});
