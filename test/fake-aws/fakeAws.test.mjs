// The fake AWS driven by the real AWS SDK v3 clients: node --test test/fake-aws/
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

const require = createRequire(import.meta.url);
const { startFakeAws, credentialsFor, DEMO_ACCOUNTS } = require('./index.js');
const { parseDecimal, formatAmount } = require('./decimal.js');
const { generateDemoBilling } = require('../../examples/billing/generate.js');
const inventoryModule = require('../../examples/billing/inventory.js');
const {
  CostExplorerClient,
  GetCostAndUsageCommand,
  GetSavingsPlansUtilizationCommand,
} = require('@aws-sdk/client-cost-explorer');
const {
  EC2Client,
  DescribeInstancesCommand,
  DescribeVolumesCommand,
  DescribeAddressesCommand,
  DescribeSnapshotsCommand,
  paginateDescribeInstances,
  paginateDescribeVolumes,
} = require('@aws-sdk/client-ec2');
const {
  CloudWatchClient,
  GetMetricDataCommand,
} = require('@aws-sdk/client-cloudwatch');
const { STSClient, AssumeRoleCommand } = require('@aws-sdk/client-sts');
const { fromTemporaryCredentials } = require('@aws-sdk/credential-providers');
const { AwsQueryProtocol } = require('@aws-sdk/core/protocols');

const END_DATE = '2026-11-22';
const PAGE_SIZE = 40;
const { prod, staging, ci, payer } = DEMO_ACCOUNTS;

let billingDir;
let manifest;
let fake;

before(() => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'fake-aws-'));
  manifest = generateDemoBilling({ outDir: out, endDate: END_DATE });
  billingDir = path.join(out, 'aws');
});
before(async () => {
  fake = await startFakeAws({ billingDir, pageSize: PAGE_SIZE });
});
after(async () => {
  await fake.close();
  fs.rmSync(path.dirname(billingDir), { recursive: true, force: true });
});

const config = (accountId, extra = {}) => ({
  region: 'us-east-1',
  endpoint: fake.url,
  credentials: credentialsFor(accountId),
  maxAttempts: 1,
  ...extra,
});
const ceClient = (accountId = payer, extra) =>
  new CostExplorerClient(config(accountId, extra));
const ec2Client = (accountId = prod, extra) =>
  new EC2Client(config(accountId, extra));
const cwClient = (accountId = prod, extra) =>
  new CloudWatchClient(config(accountId, extra));

/** Every page of a GetCostAndUsage query. */
async function allPages(client, input) {
  const pages = [];
  let token;
  do {
    const page = await client.send(
      new GetCostAndUsageCommand({ ...input, NextPageToken: token }),
    );
    pages.push(page);
    token = page.NextPageToken;
  } while (token);
  return pages;
}

const groupsOf = pages =>
  pages.flatMap(p => p.ResultsByTime.flatMap(r => r.Groups));
const sumOf = (groups, metric) =>
  groups.reduce((s, g) => s + parseDecimal(g.Metrics[metric].Amount), 0n);
const awsManifestSum = key =>
  manifest.files
    .filter(f => f.provider === 'AWS')
    .reduce((s, f) => s + parseDecimal(f[key]), 0n);
const window = () => ({ Start: manifest.startDate, End: '2026-11-23' });
const month = { Start: '2026-10-01', End: '2026-11-01' };

async function rejectsWith(promise, name, status) {
  await assert.rejects(promise, err => {
    assert.equal(err.name, name, `${err.name}: ${err.message}`);
    if (status) assert.equal(err.$metadata.httpStatusCode, status);
    return true;
  });
}

