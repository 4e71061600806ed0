import { BillSplitFact } from '../store/types';
import { billSplitParts } from './billSplitParts';
import { ClusterRules } from './workloadRules';

const rules: ClusterRules = {
  cluster: 'prod',
  ownerRuleId: 1,
  billOwnerRuleId: 2,
  systemNamespaces: ['kube-system'],
  matchers: [
    {
      ruleId: 3,
      billRuleId: 4,
      entityRef: 'component:default/checkout-api',
      labels: [['app', 'checkout']],
    },
  ],
};

const pod = (
  namespace: string,
  labels: Record<string, string>,
  [billed, effective, list]: [bigint, bigint, bigint],
  name = `${namespace}-pod`,
): BillSplitFact => ({
  cluster: 'prod',
  methodId: 'AWS-EKS-SplitCost',
  resourceId: `pod/${name}`,
  resourceName: name,
  tags: JSON.stringify({ namespace, ...labels }),
  billedNanos: billed,
  effectiveNanos: effective,
  listNanos: list,
});
const idle = ([billed, effective, list]: [
  bigint,
  bigint,
  bigint,
]): BillSplitFact => ({
  cluster: 'prod',
  methodId: null,
  resourceId: null,
  resourceName: null,
  tags: '{}',
  billedNanos: billed,
  effectiveNanos: effective,
  listNanos: list,
});

const brief = (parts: ReturnType<typeof billSplitParts>) =>
  parts.map(p => [
    p.kind,
    p.workload,
    p.ruleId,
    p.billedNanos,
    p.effectiveNanos,
    p.listNanos,
  ]);

describe('billSplitParts', () => {
  const checkout = { workload: 'checkout-api', app: 'checkout' };
  const facts = [
    pod('shop', checkout, [4n, 0n, 4n], 'checkout-1'),
    pod('shop', checkout, [2n, 0n, 2n], 'checkout-2'),
    pod('tools', {}, [2n, 0n, 2n]),
    pod('kube-system', {}, [7n, 5n, 7n]),
    idle([2n, 0n, 2n]),
  ];

  it("keeps system and idle with the owner's bill rule by default, a workload's pods summed", () => {
    expect(
      brief(billSplitParts(rules, { idle: 'owner', systemTo: 'owner' }, facts)),
    ).toEqual([
      ['idle', 'idle', 2, 2n, 0n, 2n],
      ['system', 'system', 2, 7n, 5n, 7n],
      ['workload', 'shop/checkout-api', 4, 6n, 0n, 6n],
      ['workload', 'tools/tools-pod', null, 2n, 0n, 2n],
    ]);
  });

  it('spreads system over the other parts, idle kept, exactly; a basis without weight stays with the owner', () => {
    // Billed 7 over checkout-api 6, debug 2 and idle 2 (of 10): floors 4, 1, 1 (remainders
    // 2, 4, 4); the nano left goes to the larger remainder, idle and tools tied: idle's key
    // sorts first. Effective 5 has no weight to go by: system keeps it, with the owner.
    expect(
      brief(
        billSplitParts(rules, { idle: 'owner', systemTo: 'spread' }, facts),
      ),
    ).toEqual([
      ['idle', 'idle', 2, 4n, 0n, 4n],
      ['system', 'system', 2, 0n, 5n, 0n],
      ['workload', 'shop/checkout-api', 4, 10n, 0n, 10n],
      ['workload', 'tools/tools-pod', null, 3n, 0n, 3n],
    ]);
    // Both spread: 9 over checkout-api 6 and tools 2 (of 8): 6.75 and 2.25, floors 6 and 2,
    // the nano to checkout-api's remainder (6 of 8 against 2 of 8).
    expect(
      brief(
        billSplitParts(rules, { idle: 'spread', systemTo: 'spread' }, facts),
      ),
    ).toEqual([
      ['system', 'system', 2, 0n, 5n, 0n],
      ['workload', 'shop/checkout-api', 4, 13n, 0n, 13n],
      ['workload', 'tools/tools-pod', null, 4n, 0n, 4n],
    ]);
  });

  it('spreads credits by their magnitude', () => {
    expect(
      brief(
        billSplitParts(rules, { idle: 'spread', systemTo: 'spread' }, [
          pod('tools', {}, [-6n, -6n, 0n]),
          pod('kube-system', {}, [-3n, -3n, 0n]),
        ]),
      ),
    ).toEqual([['workload', 'tools/tools-pod', null, -9n, -9n, 0n]]);
  });
});
