import { mergeTagSources } from './mergeTagSources';

describe('mergeTagSources', () => {
  it('judges the inventory tags when the inventory knows the resource', () => {
    const merged = mergeTagSources('{"team":"payments"}', {
      team: 'payments',
      env: 'prod',
    });
    expect(merged.used).toBe('inventory');
    expect(merged.tags).toEqual({ team: 'payments', env: 'prod' });
    expect(merged.billing).toEqual({ team: 'payments' });
    expect(merged.differences).toEqual([
      { key: 'env', change: 'added', inventory: 'prod' },
    ]);
    expect(merged.disagreement).toBe(
      'tag env added in inventory, not yet in billing data',
    );
  });

  it('judges billing tags without an inventory record', () => {
    const merged = mergeTagSources({ team: 'payments', n: 3 }, undefined);
    expect(merged).toEqual({
      tags: { team: 'payments', n: '3' },
      used: 'billing',
      billing: { team: 'payments', n: '3' },
      inventory: undefined,
      billingRejection: undefined,
      differences: [],
      disagreement: undefined,
    });
  });

  it('treats no billing tags as an empty set', () => {
    expect(mergeTagSources(null, undefined)).toEqual(
      expect.objectContaining({
        tags: {},
        used: 'billing',
        billing: undefined,
      }),
    );
    expect(mergeTagSources(undefined, { team: 'x' }).disagreement).toBe(
      'tag team added in inventory, not yet in billing data',
    );
  });

  it('reports removed and changed tags, ordered by key', () => {
    const merged = mergeTagSources(
      '{"team":"search","owner":"bob","env":"prod"}',
      { team: 'payments', env: ' prod ' },
    );
    expect(merged.differences).toEqual([
      { key: 'owner', change: 'removed', billing: 'bob' },
      {
        key: 'team',
        change: 'changed',
        billing: 'search',
        inventory: 'payments',
      },
    ]);
    expect(merged.disagreement).toBe(
      "tag owner removed in inventory, still in billing data; tag team is 'payments' in inventory, 'search' in billing data",
    );
  });

  it('keeps disagreements to the keys that matter', () => {
    const merged = mergeTagSources(
      '{"team":"payments"}',
      {
        team: 'payments',
        Name: 'web-1',
        'aws:cloudformation:stack-name': 'web',
      },
      { isRelevantKey: key => key.trim().toLowerCase() === 'team' },
    );
    expect(merged.disagreement).toBeUndefined();
  });

  it('compares keys ignoring case only when asked', () => {
    expect(
      mergeTagSources('{"Team":"payments"}', { team: 'payments' }).differences,
    ).toHaveLength(2);
    expect(
      mergeTagSources(
        '{"Team":"payments"}',
        { team: 'payments' },
        {
          keyCaseInsensitive: true,
        },
      ).differences,
    ).toEqual([]);
  });

  it('compares Unicode forms as equal', () => {
    expect(
      mergeTagSources({ 'e\u0301quipe': 'cafe\u0301' }, { équipe: 'café' })
        .differences,
    ).toEqual([]);
  });

  it('falls back to the inventory when billing tags are malformed', () => {
    const merged = mergeTagSources('{"team":', { team: 'payments' });
    expect(merged.used).toBe('inventory');
    expect(merged.billingRejection).toEqual({
      ok: false,
      reason: 'invalid-json',
      message: 'Tags is not valid JSON',
    });
    expect(merged.disagreement).toBeUndefined();
  });

  it('uses no tags when billing tags are malformed and no inventory knows the resource', () => {
    const merged = mergeTagSources('{"team": ["a"]}', undefined);
    expect(merged.used).toBe('none');
    expect(merged.tags).toEqual({});
    expect(merged.billingRejection?.reason).toBe('non-scalar-value');
  });
});
