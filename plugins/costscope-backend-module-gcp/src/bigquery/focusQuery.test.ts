import { focusDailyQuery, tagsAsJson } from './focusQuery';

const query = (columns?: Map<string, string>) =>
  focusDailyQuery({
    table: 'project.billing.focus',
    period: '2026-03',
    columns,
  });

describe('the BigQuery FOCUS query reads tags by their column type', () => {
  it("turns the FOCUS view's array of key/value structs into JSON text", () => {
    expect(tagsAsJson('Tags', 'RECORD')).toBe('TO_JSON_STRING(Tags)');
    expect(query(new Map([['tags', 'RECORD']]))).toContain(
      'TO_JSON_STRING(Tags) AS tags',
    );
  });

  it('reads a STRING column as the JSON text it holds, which TO_JSON_STRING would quote', () => {
    const sql = query(new Map([['tags', 'STRING']]));
    expect(sql).toContain('CAST(Tags AS STRING) AS tags');
    expect(sql).not.toContain('TO_JSON_STRING(Tags)');
  });

  it("takes the view's array when the table columns are unknown", () => {
    expect(query()).toContain('TO_JSON_STRING(Tags) AS tags');
  });
});
