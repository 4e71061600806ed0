import { RuleRow, SummaryRow, summaryAnswer } from './summaryAnswer';

const api = 'component:default/api';
const web = 'component:default/web';
/** Ids in no order of what the rules are: ids are kept across allocations, so say history. */
const rules: RuleRow[] = [
  { id: 9, entity_ref: api, origin: 'account', rule: 'aws account 1' },
  { id: 3, entity_ref: api, origin: 'annotation', rule: 'env=prod' },
  { id: 7, entity_ref: api, origin: 'annotation', rule: 'app=api' },
  { id: 1, entity_ref: api, origin: 'commitment', rule: 'unused commitment' },
  { id: 5, entity_ref: web, origin: 'convention', rule: 'service=web' },
  { id: 2, entity_ref: api, origin: 'kubernetes', rule: 'namespace api' },
];
const row = (ruleId: number, cost: string): SummaryRow => ({
  rule_id: ruleId,
  provider: 'aws',
  sub_account_id: '1',
  region: 'eu-west-1',
  service_name: 'EC2',
  charge_category: 'Usage',
  cost,
});

function listed(rows: SummaryRow[], own: RuleRow[]) {
  const byId = new Map(rules.map(rule => [rule.id, rule]));
  return summaryAnswer(
    api,
    { from: '2026-03-01', to: '2026-03-31' },
    { currency: 'USD', costBasis: 'billed' },
    {
      previousTotal: 0n,
      rows,
      ruleOf: id => byId.get(id),
      ownRules: own,
      overlaps: [],
    },
    new Set(),
  ).mappingRules.map(rule => `${rule.entityRef} ${rule.origin} ${rule.rule}`);
}

describe('mapping rules of a summary', () => {
  it('lists rules of equal cost, then unused own rules, by entity, origin as built and text, not by id', () => {
    const own = rules.filter(rule => rule.entity_ref === api);
    expect(
      listed(
        [row(5, '2000000000'), row(9, '2000000000'), row(2, '5000000000')],
        own,
      ),
    ).toEqual([
      `${api} kubernetes namespace api`,
      `${api} account aws account 1`,
      `${web} convention service=web`,
      `${api} commitment unused commitment`,
      `${api} annotation app=api`,
      `${api} annotation env=prod`,
    ]);
    // Read in any order, the same list.
    expect(listed([], [...own].reverse())).toEqual(listed([], own));
  });
});
