import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PricingClient } from '@aws-sdk/client-pricing';
import { mockServices } from '@backstage/backend-test-utils';
import { moneyToNanos } from '@costscope/backstage-plugin-common';
import { PriceEntry } from '@costscope/backstage-plugin-node';
// The fake AWS lives with the end-to-end tests; it speaks the real wire protocols.
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
import {
  credentialsFor,
  FakeAws,
  startFakeAws,
} from '../../../../test/fake-aws';
import { PriceListPriceSource } from './PriceListPriceSource';

jest.setTimeout(120_000);

const {
  generateDemoBilling,
  // eslint-disable-next-line @backstage/no-relative-monorepo-imports
} = require('../../../../examples/billing/generate.js');
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
const { priceSnapshot } = require('../../../../test/fake-aws/pricingData.js');

const DAILY = { frequency: { hours: 24 }, timeout: { minutes: 5 } };

/** Prices as comparable text: region, kind, key, exact nano-units, sizes. */
const comparable = (entries: PriceEntry[]) =>
  entries
    .map(e =>
      JSON.stringify([
        e.region,
        e.kind,
        e.key,
        moneyToNanos(e.price).toString(),
        e.vcpu,
        e.memoryGiB,
        e.kind === 'instance' ? e.architecture : undefined,
        e.gpus,
      ]),
    )
    .sort();

describe('PriceListPriceSource against the fake AWS Price List', () => {
  let fake: FakeAws;
  let dir: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'costscope-pricing-'));
    generateDemoBilling({ outDir: dir, endDate: '2026-11-22', months: 1 });
    fake = await startFakeAws({
      billingDir: path.join(dir, 'aws'),
      pricingPageSize: 25,
    });
  });
  afterAll(async () => {
    await fake.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => fake.reset());

  const source = (region = 'us-east-1', regions = ['us-west-2']) =>
    new PriceListPriceSource(
      new PricingClient({
        region,
        endpoint: fake.url,
        credentials: credentialsFor('111122223333'),
        maxAttempts: 2,
      }),
      { regions, schedule: DAILY },
    );
  const context = (regions: string[]) => {
    let calls = 0;
    return {
      calls: () => calls,
      logger: mockServices.logger.mock(),
      regions,
      apiCall: () => {
        calls++;
      },
    };
  };

  it('reads exactly the on-demand Linux prices of the inventory and configured regions', async () => {
    const ctx = context(['us-east-1', 'eu-west-1']);
    const snapshot = await source().read(ctx);
    expect(snapshot.provider).toBe('AWS');
    expect(snapshot.currency).toBe('USD');
    // the Windows, dedicated, reserved-capacity and SQL variants are all left out
    const expected = (priceSnapshot().prices as PriceEntry[]).filter(p =>
      ['us-east-1', 'eu-west-1', 'us-west-2'].includes(p.region),
    );
    expect(comparable(snapshot.prices)).toEqual(comparable(expected));
    // ten decimals in, nine out, exactly
    expect(
      snapshot.prices.find(
        p => p.region === 'us-east-1' && p.key === 'm5.large',
      ),
    ).toMatchObject({ price: '0.096000000', vcpu: 2, memoryGiB: 8 });
    expect(snapshot.prices.find(p => p.key === 'm6g.large')?.architecture).toBe(
      'arm64',
    );
    // every page is one call, and counted
    expect(ctx.calls()).toBe(fake.requestCounts()['pricing:GetProducts']);
    expect(ctx.calls()).toBeGreaterThan(3 * 4);
  });

  it('has nothing, and fails nothing, for a region the Price List does not price', async () => {
    const snapshot = await source('eu-central-1', []).read(
      context(['ap-southeast-2', 'not a region']),
    );
    expect(snapshot.prices).toEqual([]);
    expect(fake.requestLog().every(r => r.region === 'eu-central-1')).toBe(
      true,
    );
  });

  it('fails naming the region and the error when the Price List refuses', async () => {
    fake.injectFault({
      service: 'pricing',
      operation: 'GetProducts',
      kind: 'deny',
      times: Infinity,
    });
    await expect(source().read(context(['eu-west-1']))).rejects.toThrow(
      /^AWS Price List, eu-west-1: AccessDeniedException: User is not authorized to perform: pricing:GetProducts/,
    );
  });

  it('retries throttling as the SDK does', async () => {
    fake.injectFault({ service: 'pricing', kind: 'throttle', times: 1 });
    const snapshot = await source('us-east-1', []).read(context(['eu-west-1']));
    expect(snapshot.prices.length).toBeGreaterThan(50);
  });
});
