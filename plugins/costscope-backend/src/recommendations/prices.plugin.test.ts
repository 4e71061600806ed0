import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createBackendModule } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  costscopePriceSourcesExtensionPoint,
  PriceReadContext,
} from '@costscope/backstage-plugin-node';
import request from 'supertest';
import { costscopePlugin } from '../plugin';
import { createTestDatabases } from '../__testUtils__/databases';
import { hourly, instance } from './__testUtils__/resources';

jest.setTimeout(60_000);

const HOUR_MS = 3_600_000;
// The test backend's scheduler runs the tasks without an initial delay once, at start.
const SOON = { frequency: { hours: 24 }, timeout: { minutes: 5 } };
const LATER = { ...SOON, initialDelay: { hours: 1 } };

/**
 * The wired plugin with an inventory of two idle instances (one in a region no price source
 * prices) and a module that adds a price source through the extension point.
 */
async function start(knex: unknown, asked: PriceReadContext[]) {
  const end = new Date(Math.floor(Date.now() / HOUR_MS) * HOUR_MS);
  const idle = hourly('cpu', 14 * 24, () => ({ average: 1, maximum: 2 }), end);
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'costscope-prices-'));
  const inventoryFile = path.join(dir, 'inventory.json');
  await fs.writeFile(
    inventoryFile,
    JSON.stringify({
      resources: [
        instance({
          resourceId: 'i-priced',
          type: 'm5.large',
          utilisation: [idle],
        }),
        instance({
          resourceId: 'i-unpriced',
          type: 'm5.large',
          region: 'ap-southeast-2',
          utilisation: [idle],
        }),
      ],
    }),
  );
  const pricesModule = createBackendModule({
    pluginId: 'costscope',
    moduleId: 'test-prices',
    register(reg) {
      reg.registerInit({
        deps: { prices: costscopePriceSourcesExtensionPoint },
        async init({ prices }) {
          prices.addPriceSource({
            id: 'test-prices',
            provider: 'AWS',
            schedule: SOON,
            async read(context) {
              asked.push(context);
              return {
                provider: 'AWS',
                currency: 'USD',
                prices: [
                  {
                    region: 'us-east-1',
                    kind: 'instance',
                    key: 'm5.large',
                    price: '0.096',
                    vcpu: 2,
                    memoryGiB: 8,
                  },
                ],
              };
            },
          });
        },
      });
    },
  });
  return startTestBackend({
    features: [
      costscopePlugin,
      pricesModule,
      catalogServiceMock.factory({ entities: [] }),
      mockServices.database.factory({ knex: knex as any }),
      mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
      mockServices.rootConfig.factory({
        data: {
          costscope: {
            currency: 'USD',
            sources: [
              {
                id: 'inventory',
                type: 'inventory-file',
                path: inventoryFile,
                schedule: LATER,
              },
            ],
            allocation: { schedule: LATER },
          },
        },
      }),
    ],
  });
}

async function until<T>(read: () => Promise<T>, done: (t: T) => boolean) {
  for (let i = 0; i < 100; i++) {
    const value = await read();
    if (done(value)) return value;
    await new Promise(resolve => setTimeout(resolve, 200));
  }
  throw new Error(`timed out; last ${JSON.stringify(await read())}`);
}

describe('prices through the plugin', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'a module price source prices tips on its schedule; an unpriced one says what to configure, on %p',
    async id => {
      const asked: PriceReadContext[] = [];
      const backend = await start(await databases.init(id), asked);
      try {
        const server = backend.server;
        const ingest = await request(server)
          .post('/api/costscope/v1/ingest')
          .send({ sourceId: 'inventory' });
        expect(ingest.status).toBe(200);

        const list = await until(
          async () =>
            (
              await request(server).get('/api/costscope/v1/recommendations')
            ).body,
          body => body.items?.length > 0,
        );
        expect(list.items).toEqual([
          expect.objectContaining({
            resourceId: 'i-priced',
            kind: 'idle-instance',
            priceSource: 'price-table',
            monthlySaving: '70.080000000', // 0.096 x 730
          }),
        ]);
        expect(list.skipped).toEqual([
          expect.objectContaining({
            resourceId: 'i-unpriced',
            code: 'no-price',
            message: expect.stringMatching(
              /^No billing cost for this instance, and no on-demand price is known for instance type m5\.large in ap-southeast-2 \(prices from test-prices, read \d{4}-\d\d-\d\d\): configure the AWS module/,
            ),
          }),
        ]);
        // read at start, before any inventory: asked for no region (the AWS module adds its
        // accounts' regions); PriceCache.test checks the inventory's regions are passed on
        expect(asked.map(a => a.regions)).toEqual([[]]);
      } finally {
        await backend.stop();
      }
    },
  );
});