describe('Cost Explorer GetCostAndUsage', () => {
  test('pages to the end; the sums equal the FOCUS files exactly', async () => {
    const pages = await allPages(ceClient(), {
      TimePeriod: window(),
      Granularity: 'DAILY',
      Metrics: ['UnblendedCost', 'AmortizedCost', 'NetUnblendedCost'],
      GroupBy: [
        { Type: 'DIMENSION', Key: 'SERVICE' },
        { Type: 'DIMENSION', Key: 'LINKED_ACCOUNT' },
      ],
    });
    assert.ok(pages.length > 10, `${pages.length} pages`);
    for (const p of pages) {
      const n = p.ResultsByTime.reduce((s, r) => s + r.Groups.length, 0);
      assert.ok(n <= PAGE_SIZE);
      assert.deepEqual(p.GroupDefinitions, [
        { Type: 'DIMENSION', Key: 'SERVICE' },
        { Type: 'DIMENSION', Key: 'LINKED_ACCOUNT' },
      ]);
      for (const r of p.ResultsByTime) assert.deepEqual(r.Total, {});
    }
    const groups = groupsOf(pages);
    assert.equal(
      sumOf(groups, 'UnblendedCost'),
      awsManifestSum('billedCostSum'),
    );
    assert.equal(
      sumOf(groups, 'NetUnblendedCost'),
      awsManifestSum('billedCostSum'),
    );
    assert.equal(
      sumOf(groups, 'AmortizedCost'),
      awsManifestSum('effectiveCostSum'),
    );
    assert.equal(groups[0].Metrics.UnblendedCost.Unit, 'USD');
    assert.match(groups[0].Metrics.UnblendedCost.Amount, /^-?\d+\.\d{10,12}$/);
    // every day of the window appears, in order
    const days = [
      ...new Set(
        pages.flatMap(p => p.ResultsByTime.map(r => r.TimePeriod.Start)),
      ),
    ];
    assert.equal(days[0], manifest.startDate);
    assert.equal(days[days.length - 1], '2026-11-22');
    assert.equal(days.length, 387);
  });

  test('tag group keys read key$value, untagged key$; account names come along', async () => {
    const pages = await allPages(ceClient(), {
      TimePeriod: month,
      Granularity: 'MONTHLY',
      Metrics: ['UnblendedCost'],
      GroupBy: [
        { Type: 'TAG', Key: 'team' },
        { Type: 'DIMENSION', Key: 'LINKED_ACCOUNT' },
      ],
    });
    const keys = groupsOf(pages).map(g => g.Keys.join(' '));
    assert.ok(keys.includes('team$ 111122223333'));
    assert.ok(keys.includes('team$checkout-squad 111122223333'));
    assert.ok(keys.includes('team$platform-team 111122223333'));
    assert.deepEqual(keys, [...keys].sort());
    assert.deepEqual(pages[0].ResultsByTime[0].TimePeriod, month);
    const names = Object.fromEntries(
      pages[0].DimensionValueAttributes.map(a => [
        a.Value,
        a.Attributes.description,
      ]),
    );
    assert.equal(names[prod], 'acme-prod');
    assert.equal(names[ci], 'acme-ci');
  });

  test('tag keys are case-sensitive', async () => {
    const [page] = await allPages(ceClient(), {
      TimePeriod: month,
      Granularity: 'MONTHLY',
      Metrics: ['UnblendedCost'],
      GroupBy: [{ Type: 'TAG', Key: 'Service' }],
    });
    const keys = page.ResultsByTime[0].Groups.map(g => g.Keys[0]);
    assert.deepEqual(keys, ['Service$', 'Service$cart-service']);
  });

  test('filters: And, Or, Not, Dimensions, Tags with ABSENT', async () => {
    const total = async Filter => {
      const [page] = await allPages(ceClient(), {
        TimePeriod: month,
        Granularity: 'MONTHLY',
        Metrics: ['UnblendedCost'],
        ...(Filter ? { Filter } : {}),
      });
      assert.deepEqual(page.ResultsByTime[0].Groups, []);
      return parseDecimal(page.ResultsByTime[0].Total.UnblendedCost.Amount);
    };
    const all = await total();
    const absent = { Tags: { Key: 'team', MatchOptions: ['ABSENT'] } };
    const untagged = await total(absent);
    const tagged = await total({ Not: absent });
    assert.ok(untagged > 0n && tagged > 0n);
    assert.equal(untagged + tagged, all);
    const perAccount = await Promise.all(
      [prod, staging, ci].map(a =>
        total({ Dimensions: { Key: 'LINKED_ACCOUNT', Values: [a] } }),
      ),
    );
    assert.equal(
      perAccount.reduce((s, v) => s + v, 0n),
      all,
    );
    const checkoutProd = await total({
      And: [
        { Dimensions: { Key: 'LINKED_ACCOUNT', Values: [prod] } },
        { Tags: { Key: 'service', Values: ['checkout-api'] } },
      ],
    });
    const checkout = await total({
      Tags: { Key: 'service', Values: ['checkout-api'] },
    });
    const checkoutStaging = await total({
      And: [
        { Dimensions: { Key: 'LINKED_ACCOUNT', Values: [staging] } },
        { Tags: { Key: 'service', Values: ['checkout-api'] } },
      ],
    });
    assert.equal(checkoutProd + checkoutStaging, checkout);
    const either = await total({
      Or: [
        { Tags: { Key: 'service', Values: ['checkout-api'] } },
        { Tags: { Key: 'team', Values: ['platform-team'] } },
      ],
    });
    assert.ok(either > checkout);
  });

  test('a member account sees only its own lines; the payer sees all', async () => {
    const accountsSeenBy = async accountId => {
      const pages = await allPages(ceClient(accountId), {
        TimePeriod: month,
        Granularity: 'MONTHLY',
        Metrics: ['UnblendedCost'],
        GroupBy: [{ Type: 'DIMENSION', Key: 'LINKED_ACCOUNT' }],
      });
      return groupsOf(pages).map(g => g.Keys[0]);
    };
    assert.deepEqual(await accountsSeenBy(staging), [staging]);
    assert.deepEqual(await accountsSeenBy(payer), [prod, staging, ci]);
  });

  test('Estimated for the last 3 days; days without data have no groups', async () => {
    const [page] = await allPages(ceClient(), {
      TimePeriod: { Start: '2026-11-18', End: '2026-11-25' },
      Granularity: 'DAILY',
      Metrics: ['UnblendedCost'],
      GroupBy: [{ Type: 'DIMENSION', Key: 'REGION' }],
    });
    const byDay = Object.fromEntries(
      page.ResultsByTime.map(r => [r.TimePeriod.Start, r]),
    );
    assert.equal(byDay['2026-11-19'].Estimated, false);
    assert.equal(byDay['2026-11-20'].Estimated, true);
    assert.equal(byDay['2026-11-22'].Estimated, true);
    assert.deepEqual(byDay['2026-11-23'].Groups, []);
    assert.deepEqual(byDay['2026-11-24'].Groups, []);
    const [old] = await allPages(ceClient(), {
      TimePeriod: { Start: '2020-01-01', End: '2020-01-03' },
      Granularity: 'DAILY',
      Metrics: ['UnblendedCost'],
      GroupBy: [{ Type: 'DIMENSION', Key: 'SERVICE' }],
    });
    assert.equal(old.ResultsByTime.length, 2);
    assert.deepEqual(old.ResultsByTime[0].Groups, []);
  });

  test('invalid requests give ValidationException', async () => {
    const ce = ceClient();
    const base = {
      TimePeriod: month,
      Granularity: 'DAILY',
      Metrics: ['UnblendedCost'],
    };
    const bad = [
      {
        ...base,
        GroupBy: [
          { Type: 'DIMENSION', Key: 'SERVICE' },
          { Type: 'DIMENSION', Key: 'REGION' },
          { Type: 'TAG', Key: 'team' },
        ],
      },
      { ...base, Metrics: ['BogusCost'] },
      { ...base, TimePeriod: { Start: '2026-10-05', End: '2026-10-05' } },
      { ...base, Filter: { And: [{ Tags: { Key: 'team', Values: ['x'] } }] } },
    ];
    for (const input of bad)
      await rejectsWith(
        ce.send(new GetCostAndUsageCommand(input)),
        'ValidationException',
        400,
      );
  });

  test('a page token only works for the request that issued it', async () => {
    const ce = ceClient();
    const input = {
      TimePeriod: month,
      Granularity: 'DAILY',
      Metrics: ['UnblendedCost'],
      GroupBy: [{ Type: 'DIMENSION', Key: 'SERVICE' }],
    };
    const first = await ce.send(new GetCostAndUsageCommand(input));
    assert.ok(first.NextPageToken);
    await rejectsWith(
      ce.send(
        new GetCostAndUsageCommand({
          ...input,
          Metrics: ['AmortizedCost'],
          NextPageToken: first.NextPageToken,
        }),
      ),
      'RequestChangedException',
    );
    await rejectsWith(
      ceClient(staging).send(
        new GetCostAndUsageCommand({
          ...input,
          NextPageToken: first.NextPageToken,
        }),
      ),
      'RequestChangedException',
    );
    await rejectsWith(
      ce.send(
        new GetCostAndUsageCommand({ ...input, NextPageToken: 'garbage' }),
      ),
      'InvalidNextTokenException',
    );
  });
});

