import { allocateKeys } from './allocate';
import { AllocationRule, PRIORITY } from './rules';

const rule: AllocationRule = {
  id: 1,
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
