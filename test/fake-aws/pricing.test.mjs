// The fake's Price List Query API driven by the real @aws-sdk/client-pricing.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

const require = createRequire(import.meta.url);
const { startFakeAws, credentialsFor, DEMO_ACCOUNTS } = require('./index.js');
const { priceSnapshot, REGIONS } = require('./pricingData.js');
const { generateDemoBilling } = require('../../examples/billing/generate.js');
const {
  PricingClient,
  GetProductsCommand,
  DescribeServicesCommand,
  paginateGetProducts,
} = require('@aws-sdk/client-pricing');

let fake;
let exportDir;
before(async () => {
  exportDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fake-pricing-'));
  generateDemoBilling({ outDir: exportDir, endDate: '2026-11-22', months: 1 });
  fake = await startFakeAws({
    billingDir: path.join(exportDir, 'aws'),
    pricingPageSize: 7,
  });
});
after(async () => {
  await fake?.close();
  fs.rmSync(exportDir, { recursive: true, force: true });
});

const client = (region = 'us-east-1') =>
  new PricingClient({
    region,
    endpoint: fake.url,
    credentials: credentialsFor(DEMO_ACCOUNTS.payer),
    maxAttempts: 1,
  });

const term = (Field, Value) => ({ Type: 'TERM_MATCH', Field, Value });
const LINUX_ON_DEMAND = [
  term('operatingSystem', 'Linux'),
  term('tenancy', 'Shared'),
  term('preInstalledSw', 'NA'),
  term('capacitystatus', 'Used'),
];

async function allProducts(input, pricing = client()) {
  const items = [];
  let pages = 0;
  for await (const page of paginateGetProducts(
    { client: pricing, pageSize: 100 },
    input,
  )) {
    pages++;
    items.push(...page.PriceList.map(text => JSON.parse(text)));
  }
  return { items, pages };
}

const onDemandUsd = item => {
  const [offer] = Object.values(item.terms.OnDemand);
  const [dimension] = Object.values(offer.priceDimensions);
  return dimension.pricePerUnit.USD;
};