describe('EC2', () => {
  const inventoryOf = (accountId, region, kind) =>
    fake.inventory.filter(
      r => r.accountId === accountId && r.region === region && r.kind === kind,
    );

  test('DescribeInstances pages through the caller’s instances in the signed region', async () => {
    const ec2 = ec2Client(prod);
    const ids = [];
    let pages = 0;
    for await (const page of paginateDescribeInstances(
      { client: ec2, pageSize: 5 },
      {},
    )) {
      pages += 1;
      assert.ok(page.Reservations.length <= 5);
      for (const r of page.Reservations) {
        assert.equal(r.OwnerId, prod);
        ids.push(...r.Instances.map(i => i.InstanceId));
      }
    }
    const expected = inventoryOf(prod, 'us-east-1', 'instance');
    assert.equal(ids.length, expected.length);
    assert.ok(pages >= 4);
    assert.deepEqual(new Set(ids), new Set(expected.map(r => r.resourceId)));

    const eu = await ec2Client(prod, { region: 'eu-west-1' }).send(
      new DescribeInstancesCommand({ MaxResults: 100 }),
    );
    assert.equal(
      eu.Reservations.length,
      inventoryOf(prod, 'eu-west-1', 'instance').length,
    );
    assert.ok(
      eu.Reservations.every(r =>
        r.Instances[0].Placement.AvailabilityZone.startsWith('eu-west-1'),
      ),
    );
  });

  test('instances carry type, state, launch time and tags; untagged ones have none', async () => {
    const res = await ec2Client(prod).send(
      new DescribeInstancesCommand({
        Filters: [
          { Name: 'tag:Name', Values: ['legacy-jumphost', 'prometheus-1'] },
        ],
      }),
    );
    const byName = Object.fromEntries(
      res.Reservations.map(r => r.Instances[0]).map(i => [
        i.Tags.find(t => t.Key === 'Name').Value,
        i,
      ]),
    );
    assert.equal(byName['legacy-jumphost'].InstanceId, 'i-0d788d60b52cd7913');
    assert.deepEqual(byName['legacy-jumphost'].Tags, [
      { Key: 'Name', Value: 'legacy-jumphost' },
    ]);
    const prom = byName['prometheus-1'];
    assert.equal(prom.InstanceType, 'r6i.4xlarge');
    assert.deepEqual(prom.State, { Code: 16, Name: 'running' });
    assert.ok(prom.LaunchTime instanceof Date);
    assert.ok(
      prom.Tags.some(t => t.Key === 'team' && t.Value === 'platform-team'),
    );

    const all = await ec2Client(prod).send(
      new DescribeInstancesCommand({ InstanceIds: ['i-00cdfcc9a2c095b64'] }),
    );
    assert.equal(all.Reservations[0].Instances[0].Tags, undefined);
    await rejectsWith(
      ec2Client(prod).send(
        new DescribeInstancesCommand({ InstanceIds: ['i-0000000000000000'] }),
      ),
      'InvalidInstanceID.NotFound',
    );
    await rejectsWith(
      ec2Client(prod).send(
        new DescribeInstancesCommand({
          Filters: [{ Name: 'bogus', Values: ['x'] }],
        }),
      ),
      'InvalidParameterValue',
    );
  });

  test('volumes, addresses and snapshots', async () => {
    const ec2 = ec2Client(prod);
    const volumes = [];
    for await (const page of paginateDescribeVolumes(
      { client: ec2, pageSize: 5 },
      {},
    ))
      volumes.push(...page.Volumes);
    assert.equal(
      volumes.length,
      inventoryOf(prod, 'us-east-1', 'volume').length,
    );
    const orphan = volumes.find(v => v.VolumeId === 'vol-045f7faa0034802bc');
    assert.equal(orphan.State, 'available');
    assert.deepEqual(orphan.Attachments, []);
    const root = volumes.find(v => v.State === 'in-use');
    assert.equal(root.Attachments[0].State, 'attached');
    assert.match(root.Attachments[0].InstanceId, /^i-0/);

    const available = await ec2.send(
      new DescribeVolumesCommand({
        Filters: [{ Name: 'status', Values: ['available'] }],
      }),
    );
    assert.deepEqual(
      available.Volumes.map(v => v.VolumeId),
      ['vol-045f7faa0034802bc'],
    );

    const { Addresses } = await ec2.send(new DescribeAddressesCommand({}));
    assert.equal(Addresses.length, 2);
    const [associated, idle] = Addresses;
    assert.equal(associated.InstanceId, 'i-0d788d60b52cd7913');
    assert.match(associated.AssociationId, /^eipassoc-/);
    assert.match(idle.AllocationId, /^eipalloc-/);
    assert.equal(idle.AssociationId, undefined);

    const { Snapshots } = await ec2.send(
      new DescribeSnapshotsCommand({ OwnerIds: ['self'] }),
    );
    assert.ok(Snapshots.length >= 3);
    const cutoff = Date.parse(`${END_DATE}T00:00:00Z`) - 90 * 86400000;
    assert.equal(
      Snapshots.filter(s => s.StartTime.getTime() < cutoff).length,
      2,
    );
    assert.ok(
      Snapshots.every(s => s.OwnerId === prod && s.State === 'completed'),
    );

    const stagingSnaps = await ec2Client(staging).send(
      new DescribeSnapshotsCommand({ OwnerIds: ['self'] }),
    );
    assert.deepEqual(stagingSnaps.Snapshots, []);
  });

  test('MaxResults below 5 is refused like real EC2', async () => {
    await rejectsWith(
      ec2Client(prod).send(new DescribeInstancesCommand({ MaxResults: 3 })),
      'InvalidParameterValue',
      400,
    );
  });
});

