import {
  CostLine,
  CostSourceReadContext,
} from '@costscope/backstage-plugin-node';
import { mockServices } from '@backstage/backend-test-utils';
import { FocusFileSource } from './FocusFileSource';
import { writeFocusDir } from '../../__testUtils__/focus';

/** A FOCUS 1.3 export as AWS writes EKS split cost allocation: a node's day, per pod. */
const SPLIT_CSV = [
  'BilledCost,EffectiveCost,ListCost,BillingCurrency,ChargePeriodStart,ProviderName,ResourceId,Tags,AllocatedMethodId,AllocatedMethodDetails,AllocatedResourceId,AllocatedResourceName,AllocatedTags',
  '2.5,2,3,USD,2026-03-01T00:00:00Z,AWS,i-node-1,"{""eks:cluster-name"":""prod""}",AWS-EKS-SplitCost,"{""Elements"":[{""AllocatedRatio"":0.25}]}",arn:aws:eks:us-east-1:111122223333:pod/prod/shop/checkout-api-7d9f,checkout-api-7d9f,"{""aws:eks:namespace"":""shop"",""aws:eks:workload-name"":""checkout-api"",""backstage.io/kubernetes-id"":""checkout-api""}"',
  '7.5,6,9,USD,2026-03-01T00:00:00Z,AWS,i-node-1,"{""eks:cluster-name"":""prod""}",AWS-EKS-SplitCost,,arn:aws:eks:us-east-1:111122223333:pod/prod/tools/debug-1,debug-1,"{""aws:eks:namespace"":""tools""}"',
  '4,4,4,USD,2026-03-01T00:00:00Z,AWS,i-node-2,"{""eks:cluster-name"":""prod""}",,,,,',
  '1,1,1,USD,2026-03-01T00:00:00Z,AWS,i-node-3,"{""eks:cluster-name"":""prod""}",AWS-EKS-SplitCost,,pod-x,,"{""a"":"',
  '1,1,1,USD,2026-03-01T00:00:00Z,AWS,i-node-4,"{""eks:cluster-name"":""prod""}",AWS-EKS-SplitCost,"{""Elements"":[",pod-y,,',
].join('\n');

describe('FocusFileSource, FOCUS 1.3 split cost allocation', () => {
  it('reads the allocated columns of split lines, leaves other lines without, rejects bad AllocatedTags and AllocatedMethodDetails', async () => {
    const dir = await writeFocusDir({ 'split.csv': `${SPLIT_CSV}\n` });
    const source = new FocusFileSource({ id: 'bill', paths: [dir] });
    const rejected: string[] = [];
    const versions: Array<string | undefined> = [];
    const context: CostSourceReadContext = {
      logger: mockServices.logger.mock(),
      reject: r => rejected.push(`${r.line}: ${r.reason}`),
      fileRead: (_name, details) => versions.push(details?.focusVersion),
      fileSkipped: () => {},
      apiCall: () => {},
      replaceDays: () => {},
      state: { get: async () => undefined, set: () => {} },
    };
    const lines: CostLine[] = [];
    for await (const batch of source.readBatches(context)) lines.push(...batch);

    expect(versions).toEqual(['1.3']);
    expect(rejected).toEqual([
      '5: AllocatedTags is not valid JSON',
      '6: AllocatedMethodDetails is not valid JSON',
    ]);
    expect(
      lines.map(l => [l.resourceId, l.billedCost, l.tags, l.allocated]),
    ).toEqual([
      [
        'i-node-1',
        '2.5',
        { 'eks:cluster-name': 'prod' },
        {
          methodId: 'AWS-EKS-SplitCost',
          resourceId:
            'arn:aws:eks:us-east-1:111122223333:pod/prod/shop/checkout-api-7d9f',
          resourceName: 'checkout-api-7d9f',
          tags: {
            'aws:eks:namespace': 'shop',
            'aws:eks:workload-name': 'checkout-api',
            'backstage.io/kubernetes-id': 'checkout-api',
          },
          methodDetails: { elements: [{ allocatedRatio: '0.25' }] },
        },
      ],
      [
        'i-node-1',
        '7.5',
        { 'eks:cluster-name': 'prod' },
        {
          methodId: 'AWS-EKS-SplitCost',
          resourceId:
            'arn:aws:eks:us-east-1:111122223333:pod/prod/tools/debug-1',
          resourceName: 'debug-1',
          tags: { 'aws:eks:namespace': 'tools' },
        },
      ],
      ['i-node-2', '4', { 'eks:cluster-name': 'prod' }, undefined],
    ]);
  });
});
