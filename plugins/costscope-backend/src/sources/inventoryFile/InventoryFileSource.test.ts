import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import { InventoryResource } from '@costscope/backstage-plugin-node';
import { InventoryFileSource } from './InventoryFileSource';
import { parseInventoryFile } from './parseInventoryFile';

const volume = {
  provider: 'AWS',
  accountId: '111122223333',
  region: 'us-east-1',
  resourceId: 'vol-1',
  kind: 'volume',
  state: 'available',
  type: 'gp3',
  sizeGiB: 100,
  tags: { team: 'payments' },
};
const instance = {
  ...volume,
  resourceId: 'i-1',
  kind: 'instance',
  state: 'running',
  type: 'm6i.large',
  sizeGiB: undefined,
  utilisation: [
    {
      metric: 'cpu',
      periodSeconds: 3600,
      points: [{ timestamp: '2026-11-22T00:00:00Z', average: 3.5, maximum: 9 }],
    },
  ],
};

async function readAll(source: InventoryFileSource) {
  const resources: InventoryResource[] = [];
  for await (const resource of source.read({
    logger: mockServices.logger.mock(),
    apiCall: () => {},
  })) {
    resources.push(resource);
  }
  return resources;
}

describe('parseInventoryFile', () => {
  it('reads resources with tags and utilisation', () => {
    const resources = parseInventoryFile(
      JSON.stringify({ resources: [volume, instance] }),
    );
    expect(resources).toHaveLength(2);
    expect(resources[0]).toMatchObject({ resourceId: 'vol-1', sizeGiB: 100 });
    expect(resources[1].utilisation?.[0].points[0]).toEqual({
      timestamp: '2026-11-22T00:00:00Z',
      average: 3.5,
      maximum: 9,
    });
  });

  it.each([
    ['broken JSON', '{', /not valid JSON/],
    ['an array', '[]', /"resources" array/],
    [
      'a blank account',
      JSON.stringify({ resources: [volume, { ...volume, accountId: '' }] }),
      /resources\[1\]\.accountId is missing|resources\[1\]\.accountId must be/,
    ],
    [
      'a numeric tag',
      JSON.stringify({ resources: [{ ...volume, tags: { team: 7 } }] }),
      /resources\[0\]\.tags\['team'\] must be a string/,
    ],
    [
      'a size as text',
      JSON.stringify({ resources: [{ ...volume, sizeGiB: '100' }] }),
      /resources\[0\]\.sizeGiB must be a number/,
    ],
    [
      'an unknown metric',
      JSON.stringify({
        resources: [
          {
            ...instance,
            utilisation: [{ ...instance.utilisation[0], metric: 'disk' }],
          },
        ],
      }),
      /resources\[0\]\.utilisation\[0\]\.metric must be 'cpu' or 'memory'/,
    ],
    [
      'a bad timestamp',
      JSON.stringify({
        resources: [
          {
            ...instance,
            utilisation: [
              {
                ...instance.utilisation[0],
                points: [{ timestamp: 'yesterday', average: 1, maximum: 2 }],
              },
            ],
          },
        ],
      }),
      /points\[0\]\.timestamp 'yesterday' is not an ISO 8601 time/,
    ],
  ])('rejects %s, naming the entry', (_label, text, message) => {
    expect(() => parseInventoryFile(text)).toThrow(message);
  });
});

describe('InventoryFileSource', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'costscope-inventory-'));
  });
  afterAll(() => fs.rm(dir, { recursive: true, force: true }));

  it('yields the resources of the file', async () => {
    const file = path.join(dir, 'good.json');
    await fs.writeFile(file, JSON.stringify({ resources: [volume, instance] }));
    const resources = await readAll(
      new InventoryFileSource({ id: 'demo', path: file }),
    );
    expect(resources.map(r => r.resourceId)).toEqual(['vol-1', 'i-1']);
  });

  it('fails naming the source and the file when the file is missing', async () => {
    await expect(
      readAll(
        new InventoryFileSource({
          id: 'demo',
          path: path.join(dir, 'missing.json'),
        }),
      ),
    ).rejects.toThrow(/inventory source 'demo': cannot read .*missing\.json/);
  });

  it('reads the demo inventory that npm start serves', async () => {
    const {
      demoInventoryWithUtilisation,
      // eslint-disable-next-line @backstage/no-relative-monorepo-imports
    } = require('../../../../../examples/billing/inventory.js');
    const file = path.join(dir, 'demo.json');
    await fs.writeFile(
      file,
      JSON.stringify({
        resources: demoInventoryWithUtilisation({ endDate: '2026-11-22' }),
      }),
    );
    const resources = await readAll(
      new InventoryFileSource({ id: 'demo', path: file }),
    );
    const notebook = resources.find(r => r.name === 'fraud-ml-notebook');
    expect(notebook).toMatchObject({ kind: 'instance', type: 'g5.xlarge' });
    // 14 days of hourly CPU up to the end of the last billed day
    const cpu = notebook!.utilisation!.find(s => s.metric === 'cpu')!;
    expect(cpu.points).toHaveLength(14 * 24);
    expect(cpu.points.at(-1)!.timestamp).toBe('2026-11-22T23:00:00.000Z');
  });
});