describe('CloudWatch GetMetricData', () => {
  const idOf = name => fake.inventory.find(r => r.name === name).resourceId;
  const query = (
    Id,
    instanceId,
    {
      ns = 'AWS/EC2',
      metric = 'CPUUtilization',
      stat = 'Average',
      period = 3600,
    } = {},
  ) => ({
    Id,
    MetricStat: {
      Metric: {
        Namespace: ns,
        MetricName: metric,
        Dimensions: [{ Name: 'InstanceId', Value: instanceId }],
      },
      Period: period,
      Stat: stat,
    },
  });
  const days = (from, to) => ({
    StartTime: new Date(`${from}T00:00:00Z`),
    EndTime: new Date(`${to}T00:00:00Z`),
  });
  const memory = { ns: 'CWAgent', metric: 'mem_used_percent' };

  test('hourly CPU and memory, newest first, from the inventory model', async () => {
    const ledger = idOf('ledger-worker-1');
    const notebook = idOf('fraud-ml-notebook');
    const res = await cwClient(prod).send(
      new GetMetricDataCommand({
        ...days('2026-11-09', '2026-11-23'),
        MetricDataQueries: [
          query('avg', ledger),
          query('max', ledger, { stat: 'Maximum' }),
          query('mem', ledger, memory),
          query('daily', ledger, { period: 86400 }),
          query('other', notebook), // another account's instance
        ],
      }),
    );
    const r = Object.fromEntries(res.MetricDataResults.map(x => [x.Id, x]));
    assert.equal(r.avg.Values.length, 14 * 24);
    assert.equal(r.avg.StatusCode, 'Complete');
    assert.equal(r.avg.Label, 'CPUUtilization');
    assert.equal(r.avg.Timestamps[0].toISOString(), '2026-11-22T23:00:00.000Z');
    assert.ok(r.avg.Timestamps[0] > r.avg.Timestamps[1]);
    const t = r.avg.Timestamps[5].getTime();
    const point = inventoryModule.utilisationPoint(ledger, 'cpu', t);
    assert.equal(r.avg.Values[5], point.average);
    assert.equal(r.max.Values[5], point.maximum);
    assert.equal(r.mem.Values.length, 14 * 24);
    assert.equal(r.daily.Values.length, 14);
    assert.deepEqual(r.other.Values, []);
    assert.equal(r.other.StatusCode, 'Complete');
    assert.deepEqual(res.Messages, []);
    assert.equal(res.NextToken, undefined);
  });

  test('instances without the agent have no memory data', async () => {
    const notebook = idOf('fraud-ml-notebook');
    const res = await cwClient(staging).send(
      new GetMetricDataCommand({
        ...days('2026-11-16', '2026-11-23'),
        MetricDataQueries: [
          query('cpu', notebook),
          query('mem', notebook, memory),
        ],
      }),
    );
    const [cpu, mem] = res.MetricDataResults;
    assert.equal(cpu.Values.length, 7 * 24);
    assert.ok(Math.max(...cpu.Values) < 5);
    assert.deepEqual(mem.Values, []);
    assert.deepEqual(mem.Timestamps, []);
  });

  test('NextToken when the datapoints exceed MaxDatapoints', async () => {
    const cw = cwClient(prod);
    const input = {
      ...days('2026-11-20', '2026-11-23'),
      MaxDatapoints: 50,
      MetricDataQueries: ['k8s-node-a', 'k8s-node-b', 'k8s-node-c'].map(
        (n, i) => query(`q${i}`, idOf(n)),
      ),
    };
    const seen = { q0: [], q1: [], q2: [] };
    let token;
    let pages = 0;
    do {
      const res = await cw.send(
        new GetMetricDataCommand({ ...input, NextToken: token }),
      );
      pages += 1;
      for (const r of res.MetricDataResults) seen[r.Id].push(...r.Values);
      token = res.NextToken;
    } while (token);
    assert.equal(pages, Math.ceil((3 * 72) / 50));
    for (const values of Object.values(seen)) assert.equal(values.length, 72);
  });

  test('more than 500 queries is a validation error', async () => {
    const id = idOf('prometheus-1');
    const queries = Array.from({ length: 501 }, (_, i) => query(`q${i}`, id));
    await rejectsWith(
      cwClient(prod).send(
        new GetMetricDataCommand({
          ...days('2026-11-20', '2026-11-21'),
          MetricDataQueries: queries,
        }),
      ),
      'ValidationException', // the SDK's class for the query error code ValidationError
      400,
    );
  });

  test('the AWS query protocol (older SDKs) gets the same answers', async () => {
    const id = idOf('prometheus-1');
    const input = {
      ...days('2026-11-21', '2026-11-23'),
      MetricDataQueries: [query('cpu', id, { stat: 'Maximum' })],
    };
    const json = await cwClient(prod).send(new GetMetricDataCommand(input));
    const xml = await cwClient(prod, { protocol: AwsQueryProtocol }).send(
      new GetMetricDataCommand(input),
    );
    assert.deepEqual(xml.MetricDataResults, json.MetricDataResults);
    assert.equal(fake.requestLog().at(-1).body.MetricDataQueries[0].Id, 'cpu');
  });
});

