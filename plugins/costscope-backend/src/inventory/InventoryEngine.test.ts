import { mockServices } from '@backstage/backend-test-utils';
import {
  InventoryResource,
  InventorySource,
} from '@costscope/backstage-plugin-node';
import { createTestDatabases } from '../__testUtils__/databases';
import { RunRecorder } from '../pipeline/RunRecorder';
import { RunStore } from '../store/RunStore';
import { InventoryStore } from '../store/InventoryStore';
import { applyMigrations } from '../store/migrations';
import { InventoryEngine } from './InventoryEngine';

jest.setTimeout(60_000);

const instance: InventoryResource = {
  provider: 'AWS',
  accountId: '111122223333',
  region: 'us-east-1',
  resourceId: 'i-0abc',
  kind: 'instance',
  name: 'web-1',
  state: 'running',
  type: 'm6i.large',
  createdAt: '2026-01-01T00:00:00.000Z',
  tags: { service: 'web', Name: 'web-1' },
  utilisation: [
    {
      metric: 'cpu',
      periodSeconds: 3600,
      points: [
        { timestamp: '2026-11-01T00:00:00.000Z', average: 3.5, maximum: 12.25 },
      ],
    },
  ],
};
const volume: InventoryResource = {
  provider: 'AWS',
  accountId: '111122223333',
  region: 'us-east-1',
  resourceId: 'vol-0def',
  kind: 'volume',
  state: 'available',
  type: 'gp3',
  sizeGiB: 100,
  tags: {},
};

function source(
  resources: InventoryResource[],
  options: { failAtEnd?: boolean } = {},
): InventorySource {
  return {
    id: 'ec2-test',
    async *read(context) {
      context.apiCall('ec2:DescribeInstances');
      yield* resources;
      if (options.failAtEnd) throw new Error('RequestLimitExceeded');
    },
  };
}

describe('InventoryEngine', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'replaces a snapshot on success and keeps it on failure on %p',
    async id => {
      const knex = await databases.init(id);
      await applyMigrations(knex);
      const inventory = new InventoryStore(knex);
      const runs = new RunRecorder(new RunStore(knex));
      const engine = new InventoryEngine({
        inventory,
        runs,
        logger: mockServices.logger.mock(),
      });

      const ok = await engine.run(source([instance, volume]), 'manual');
      expect(ok).toMatchObject({
        kind: 'inventory',
        status: 'succeeded',
        rowsRead: 2,
        factsWritten: 2,
        apiCalls: { 'ec2:DescribeInstances': 1 },
      });
      expect(await inventory.listResources('ec2-test')).toEqual([
        instance,
        { ...volume, utilisation: undefined },
      ]);

      const failed = await engine.run(
        source([volume], { failAtEnd: true }),
        'schedule',
      );
      expect(failed.status).toBe('failed');
      expect(failed.error).toBe('RequestLimitExceeded');
      expect(await inventory.listResources()).toHaveLength(2);

      const duplicate = await engine.run(source([volume, volume]), 'manual');
      expect(duplicate.error).toMatch(/yielded resource 'vol-0def' twice/);
      expect(await inventory.listResources()).toHaveLength(2);

      await engine.run(source([volume]), 'manual');
      expect(await inventory.listResources()).toEqual([
        { ...volume, utilisation: undefined },
      ]);
      const [latest] = await runs.listRuns(1);
      expect(latest).toMatchObject({ kind: 'inventory', status: 'succeeded' });
    },
  );
});