describe('fake AWS Price List: GetProducts', () => {
  test('price items are JSON strings with attributes and on-demand terms', async () => {
    const answer = await client().send(
      new GetProductsCommand({
        ServiceCode: 'AmazonEC2',
        FormatVersion: 'aws_v1',
        Filters: [
          term('regionCode', 'us-east-1'),
          term('instanceType', 'm5.large'),
          ...LINUX_ON_DEMAND,
        ],
      }),
    );
    assert.equal(answer.FormatVersion, 'aws_v1');
    assert.equal(answer.PriceList.length, 1);
    // the SDK wraps each item in a LazyJsonString; its text is the item
    const item = JSON.parse(String(answer.PriceList[0]));
    const attributes = item.product.attributes;
    assert.equal(attributes.instanceType, 'm5.large');
    assert.equal(attributes.vcpu, '2');
    assert.equal(attributes.memory, '8 GiB');
    assert.equal(attributes.location, 'US East (N. Virginia)');
    assert.equal(item.product.productFamily, 'Compute Instance');
    assert.equal(onDemandUsd(item), '0.0960000000');
    // the reserved term is there too, at another price
    assert.ok(item.terms.Reserved);
    assert.notEqual(
      Object.values(Object.values(item.terms.Reserved)[0].priceDimensions)[0]
        .pricePerUnit.USD,
      onDemandUsd(item),
    );
  });

  test('on the wire, PriceList holds strings, not objects', async () => {
    const response = await fetch(fake.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'AWSPriceListService.GetProducts',
      },
      body: JSON.stringify({ ServiceCode: 'AmazonVPC', MaxResults: 2 }),
    });
    assert.equal(response.status, 200);
    const body = await response.json();
    assert.equal(body.PriceList.length, 2);
    for (const text of body.PriceList) {
      assert.equal(typeof text, 'string');
      assert.equal(JSON.parse(text).serviceCode, 'AmazonVPC');
    }
  });

  test('without the Linux on-demand filters, the near misses come back too', async () => {
    const { items } = await allProducts({
      ServiceCode: 'AmazonEC2',
      Filters: [
        term('regionCode', 'eu-west-1'),
        term('instanceType', 't3.micro'),
      ],
    });
    const variants = items.map(
      i =>
        `${i.product.attributes.operatingSystem}/${i.product.attributes.tenancy}/${i.product.attributes.preInstalledSw}/${i.product.attributes.capacitystatus}`,
    );
    assert.equal(new Set(variants).size, items.length);
    assert.ok(variants.includes('Windows/Shared/NA/Used'));
    assert.ok(variants.includes('Linux/Dedicated/NA/Used'));
    assert.ok(variants.includes('Linux/Shared/NA/UnusedCapacityReservation'));
  });

  test('pages of MaxResults, capped by the page size, add up to every match once', async () => {
    const filters = [term('regionCode', 'us-west-2'), ...LINUX_ON_DEMAND];
    const { items, pages } = await allProducts({
      ServiceCode: 'AmazonEC2',
      Filters: filters,
    });
    const expected = priceSnapshot().prices.filter(
      p => p.region === 'us-west-2' && p.kind === 'instance',
    );
    assert.equal(items.length, expected.length);
    assert.equal(pages, Math.ceil(expected.length / 7));
    assert.deepEqual(
      new Set(items.map(i => i.product.sku)).size,
      expected.length,
    );
    // each price is the data's, exactly, in ten decimals
    const byType = new Map(expected.map(p => [p.key, p.price]));
    for (const item of items) {
      const want = byType.get(item.product.attributes.instanceType);
      assert.equal(Number(onDemandUsd(item)), Number(want));
      assert.match(onDemandUsd(item), /^\d+\.\d{10}$/);
    }
    const small = await client().send(
      new GetProductsCommand({
        ServiceCode: 'AmazonEC2',
        Filters: filters,
        MaxResults: 3,
      }),
    );
    assert.equal(small.PriceList.length, 3);
    assert.ok(small.NextToken);
  });

  test('EBS volumes by volumeApiName, snapshots, and public IPv4 in AmazonVPC', async () => {
    const [volumes, snapshots, ipv4] = await Promise.all([
      allProducts({
        ServiceCode: 'AmazonEC2',
        Filters: [
          term('regionCode', 'eu-west-1'),
          term('productFamily', 'Storage'),
          term('volumeApiName', 'gp3'),
        ],
      }),
      allProducts({
        ServiceCode: 'AmazonEC2',
        Filters: [
          term('location', 'EU (Ireland)'),
          term('productFamily', 'Storage Snapshot'),
        ],
      }),
      allProducts({
        ServiceCode: 'AmazonVPC',
        Filters: [
          term('regionCode', 'eu-west-1'),
          term('productFamily', 'VPC Public IPv4 Address'),
        ],
      }),
    ]);
    const { prices } = REGIONS['eu-west-1'];
    assert.equal(volumes.items.length, 1);
    assert.equal(
      Number(onDemandUsd(volumes.items[0])),
      Number(prices.volumes.gp3),
    );
    assert.equal(
      volumes.items[0].terms.OnDemand[
        Object.keys(volumes.items[0].terms.OnDemand)[0]
      ].priceDimensions[
        Object.keys(
          Object.values(volumes.items[0].terms.OnDemand)[0].priceDimensions,
        )[0]
      ].unit,
      'GB-Mo',
    );
    assert.equal(snapshots.items.length, 1);
    assert.equal(
      Number(onDemandUsd(snapshots.items[0])),
      Number(prices.snapshot),
    );
    assert.deepEqual(
      ipv4.items.map(i => i.product.attributes.usagetype).sort(),
      ['EU-PublicIPv4:IdleAddress', 'EU-PublicIPv4:InUseAddress'],
    );
  });

  test('a region the data does not hold has no products, not an error', async () => {
    const { items } = await allProducts({
      ServiceCode: 'AmazonEC2',
      Filters: [term('regionCode', 'ap-southeast-2'), ...LINUX_ON_DEMAND],
    });
    assert.deepEqual(items, []);
  });

  test('bad requests fail as the real API does', async () => {
    const fails = async (input, name, message) => {
      await assert.rejects(client().send(new GetProductsCommand(input)), e => {
        assert.equal(e.name, name);
        if (message) assert.match(e.message, message);
        return true;
      });
    };
    await fails(
      {
        ServiceCode: 'AmazonEC2',
        Filters: [{ Type: 'EXACT', Field: 'instanceType', Value: 'm5.large' }],
      },
      'ValidationException',
      /filters\.1\.member\.type/,
    );
    await fails(
      { ServiceCode: 'AmazonEC2', Filters: [term('instanceSize', 'large')] },
      'InvalidParameterException',
      /instanceSize/,
    );
    await fails(
      { ServiceCode: 'AmazonEC2', MaxResults: 101 },
      'ValidationException',
      /maxResults/,
    );
    await fails(
      { ServiceCode: 'AmazonEC2', FormatVersion: 'aws_v2' },
      'InvalidParameterException',
    );
    await fails({ ServiceCode: 'AmazonEc2' }, 'NotFoundException');
    await fails(
      { ServiceCode: 'AmazonEC2', NextToken: 'made-up' },
      'InvalidNextTokenException',
    );
    const first = await client().send(
      new GetProductsCommand({ ServiceCode: 'AmazonEC2', MaxResults: 2 }),
    );
    await fails(
      { ServiceCode: 'AmazonVPC', MaxResults: 2, NextToken: first.NextToken },
      'InvalidNextTokenException',
    );
  });

  test('only the Price List regions answer', async () => {
    const answer = await client('ap-south-1').send(
      new GetProductsCommand({ ServiceCode: 'AmazonVPC', MaxResults: 1 }),
    );
    assert.equal(answer.PriceList.length, 1);
    await assert.rejects(
      client('eu-west-1').send(
        new GetProductsCommand({ ServiceCode: 'AmazonVPC' }),
      ),
      { name: 'UnrecognizedClientException' },
    );
  });

  test('DescribeServices lists the attribute names filters may use', async () => {
    const answer = await client().send(
      new DescribeServicesCommand({ ServiceCode: 'AmazonEC2' }),
    );
    const [service] = answer.Services;
    for (const name of [
      'instanceType',
      'regionCode',
      'location',
      'volumeApiName',
      'capacitystatus',
    ]) {
      assert.ok(service.AttributeNames.includes(name), name);
    }
  });

  test('faults and counters', async () => {
    fake.reset();
    fake.injectFault({ service: 'pricing', kind: 'throttle' });
    await assert.rejects(
      client().send(new GetProductsCommand({ ServiceCode: 'AmazonVPC' })),
      { name: 'ThrottlingException' },
    );
    fake.injectFault({
      service: 'pricing',
      operation: 'GetProducts',
      kind: 'deny',
    });
    await assert.rejects(
      client().send(new GetProductsCommand({ ServiceCode: 'AmazonVPC' })),
      { name: 'AccessDeniedException' },
    );
    fake.injectFault({ service: 'pricing', kind: 'server-error' });
    await assert.rejects(
      client().send(new GetProductsCommand({ ServiceCode: 'AmazonVPC' })),
      { name: 'InternalErrorException' },
    );
    assert.equal(fake.requestCounts()['pricing:GetProducts'], 3);
  });
});