describe('STS AssumeRole', () => {
  const assumed = (accountId, extra = {}) =>
    fromTemporaryCredentials({
      masterCredentials: credentialsFor(payer),
      params: {
        RoleArn: `arn:aws:iam::${accountId}:role/costscope-reader`,
        RoleSessionName: 'costscope',
      },
      clientConfig: { region: 'us-east-1', endpoint: fake.url, maxAttempts: 1 },
      ...extra,
    });

  test('switches the account of every later call', async () => {
    const ec2 = new EC2Client({
      region: 'us-east-1',
      endpoint: fake.url,
      maxAttempts: 1,
      credentials: assumed(ci),
    });
    const res = await ec2.send(
      new DescribeInstancesCommand({ MaxResults: 100 }),
    );
    assert.ok(res.Reservations.length > 0);
    assert.ok(res.Reservations.every(r => r.OwnerId === ci));
    const log = fake.requestLog();
    const i = log.findLastIndex(e => e.operation === 'AssumeRole');
    assert.equal(log[i].accountId, payer);
    assert.equal(log[i + 1].accountId, ci);

    const sts = new STSClient(config(payer));
    const { Credentials, AssumedRoleUser } = await sts.send(
      new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::${prod}:role/r`,
        RoleSessionName: 's1',
      }),
    );
    assert.equal(Credentials.AccessKeyId, `ASIAFAKE${prod}`);
    assert.ok(Credentials.Expiration instanceof Date);
    assert.equal(AssumedRoleUser.Arn, `arn:aws:sts::${prod}:assumed-role/r/s1`);
  });

  test('an unknown account is AccessDenied', async () => {
    const sts = new STSClient(config(payer));
    await rejectsWith(
      sts.send(
        new AssumeRoleCommand({
          RoleArn: 'arn:aws:iam::123456789012:role/r',
          RoleSessionName: 's1',
        }),
      ),
      'AccessDenied',
      403,
    );
  });
});

describe('faults, dead accounts and counters', () => {
  const ceCall = client =>
    client.send(
      new GetCostAndUsageCommand({
        TimePeriod: { Start: '2026-11-20', End: '2026-11-21' },
        Granularity: 'DAILY',
        Metrics: ['UnblendedCost'],
      }),
    );
  const cwCall = client =>
    client.send(
      new GetMetricDataCommand({
        StartTime: new Date('2026-11-20T00:00:00Z'),
        EndTime: new Date('2026-11-21T00:00:00Z'),
        MetricDataQueries: [
          {
            Id: 'm',
            MetricStat: {
              Metric: {
                Namespace: 'AWS/EC2',
                MetricName: 'CPUUtilization',
                Dimensions: [
                  { Name: 'InstanceId', Value: 'i-0d788d60b52cd7913' },
                ],
              },
              Period: 3600,
              Stat: 'Average',
            },
          },
        ],
      }),
    );
  const stsCall = client =>
    client.send(
      new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::${prod}:role/r`,
        RoleSessionName: 'faults',
      }),
    );
  const CALLS = {
    ce: extra => ceCall(ceClient(payer, extra)),
    ec2: extra => ec2Client(prod, extra).send(new DescribeInstancesCommand({})),
    cloudwatch: extra => cwCall(cwClient(prod, extra)),
    sts: extra => stsCall(new STSClient(config(payer, extra))),
  };
  const EXPECTED = {
    throttle: {
      ce: ['LimitExceededException', 400],
      ec2: ['RequestLimitExceeded', 503],
      cloudwatch: ['Throttling', 400],
      sts: ['Throttling', 400],
    },
    'server-error': {
      ce: ['InternalFailure', 500],
      ec2: ['InternalError', 500],
      cloudwatch: ['InternalServiceFault', 500], // query code InternalServiceError
      sts: ['InternalFailure', 500],
    },
    deny: {
      ce: ['AccessDeniedException', 403],
      ec2: ['UnauthorizedOperation', 403],
      cloudwatch: ['AccessDenied', 403],
      sts: ['AccessDenied', 403],
    },
  };

  for (const [kind, byService] of Object.entries(EXPECTED))
    for (const [service, [name, status]] of Object.entries(byService))
      test(`${service} ${kind} -> ${name}`, async () => {
        fake.reset();
        fake.injectFault({ service, kind });
        await rejectsWith(CALLS[service](), name, status);
        await CALLS[service](); // used up: the next call succeeds
      });

  for (const service of Object.keys(CALLS))
    test(`${service} malformed -> a deserialization error`, async () => {
      fake.reset();
      fake.injectFault({ service, kind: 'malformed' });
      await assert.rejects(CALLS[service](), err => {
        assert.equal(err.$metadata.httpStatusCode, 200);
        assert.match(err.message, /JSON|XML|Deserialization/i);
        return true;
      });
    });

  test('slow answers let the client time out', async () => {
    fake.reset();
    fake.injectFault({ service: 'ce', kind: 'slow', delayMs: 1000 });
    const started = Date.now();
    await assert.rejects(
      CALLS.ce({
        requestHandler: { requestTimeout: 150, throwOnRequestTimeout: true },
      }),
      err => err.name === 'TimeoutError',
    );
    assert.ok(Date.now() - started < 900);
  });

  test('deny names the IAM action of the operation called', async () => {
    fake.reset();
    const deniedAction = async (service, call) => {
      fake.injectFault({ service, kind: 'deny' });
      let message;
      await assert.rejects(call(), err => {
        message = err.message;
        return true;
      });
      return message.match(/\b(ce|ec2|cloudwatch|sts):\w+/)?.[0];
    };
    const utilization = () =>
      ceClient().send(
        new GetSavingsPlansUtilizationCommand({ TimePeriod: month }),
      );
    assert.equal(
      await deniedAction('ce', utilization),
      'ce:GetSavingsPlansUtilization',
    );
    assert.equal(await deniedAction('ce', CALLS.ce), 'ce:GetCostAndUsage');
    assert.equal(
      await deniedAction('ec2', () =>
        ec2Client(prod).send(new DescribeVolumesCommand({})),
      ),
      'ec2:DescribeVolumes',
    );
    assert.equal(
      await deniedAction('cloudwatch', CALLS.cloudwatch),
      'cloudwatch:GetMetricData',
    );
    assert.equal(await deniedAction('sts', CALLS.sts), 'sts:AssumeRole');
  });

  test('times, operation and account scope a fault; counters include faulted calls', async () => {
    fake.reset();
    fake.injectFault({
      service: 'ec2',
      kind: 'throttle',
      times: 2,
      accountId: staging,
    });
    fake.injectFault({
      service: 'ec2',
      operation: 'DescribeVolumes',
      kind: 'deny',
      times: Infinity,
    });
    await CALLS.ec2(); // prod: not affected
    const stagingEc2 = ec2Client(staging);
    for (let i = 0; i < 2; i++)
      await rejectsWith(
        stagingEc2.send(new DescribeInstancesCommand({})),
        'RequestLimitExceeded',
      );
    await stagingEc2.send(new DescribeInstancesCommand({}));
    for (let i = 0; i < 3; i++)
      await rejectsWith(
        ec2Client(prod).send(new DescribeVolumesCommand({})),
        'UnauthorizedOperation',
      );
    assert.deepEqual(fake.requestCounts(), {
      'ec2:DescribeInstances': 4,
      'ec2:DescribeVolumes': 3,
    });
    const log = fake.requestLog();
    assert.deepEqual(
      log.map(e => e.accountId),
      [prod, staging, staging, staging, prod, prod, prod],
    );
    assert.equal(log[0].region, 'us-east-1');
    assert.equal(log[0].body.Action, 'DescribeInstances');
    fake.reset();
    assert.deepEqual(fake.requestCounts(), {});
    await ec2Client(prod).send(new DescribeVolumesCommand({}));
  });

  test('a dead account fails every call and cannot be assumed until reset', async () => {
    fake.reset();
    fake.markAccountDead(staging);
    await rejectsWith(ceCall(ceClient(staging)), 'InternalFailure', 500);
    await rejectsWith(
      ec2Client(staging).send(new DescribeInstancesCommand({})),
      'InternalError',
      500,
    );
    await rejectsWith(
      new STSClient(config(payer)).send(
        new AssumeRoleCommand({
          RoleArn: `arn:aws:iam::${staging}:role/r`,
          RoleSessionName: 'dead',
        }),
      ),
      'AccessDenied',
      403,
    );
    await ceCall(ceClient(prod)); // others still work
    fake.reset();
    await ceCall(ceClient(staging));
  });

  test('the HTTP control API does the same', async () => {
    fake.reset();
    const post = (p, body) =>
      fetch(`${fake.url}/__fake/${p}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    assert.equal(
      (
        await post('faults', {
          service: 'ce',
          kind: 'throttle',
          times: 'Infinity',
        })
      ).status,
      204,
    );
    await rejectsWith(CALLS.ce(), 'LimitExceededException');
    await rejectsWith(CALLS.ce(), 'LimitExceededException');
    assert.equal(
      (await post('faults', { service: 'nope', kind: 'throttle' })).status,
      400,
    );
    const counts = await (await fetch(`${fake.url}/__fake/counts`)).json();
    assert.deepEqual(counts, { 'ce:GetCostAndUsage': 2 });
    assert.equal((await post('reset', {})).status, 204);
    assert.equal((await post('dead-accounts', { accountId: ci })).status, 204);
    await rejectsWith(
      ec2Client(ci).send(new DescribeInstancesCommand({})),
      'InternalError',
    );
    await post('reset', {});
    await CALLS.ce();
    const log = await (await fetch(`${fake.url}/__fake/log`)).json();
    assert.equal(log.at(-1).operation, 'GetCostAndUsage');
  });
});

describe('cli', () => {
  test('starts, logs its URL and stops on SIGTERM', async () => {
    const child = spawn(
      process.execPath,
      [
        path.join(import.meta.dirname, 'cli.js'),
        '--port',
        '0',
        '--billing-dir',
        billingDir,
        '--page-size',
        '10',
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const line = await new Promise((resolve, reject) => {
      child.stdout.once('data', d => resolve(String(d).trim()));
      child.once('exit', code => reject(new Error(`exited ${code}`)));
    });
    const m = /^fake AWS listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(line);
    assert.ok(m, line);
    const health = await (await fetch(`${m[1]}/__fake/health`)).json();
    assert.deepEqual(health, { ok: true });
    const exited = new Promise(resolve => child.once('exit', resolve));
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
  });
});

describe('examples/billing/inventory.js', () => {
  const { demoInventory, utilisationPoint, hasMemoryMetrics } = inventoryModule;
  const HOUR = 3600000;
  const inv = () => demoInventory({ endDate: END_DATE });
  const byName = name => inv().find(r => r.name === name);
  /** Two weeks of hourly points before the end of the end date. */
  function twoWeeks(resourceId, metric = 'cpu') {
    const end = Date.parse(`${END_DATE}T00:00:00Z`) + 86400000;
    const points = [];
    for (let t = end - 14 * 24 * HOUR; t < end; t += HOUR)
      points.push(utilisationPoint(resourceId, metric, t));
    const avg = points.reduce((s, p) => s + p.average, 0) / points.length;
    const maxima = points.map(p => p.maximum).sort((a, b) => a - b);
    return {
      avg,
      p95: maxima[Math.floor(maxima.length * 0.95)],
      max: maxima.at(-1),
    };
  }

  test('shape: InventoryResource without utilisation, deterministic', () => {
    const a = inv();
    assert.deepEqual(a, inv());
    const kinds = a.reduce(
      (m, r) => ({ ...m, [r.kind]: (m[r.kind] || 0) + 1 }),
      {},
    );
    assert.deepEqual(kinds, {
      instance: 29,
      volume: 31,
      address: 2,
      snapshot: 4,
    });
    const allowed = [
      'provider',
      'accountId',
      'region',
      'resourceId',
      'kind',
      'name',
      'state',
      'type',
      'sizeGiB',
      'attachedTo',
      'createdAt',
      'tags',
    ];
    for (const r of a) {
      assert.equal(r.provider, 'AWS');
      for (const k of Object.keys(r)) assert.ok(allowed.includes(k), k);
      assert.equal(typeof r.tags, 'object');
    }
    // the spike's instances are gone by the end date; ledger-worker-eu is 120 days old
    assert.equal(
      a.find(r => r.resourceId === 'i-0a6f96f92efeaaa25'),
      undefined,
    );
    assert.equal(
      byName('ledger-worker-eu').createdAt.slice(0, 10),
      '2026-07-25',
    );
  });

  test('utilisation cases for rightsizing', () => {
    const notebook = twoWeeks(byName('fraud-ml-notebook').resourceId);
    assert.ok(notebook.avg < 1.5 && notebook.max < 5);
    const ledger = twoWeeks(byName('ledger-worker-1').resourceId);
    assert.ok(ledger.avg > 10 && ledger.avg < 14 && ledger.p95 < 30);
    const spiky = twoWeeks(byName('feature-store-materializer').resourceId);
    assert.ok(spiky.avg < 10 && spiky.max > 85);
    const prom = twoWeeks(byName('prometheus-1').resourceId);
    assert.ok(prom.avg > 60);
    assert.equal(hasMemoryMetrics(byName('prometheus-1').resourceId), true);
    assert.equal(
      hasMemoryMetrics(byName('fraud-ml-notebook').resourceId),
      false,
    );
    assert.equal(
      utilisationPoint(byName('fraud-ml-notebook').resourceId, 'memory', 0),
      undefined,
    );
  });
});

test('amounts format exactly', () => {
  assert.equal(
    formatAmount(parseDecimal('-0.000000000001')),
    '-0.000000000001',
  );
  assert.equal(formatAmount(parseDecimal('12.5')), '12.5000000000');
});
