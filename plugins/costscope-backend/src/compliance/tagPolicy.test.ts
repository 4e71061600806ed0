import { ConfigReader } from '@backstage/config';
import { describeTagPolicy, readTagPolicy } from './tagPolicy';

function read(tagPolicy: unknown, allocation?: unknown) {
  return readTagPolicy(
    new ConfigReader({
      costscope: { tagPolicy, ...(allocation ? { allocation } : {}) },
    } as any),
  );
}

describe('readTagPolicy', () => {
  it('returns undefined without a policy or config', () => {
    expect(readTagPolicy(undefined)).toBeUndefined();
    expect(readTagPolicy(new ConfigReader({}))).toBeUndefined();
    expect(
      readTagPolicy(new ConfigReader({ costscope: { currency: 'USD' } })),
    ).toBeUndefined();
  });

  it('reads a full policy', () => {
    const policy = read({
      valueCaseInsensitive: false,
      scope: { providers: ['AWS'], resourceTypes: ['instance', 'volume'] },
      requiredTags: [
        { key: 'team' },
        {
          key: ' environment ',
          aliases: ['Environment', 'env'],
          allowedValues: ['prod', 'staging', 'dev'],
        },
        {
          key: 'cost-center',
          pattern: 'CC-[0-9]{4}',
          valueCaseInsensitive: true,
        },
        { key: 'year', allowedValues: [2025, 2026] },
        { key: 'backup', scope: { services: ['Amazon EC2'] } },
      ],
    })!;
    expect(policy.keyCaseInsensitive).toBe(true);
    expect(policy.valueCaseInsensitive).toBe(false);
    expect(policy.scope).toEqual({
      providers: ['AWS'],
      resourceTypes: ['instance', 'volume'],
    });
    expect(policy.requiredTags.map(r => r.key)).toEqual([
      'team',
      'environment',
      'cost-center',
      'year',
      'backup',
    ]);
    expect(policy.requiredTags[1].spellings).toEqual([
      'environment',
      'Environment',
      'env',
    ]);
    expect(policy.requiredTags[2].pattern!.test('cc-1234')).toBe(true);
    // Anchored: the whole value must match.
    expect(policy.requiredTags[2].pattern!.test('xCC-1234')).toBe(false);
    expect(policy.requiredTags[3].allowedValues).toEqual(['2025', '2026']);
    expect(policy.requiredTags[4].scope).toEqual({ services: ['Amazon EC2'] });

    expect(describeTagPolicy(policy)).toEqual({
      keyCaseInsensitive: true,
      scope: 'providers AWS; resource types instance, volume',
      rules: [
        { key: 'team', aliases: [] },
        {
          key: 'environment',
          aliases: ['Environment', 'env'],
          allowed: 'one of: prod, staging, dev',
        },
        {
          key: 'cost-center',
          aliases: [],
          allowed: 'matching CC-[0-9]{4} (ignoring case)',
        },
        { key: 'year', aliases: [], allowed: 'one of: 2025, 2026' },
        { key: 'backup', aliases: [], scope: 'services Amazon EC2' },
      ],
    });
  });

  it('takes the key case rule from allocation unless set', () => {
    const requiredTags = [{ key: 'team' }];
    expect(
      read({ requiredTags }, { caseInsensitiveTagKeys: false })!
        .keyCaseInsensitive,
    ).toBe(false);
    expect(
      read(
        { requiredTags, keyCaseInsensitive: true },
        { caseInsensitiveTagKeys: false },
      )!.keyCaseInsensitive,
    ).toBe(true);
  });

  it('allows an alias that differs only in case when keys are case-sensitive', () => {
    const policy = read({
      keyCaseInsensitive: false,
      requiredTags: [{ key: 'environment', aliases: ['Environment'] }],
    })!;
    expect(policy.requiredTags[0].spellings).toEqual([
      'environment',
      'Environment',
    ]);
  });

  it.each([
    ['not an object', 'x', 'costscope.tagPolicy must be an object'],
    [
      'no required tags',
      {},
      'costscope.tagPolicy.requiredTags must list at least one tag',
    ],
    [
      'empty required tags',
      { requiredTags: [] },
      'costscope.tagPolicy.requiredTags must list at least one tag',
    ],
    [
      'unknown policy setting',
      { requiredTag: [{ key: 'team' }], requiredTags: [{ key: 'team' }] },
      'costscope.tagPolicy.requiredTag is not a tag policy setting',
    ],
    [
      'a rule that is a string',
      { requiredTags: [{ key: 'team' }, 'env'] },
      'costscope.tagPolicy.requiredTags[1] must be an object with a key',
    ],
    [
      'a missing key',
      { requiredTags: [{ key: 'team' }, { aliases: ['x'] }] },
      'costscope.tagPolicy.requiredTags[1].key must be a non-empty text',
    ],
    [
      'a blank key',
      { requiredTags: [{ key: '  ' }] },
      'costscope.tagPolicy.requiredTags[0].key must be a non-empty text',
    ],
    [
      'a bad regular expression',
      {
        requiredTags: [
          { key: 'a' },
          { key: 'b' },
          { key: 'cost-center', pattern: '([0-9]+' },
        ],
      },
      "costscope.tagPolicy.requiredTags[2].pattern '([0-9]+' is not a valid regular expression",
    ],
    [
      'an empty pattern',
      { requiredTags: [{ key: 'a', pattern: ' ' }] },
      'costscope.tagPolicy.requiredTags[0].pattern is empty',
    ],
    [
      'a pattern that is not a text',
      { requiredTags: [{ key: 'a', pattern: 5 }] },
      'costscope.tagPolicy.requiredTags[0].pattern must be a text',
    ],
    [
      'both allowed values and a pattern',
      { requiredTags: [{ key: 'a', pattern: 'x', allowedValues: ['x'] }] },
      'costscope.tagPolicy.requiredTags[0] sets both allowedValues and pattern',
    ],
    [
      'empty allowed values',
      { requiredTags: [{ key: 'env', allowedValues: [] }] },
      'costscope.tagPolicy.requiredTags[0].allowedValues is empty',
    ],
    [
      'a blank allowed value',
      { requiredTags: [{ key: 'env', allowedValues: ['prod', ' '] }] },
      'costscope.tagPolicy.requiredTags[0].allowedValues[1] is empty',
    ],
    [
      'an allowed value that is an object',
      { requiredTags: [{ key: 'env', allowedValues: ['prod', { a: 1 }] }] },
      'costscope.tagPolicy.requiredTags[0].allowedValues[1] must be a text',
    ],
    [
      'allowed values that are not a list',
      { requiredTags: [{ key: 'env', allowedValues: 'prod' }] },
      'costscope.tagPolicy.requiredTags[0].allowedValues must be a list',
    ],
    [
      'an unknown rule setting',
      { requiredTags: [{ key: 'env', alowedValues: ['prod'] }] },
      'costscope.tagPolicy.requiredTags[0].alowedValues is not a tag policy setting',
    ],
    [
      'an alias used twice',
      {
        requiredTags: [
          { key: 'environment', aliases: ['env'] },
          { key: 'stage', aliases: ['ENV'] },
        ],
      },
      "costscope.tagPolicy.requiredTags[1].aliases[0] 'ENV' is already used by costscope.tagPolicy.requiredTags[0].aliases[0] (keys are compared ignoring case)",
    ],
    [
      'a key repeated',
      { requiredTags: [{ key: 'team' }, { key: 'Team' }] },
      "costscope.tagPolicy.requiredTags[1].key 'Team' is already used by costscope.tagPolicy.requiredTags[0].key",
    ],
    [
      'a bad case flag',
      { keyCaseInsensitive: 'yes', requiredTags: [{ key: 'team' }] },
      'costscope.tagPolicy.keyCaseInsensitive must be true or false',
    ],
    [
      'a bad rule case flag',
      { requiredTags: [{ key: 'team', valueCaseInsensitive: 1 }] },
      'costscope.tagPolicy.requiredTags[0].valueCaseInsensitive must be true or false',
    ],
    [
      'a scope that is a list',
      { scope: ['AWS'], requiredTags: [{ key: 'team' }] },
      'costscope.tagPolicy.scope must be an object',
    ],
    [
      'an unknown scope setting',
      { scope: { regions: ['eu-west-1'] }, requiredTags: [{ key: 'team' }] },
      'costscope.tagPolicy.scope.regions is not a tag policy setting (known: providers, services, resourceTypes)',
    ],
    [
      'an empty scope list',
      {
        requiredTags: [{ key: 'team' }, { key: 'b', scope: { services: [] } }],
      },
      'costscope.tagPolicy.requiredTags[1].scope.services is empty',
    ],
  ])('rejects %s', (_name, tagPolicy, message) => {
    expect(() => read(tagPolicy)).toThrow(message);
  });

  it('accepts aliases that repeat the key within its own rule', () => {
    const policy = read({
      requiredTags: [
        { key: 'environment', aliases: ['Environment', 'env', 'environment'] },
      ],
    })!;
    expect(policy.requiredTags[0].aliases).toEqual([
      'Environment',
      'env',
      'environment',
    ]);
  });

  it('treats a key repeated in other case as distinct when keys are case-sensitive', () => {
    const policy = read({
      keyCaseInsensitive: false,
      requiredTags: [{ key: 'team' }, { key: 'Team' }],
    })!;
    expect(policy.requiredTags).toHaveLength(2);
  });

  it('normalises keys and allowed values to NFC', () => {
    const nfd = 'cafe\u0301';
    const policy = read({
      requiredTags: [{ key: `${nfd}-key`, allowedValues: [nfd] }],
    })!;
    expect(policy.requiredTags[0].key).toBe('caf\u00e9-key');
    expect(policy.requiredTags[0].allowedValues).toEqual(['caf\u00e9']);
  });
});
