import { CostLine } from '@costscope/backstage-plugin-node';
import { Cur2Splitter } from './cur2Split';

const base: CostLine = {
  chargeDate: '2026-03-02',
  billingPeriod: '2026-03-01',
  provider: 'AWS',
  billingAccountId: '111122223333',
  subAccountId: '444455556666',
  serviceName: 'AmazonEC2',
  resourceId: 'i-node-1',
  chargeCategory: 'Usage',
  currency: 'USD',
  billedCost: '0',
  effectiveCost: '0',
  listCost: '0',
  tags: { team: 'platform' },
};

const pod = (name: string, split: string, list: string): CostLine => ({
  ...base,
  serviceName: 'AmazonEKS',
  tags: {},
  billedCost: split,
  effectiveCost: split,
  listCost: list,
  allocated: {
    methodId: 'AWS-EKS-SplitCost',
    resourceId: `arn:aws:eks:us-east-1:111122223333:pod/prod/shop/${name}`,
    tags: { 'aws:eks:namespace': 'shop' },
  },
});

const node = (billed: string, effective: string, list: string): CostLine => ({
  ...base,
  billedCost: billed,
  effectiveCost: effective,
  listCost: list,
});

/** `who billed effective list` of each line, at 18 decimals trimmed. */
const show = (lines: CostLine[]) =>
  lines.map(l =>
    [
      l.allocated?.resourceId?.split('/').pop() ??
        l.allocated?.resourceName ??
        '-',
      ...[l.billedCost, l.effectiveCost, l.listCost!].map(v =>
        v.replace(/\.?0+$/, ''),
      ),
    ].join(' '),
  );

describe('Cur2Splitter', () => {
  it('splits a day in two node lines by the day, each pod its split cost, idle the rest, by hand', () => {
    const splitter = new Cur2Splitter();
    expect(splitter.add(pod('a', '3', '4.8'))).toEqual([]);
    expect(splitter.add(pod('b', '5', '8'))).toEqual([]);
    // covered hours (billed 0) and on-demand hours: effective 10, list 16 in the day
    expect(splitter.add(node('0', '6', '9.6'))).toEqual([]);
    expect(splitter.add(node('4', '4', '6.4'))).toEqual([]);
    expect(show(splitter.flush())).toEqual([
      // effective 6 * 3/10, 6 * 5/10; list 9.6 * 4.8/16, 9.6 * 8/16
      'a 0 1.8 2.88',
      'b 0 3 4.8',
      '__idle__ 0 1.2 1.92',
      'a 1.2 1.2 1.92',
      'b 2 2 3.2',
      '__idle__ 0.8 0.8 1.28',
    ]);
  });

  it('scales pods that claim more than the node down to it, leaving no idle', () => {
    const splitter = new Cur2Splitter();
    splitter.add(pod('a', '0.6', '0.6'));
    splitter.add(pod('b', '0.6', '0.6'));
    splitter.add(node('1', '1', '1'));
    expect(show(splitter.flush())).toEqual([
      'a 0.5 0.5 0.5',
      'b 0.5 0.5 0.5',
      '__idle__ 0 0 0',
    ]);
  });

  it('rounds each part down at 1e-18 and gives the remainder to idle', () => {
    const splitter = new Cur2Splitter();
    for (const name of ['a', 'b', 'c']) splitter.add(pod(name, '1', '1'));
    splitter.add(node('1', '3.000000000000000001', '4'));
    const lines = splitter.flush();
    expect(show(lines)).toEqual([
      // billed 1 * 1/3.000000000000000001 = 0.333333333333333333 (rounded down)
      'a 0.333333333333333333 1 1',
      'b 0.333333333333333333 1 1',
      'c 0.333333333333333333 1 1',
      // list: 4 of which the pods' public on-demand splits are 3
      '__idle__ 0.000000000000000001 0.000000000000000001 1',
    ]);
  });

  it("passes lines it does not split, and holds a node's day until the next node's", () => {
    const splitter = new Cur2Splitter();
    splitter.add(pod('a', '1', '1'));
    splitter.add({ ...pod('b', '1', '1'), chargeDate: '2026-03-03' });
    const transfer = { ...node('1', '1', '1'), serviceName: 'AWSDataTransfer' };
    const other = { ...node('2', '2', '2'), resourceId: 'i-node-2' };
    const tax = { ...node('1', '1', '1'), chargeCategory: 'Tax' };
    expect(splitter.add(node('2', '2', '2'))).toEqual([]);
    expect(splitter.add(transfer)).toEqual([transfer]);
    expect(splitter.add(other)).toEqual([other]);
    expect(splitter.add(tax)).toEqual([tax]);
    // the next node-day releases the held one, split
    expect(
      show(splitter.add({ ...node('1', '1', '1'), chargeDate: '2026-03-03' })),
    ).toEqual(['a 1 1 1', '__idle__ 1 1 1']);
    expect(show(splitter.flush())).toEqual(['b 1 1 1', '__idle__ 0 0 0']);
    expect(splitter.flush()).toEqual([]);
    // a pod after node lines: the query's order is broken
    expect(() => splitter.add(pod('c', '1', '1'))).toThrow(/order pods first/);
  });
});
