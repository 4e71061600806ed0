import { parseTags } from '../sources/focus/parseFocusRow';
import {
  parseTagsJson,
  readTagsObject,
  TagsRejectionCounter,
} from './parseTagsJson';

describe('parseTagsJson', () => {
  it.each([
    [undefined, {}],
    [null, {}],
    ['', {}],
    ['  ', {}],
    ['NULL', {}],
    ['null', {}],
    ['n/a', {}],
    ['{}', {}],
    ['\uFEFF{"team":"payments"}', { team: 'payments' }],
    ['{"team":"payments","env":""}', { team: 'payments', env: '' }],
    [
      '{"n":4711,"f":1.5,"e":1e3,"b":false}',
      { n: '4711', f: '1.5', e: '1000', b: 'false' },
    ],
    ['{"team":null,"env":"prod"}', { env: 'prod' }],
    ['{" team ":"x"}', { ' team ': 'x' }],
    ['{"équipe":"café","部署":"開発"}', { équipe: 'café', 部署: '開発' }],
  ])('reads %p', (text, tags) => {
    expect(parseTagsJson(text)).toEqual({ ok: true, tags });
  });

  it.each([
    ['{team: payments}', 'invalid-json', 'Tags is not valid JSON'],
    ['{"team":"payments"', 'invalid-json', 'Tags is not valid JSON'],
    ["{'team':'payments'}", 'invalid-json', 'Tags is not valid JSON'],
    ['[["team","payments"]]', 'not-an-object', 'Tags is not a JSON object'],
    ['"team=payments"', 'not-an-object', 'Tags is not a JSON object'],
    ['42', 'not-an-object', 'Tags is not a JSON object'],
    [
      '{"team":{"name":"x"}}',
      'non-scalar-value',
      "Tags value of 'team' is not a scalar",
    ],
    [
      '{"teams":["a","b"]}',
      'non-scalar-value',
      "Tags value of 'teams' is not a scalar",
    ],
  ])('rejects %p without throwing', (text, reason, message) => {
    expect(parseTagsJson(text)).toEqual({ ok: false, reason, message });
  });

  it('agrees with the ingest parser', () => {
    const inputs = [
      '',
      'NULL',
      '{}',
      '{"a":"1","b":2,"c":true,"d":null}',
      '{"a":',
      '[1]',
      '{"a":{"b":1}}',
      ' {"a":"x"} ',
    ];
    for (const input of inputs) {
      // The ingest parser returns the tags or the rejection message.
      const ours = parseTagsJson(input);
      expect(ours.ok ? ours.tags : ours.message).toEqual(parseTags(input));
    }
  });

  it('checks already parsed objects by the same rules', () => {
    expect(readTagsObject({ a: 1, b: null })).toEqual({
      ok: true,
      tags: { a: '1' },
    });
    expect(readTagsObject(null)).toEqual({ ok: true, tags: {} });
    expect(readTagsObject(['a'])).toEqual(
      expect.objectContaining({ ok: false, reason: 'not-an-object' }),
    );
  });
});

describe('TagsRejectionCounter', () => {
  it('counts by reason and keeps the first examples', () => {
    const counter = new TagsRejectionCounter(2);
    for (const [id, text] of [
      ['r1', '{'],
      ['r2', '[]'],
      ['r3', '{'],
      ['r4', '{"a":"ok"}'],
    ]) {
      const result = parseTagsJson(text);
      if (!result.ok) counter.add(result, id);
    }
    expect(counter.total).toBe(3);
    expect(counter.byReason).toEqual({
      'invalid-json': 2,
      'not-an-object': 1,
      'non-scalar-value': 0,
    });
    expect(counter.examples).toEqual([
      { resourceId: 'r1', message: 'Tags is not valid JSON' },
      { resourceId: 'r2', message: 'Tags is not a JSON object' },
    ]);
  });
});
