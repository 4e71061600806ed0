import { InventoryResource } from '@costscope/backstage-plugin-node';
import { createTestDatabases } from '../__testUtils__/databases';
import { applyMigrations } from './migrations';
import { InventoryStore } from './InventoryStore';

jest.setTimeout(60_000);

const resource = (
  resourceId: string,
  provider: string,
  region: string,
): InventoryResource => ({
  resourceId,
  provider,
  accountId: '111122223333',
  region,
  kind: 'instance',
  tags: {},
  utilisation: [{ metric: 'cpu', periodSeconds: 3600, points: [] }],
});

describe('InventoryStore', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'gives each provider its regions once, over every source, on %p',
    async id => {
      const knex = await databases.init(id);
      await applyMigrations(knex);
      const store = new InventoryStore(knex);
      await store.replaceSnapshot(
        'ec2-prod',
        [
          resource('i-1', 'AWS', 'us-east-1'),
          resource('i-2', 'AWS', 'eu-west-1'),
          resource('i-3', 'AWS', 'us-east-1'),
        ],
        '2026-12-01T00:00:00Z',
      );
      await store.replaceSnapshot(
        'ec2-dev',
        [
          resource('i-4', 'aws', 'eu-west-1'),
          resource('vm-1', 'Google Cloud', 'europe-west1'),
        ],
        '2026-12-01T00:00:00Z',
      );
      expect(await store.regionsByProvider()).toEqual(
        new Map([
          ['aws', ['eu-west-1', 'us-east-1']],
          ['google cloud', ['europe-west1']],
        ]),
      );
    },
  );
});
