import { ConfigReader } from '@backstage/config';
import { evaluateTags, isInScope, policyKeyFilter } from './evaluateTags';
import { parseTagsJson } from './parseTagsJson';
import { readTagPolicy, TagPolicy } from './tagPolicy';

function policyOf(tagPolicy: object): TagPolicy {
  return readTagPolicy(new ConfigReader({ costscope: { tagPolicy } } as any))!;
}

const basic = policyOf({
  requiredTags: [
    { key: 'team' },
    {
      key: 'environment',
      aliases: ['env'],
      allowedValues: ['prod', 'staging', 'dev'],
    },
    { key: 'cost-center', pattern: 'CC-[0-9]{4}' },
  ],
});

const good = {
  team: 'payments',
  environment: 'prod',
  'cost-center': 'CC-4711',
};

describe('evaluateTags', () => {
  it('passes a compliant resource', () => {
    expect(evaluateTags(good, basic)).toEqual({
      inScope: true,
      violations: [],
    });
  });

  it('reports missing keys, in policy order', () => {
    expect(evaluateTags({ owner: 'x' }, basic).violations).toEqual([
      { key: 'team', problem: 'missing' },
      { key: 'environment', problem: 'missing' },
      { key: 'cost-center', problem: 'missing' },
    ]);
    expect(evaluateTags(undefined, basic).violations).toHaveLength(3);
  });

  it('reports empty and whitespace-only values as empty', () => {
    expect(evaluateTags({ ...good, team: '' }, basic).violations).toEqual([
      { key: 'team', problem: 'empty' },
    ]);
    expect(
      evaluateTags({ ...good, team: ' \t\u00a0 ' }, basic).violations,
    ).toEqual([{ key: 'team', problem: 'empty' }]);
  });

  it('treats null values as absent tags', () => {
    expect(evaluateTags({ ...good, team: null }, basic).violations).toEqual([
      { key: 'team', problem: 'missing' },
    ]);
  });

  it('trims keys and values, and says how the key was spelled', () => {
    const { team: _team, ...rest } = good;
    expect(evaluateTags({ ...rest, ' team ': ' payments ' }, basic)).toEqual({
      inScope: true,
      violations: [],
    });
    expect(
      evaluateTags(
        { ...rest, '  team': 'marketing', environment: ' prod\n' },
        basic,
      ).violations,
    ).toEqual([]);
    expect(evaluateTags({ ...rest, ' team': '  ' }, basic).violations).toEqual([
      { key: 'team', problem: 'empty', foundKey: ' team' },
    ]);
  });

  it('ignores blank keys', () => {
    expect(
      evaluateTags({ ...good, '  ': 'x', '': 'y' }, basic).violations,
    ).toEqual([]);
  });

  it('reports values not allowed, with what is allowed', () => {
    expect(
      evaluateTags({ ...good, environment: 'production' }, basic).violations,
    ).toEqual([
      {
        key: 'environment',
        problem: 'not-allowed',
        value: 'production',
        allowed: 'one of: prod, staging, dev',
      },
    ]);
    expect(
      evaluateTags({ ...good, 'cost-center': 'CC-47110' }, basic).violations,
    ).toEqual([
      {
        key: 'cost-center',
        problem: 'not-allowed',
        value: 'CC-47110',
        allowed: 'matching CC-[0-9]{4}',
      },
    ]);
  });

  it('reports values differing only in case as case-mismatch when values are case-sensitive', () => {
    expect(
      evaluateTags({ ...good, environment: 'Prod' }, basic).violations,
    ).toEqual([
      {
        key: 'environment',
        problem: 'case-mismatch',
        value: 'Prod',
        allowed: 'one of: prod, staging, dev',
      },
    ]);
    expect(
      evaluateTags({ ...good, 'cost-center': 'cc-4711' }, basic).violations,
    ).toEqual([
      {
        key: 'cost-center',
        problem: 'case-mismatch',
        value: 'cc-4711',
        allowed: 'matching CC-[0-9]{4}',
      },
    ]);
  });

  it('accepts values differing only in case when values are case-insensitive', () => {
    const policy = policyOf({
      valueCaseInsensitive: true,
      requiredTags: [
        { key: 'environment', allowedValues: ['prod'] },
        { key: 'cost-center', pattern: 'CC-[0-9]{4}' },
        { key: 'tier', allowedValues: ['gold'], valueCaseInsensitive: false },
      ],
    });
    expect(
      evaluateTags(
        { environment: 'PROD', 'cost-center': 'cc-4711', tier: 'Gold' },
        policy,
      ).violations,
    ).toEqual([
      {
        key: 'tier',
        problem: 'case-mismatch',
        value: 'Gold',
        allowed: 'one of: gold',
      },
    ]);
  });

  it('matches keys ignoring case by default', () => {
    expect(
      evaluateTags(
        { Team: 'payments', ENVIRONMENT: 'prod', 'Cost-Center': 'CC-0001' },
        basic,
      ).violations,
    ).toEqual([]);
  });

  it('reports keys differing only in case as case-mismatch when keys are case-sensitive', () => {
    const policy = policyOf({
      keyCaseInsensitive: false,
      requiredTags: [{ key: 'team' }, { key: 'environment', aliases: ['env'] }],
    });
    expect(
      evaluateTags({ Team: 'payments', ENV: 'prod' }, policy).violations,
    ).toEqual([
      {
        key: 'team',
        problem: 'case-mismatch',
        foundKey: 'Team',
        allowed: "key spelled 'team'",
      },
      {
        key: 'environment',
        problem: 'case-mismatch',
        foundKey: 'ENV',
        allowed: "key spelled 'environment' or 'env'",
      },
    ]);
    // The right spelling next to a wrong one complies.
    expect(
      evaluateTags({ Team: 'x', team: 'payments', environment: 'prod' }, policy)
        .violations,
    ).toEqual([]);
  });

  it('counts aliases as the key', () => {
    expect(
      evaluateTags({ ...good, environment: undefined, env: 'dev' }, basic)
        .violations,
    ).toEqual([]);
    expect(
      evaluateTags({ ...good, environment: undefined, Env: 'qa' }, basic)
        .violations,
    ).toEqual([
      {
        key: 'environment',
        problem: 'not-allowed',
        foundKey: 'Env',
        value: 'qa',
        allowed: 'one of: prod, staging, dev',
      },
    ]);
  });

  it('prefers the key over aliases, and skips blank spellings', () => {
    // The key's value is judged when both are set.
    expect(
      evaluateTags({ ...good, environment: 'qa', env: 'prod' }, basic)
        .violations,
    ).toEqual([expect.objectContaining({ key: 'environment', value: 'qa' })]);
    // A blank key does not hide a good alias.
    expect(
      evaluateTags({ ...good, environment: ' ', env: 'prod' }, basic)
        .violations,
    ).toEqual([]);
    // The exact spelling wins over another case of it.
    expect(
      evaluateTags({ ...good, environment: 'prod', Environment: 'qa' }, basic)
        .violations,
    ).toEqual([]);
  });

  it('normalises Unicode keys and values to NFC', () => {
    const policy = policyOf({
      requiredTags: [
        { key: 'équipe', allowedValues: ['café', 'naïve'] },
        { key: '部署', allowedValues: ['開発'] },
      ],
    });
    // NFD (decomposed) spellings, as macOS file names and some tools write them.
    const nfdKey = 'e\u0301quipe';
    const nfdValue = 'cafe\u0301';
    expect(nfdKey).not.toBe('équipe');
    expect(
      evaluateTags({ [nfdKey]: nfdValue, 部署: '開発' }, policy).violations,
    ).toEqual([]);
    expect(
      evaluateTags({ ÉQUIPE: 'CAFÉ', 部署: '営業' }, policy).violations,
    ).toEqual([
      {
        key: 'équipe',
        problem: 'case-mismatch',
        foundKey: 'ÉQUIPE',
        value: 'CAFÉ',
        allowed: 'one of: café, naïve',
      },
      {
        key: '部署',
        problem: 'not-allowed',
        value: '営業',
        allowed: 'one of: 開発',
      },
    ]);
  });

  it('stringifies numbers and booleans from FOCUS JSON', () => {
    const policy = policyOf({
      requiredTags: [
        { key: 'cost-center', pattern: '[0-9]{4}' },
        { key: 'backup', allowedValues: ['true', 'false'] },
        { key: 'tier', allowedValues: [1, 2] },
      ],
    });
    const parsed = parseTagsJson(
      '{"cost-center": 4711, "backup": true, "tier": 2.0}',
    );
    if (!parsed.ok) throw new Error('unexpected rejection');
    expect(parsed.tags).toEqual({
      'cost-center': '4711',
      backup: 'true',
      tier: '2',
    });
    expect(evaluateTags(parsed.tags, policy).violations).toEqual([]);
    // The same values unparsed, as an inventory or a JSON column could hand them over.
    expect(
      evaluateTags({ 'cost-center': 4711, backup: false, tier: 1 }, policy)
        .violations,
    ).toEqual([]);
    expect(
      evaluateTags({ 'cost-center': 47, backup: 0, tier: 3 }, policy)
        .violations,
    ).toEqual([
      {
        key: 'cost-center',
        problem: 'not-allowed',
        value: '47',
        allowed: 'matching [0-9]{4}',
      },
      {
        key: 'backup',
        problem: 'not-allowed',
        value: '0',
        allowed: 'one of: true, false',
      },
      {
        key: 'tier',
        problem: 'not-allowed',
        value: '3',
        allowed: 'one of: 1, 2',
      },
    ]);
  });

  it('rejects nested values as not allowed', () => {
    expect(
      evaluateTags({ ...good, team: { name: 'payments' } }, basic).violations,
    ).toEqual([
      {
        key: 'team',
        problem: 'not-allowed',
        allowed: 'a text, number or boolean value',
      },
    ]);
  });

  it('does not judge resources outside the policy scope', () => {
    const policy = policyOf({
      scope: { providers: ['AWS'], resourceTypes: ['instance', 'volume'] },
      requiredTags: [
        { key: 'team' },
        { key: 'backup', scope: { resourceTypes: ['volume'] } },
      ],
    });
    expect(
      evaluateTags({}, policy, { provider: 'Azure', resourceType: 'instance' }),
    ).toEqual({
      inScope: false,
      violations: [],
    });
    expect(evaluateTags({}, policy, { provider: 'aws' })).toEqual({
      inScope: false,
      violations: [],
    });
    expect(
      evaluateTags({}, policy, { provider: 'aws', resourceType: 'Instance' }),
    ).toEqual({
      inScope: true,
      violations: [{ key: 'team', problem: 'missing' }],
    });
    expect(
      evaluateTags({}, policy, { provider: 'AWS', resourceType: 'volume' })
        .violations,
    ).toEqual([
      { key: 'team', problem: 'missing' },
      { key: 'backup', problem: 'missing' },
    ]);
  });

  it('applies a policy without scope to everything', () => {
    expect(isInScope(undefined, {})).toBe(true);
    expect(
      isInScope({ services: ['Amazon EC2'] }, { service: ' amazon ec2 ' }),
    ).toBe(true);
    expect(isInScope({ services: ['Amazon EC2'] }, {})).toBe(false);
  });
});

describe('policyKeyFilter', () => {
  it('knows required keys and aliases, compared as the policy compares keys', () => {
    const isPolicyKey = policyKeyFilter(basic);
    expect(['team', ' Team', 'ENV', 'environment'].map(isPolicyKey)).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(isPolicyKey('Name')).toBe(false);
  });
});
