import { allocateKeys } from './allocate';
import { AllocationRule, buildRules, PRIORITY } from './rules';
import { SnapshotEntity } from './catalogSnapshot';

const rule: AllocationRule = {
  id: 1,
  order: 0,
  entityRef: 'component:default/cafe',
  entityKind: 'component',
  origin: 'annotation',
  rule: 'équipe=café',
  priority: PRIORITY.componentConvention,
  specificity: 1,
  conditions: [{ key: 'équipe', value: 'café' }],
};

describe('allocateKeys', () => {
  it('matches tags whatever their Unicode normal form and surrounding spaces', () => {
    const nfd = (text: string) => text.normalize('NFD');
    const allocation = allocateKeys(
      [
        {
          allocKey: 'nfd',
          subAccountId: '1',
          tags: JSON.stringify({ [` ${nfd('Équipe')}`]: `${nfd('café')} ` }),
        },
        {
          allocKey: 'other',
          subAccountId: '1',
          tags: JSON.stringify({ équipe: 'cafe' }),
        },
      ],
      [rule],
      { caseInsensitiveTagKeys: true },
    );
    expect(allocation.get('nfd')).toEqual({ ruleId: 1, overlaps: [] });
    expect(allocation.get('other')).toEqual({ ruleId: null, overlaps: [] });
  });
});

describe('unused commitment', () => {
  const catalog: SnapshotEntity[] = [
    {
      ref: 'group:default/finops',
      kind: 'group',
      name: 'finops',
      annotations: {},
    },
    {
      ref: 'component:default/api',
      kind: 'component',
      name: 'api',
      annotations: {},
    },
  ];
  const conventions = { componentTagKeys: ['service'], groupTagKeys: ['team'] };
  const keys = [
    {
      allocKey: 'unused',
      subAccountId: '1',
      tags: '{"service":"api"}',
      unusedCommitment: true,
    },
    {
      allocKey: 'usage',
      subAccountId: '1',
      tags: '{"service":"api"}',
      unusedCommitment: false,
    },
  ];

  it('goes to the configured owner before any tag rule; other lines of its tags do not', () => {
    const { rules, problems } = buildRules(catalog, {
      ...conventions,
      unusedCommitmentOwner: 'group:default/finops',
    });
    expect(problems).toEqual([]);
    const byId = new Map(rules.map(r => [r.id, r.entityRef]));
    const allocation = allocateKeys(keys, rules, {
      caseInsensitiveTagKeys: true,
    });
    expect(byId.get(allocation.get('unused')!.ruleId!)).toBe(
      'group:default/finops',
    );
    expect(byId.get(allocation.get('usage')!.ruleId!)).toBe(
      'component:default/api',
    );
  });

  it('goes where its tags say without an owner, and an owner not in the catalog is reported', () => {
    const { rules, problems } = buildRules(catalog, {
      ...conventions,
      unusedCommitmentOwner: 'group:default/nobody',
    });
    expect(problems).toEqual([
      'costscope.commitments.unusedOwner group:default/nobody is not in the catalog; unused commitment goes where its tags say',
    ]);
    const byId = new Map(rules.map(r => [r.id, r.entityRef]));
    const allocation = allocateKeys(keys, rules, {
      caseInsensitiveTagKeys: true,
    });
    expect(byId.get(allocation.get('unused')!.ruleId!)).toBe(
      'component:default/api',
    );
  });
});
