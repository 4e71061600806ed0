import fs from 'node:fs/promises';
import path from 'node:path';
import request from 'supertest';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  Permission,
  PolicyDecision,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import { NOT_VISIBLE_KEY } from '@costscope/backstage-plugin-common';
import { as, startApiBackend } from '../__testUtils__/apiBackend';
import { createTestDatabases } from '../__testUtils__/databases';
import { entity } from '../__testUtils__/entities';
import { focusCsv } from '../__testUtils__/focus';
import {
  costscopeConditions,
  createCostscopeConditionalDecision,
} from '../permissions/rules';

jest.setTimeout(120_000);

/*
 * Hidden sets from Costscope's own conditions are computed once per catalog snapshot and
 * policy decision, for every user the policy decides the same for; a rebuild for new facts
 * keeps them, a catalog change computes them again. The catalog's own conditions are asked
 * on every request.
 */

const SHOP_1 = 'user:default/sam';
const SHOP_2 = 'user:default/sue';
const NEBULA = 'user:default/nia';
const CATALOG_RESTRICTED = 'user:default/cat';

const quasar = entity('Component', 'quasar-model', {
  owner: 'team-a',
  system: 'nebula-sys',
});
const organisation = {
  groups: {
    [SHOP_1]: ['group:default/team-a'],
    [SHOP_2]: ['group:default/team-a'],
    [NEBULA]: ['group:default/team-b'],
    [CATALOG_RESTRICTED]: ['group:default/team-b'],
  },
  entities: [
    entity('Group', 'team-a', { type: 'team', children: [] }),
    entity('Group', 'team-b', { type: 'team', children: [] }),
    entity('Domain', 'shop', { owner: 'team-a' }),
    entity('Domain', 'nebula', { owner: 'team-b' }),
    entity('System', 'store', { owner: 'team-a', domain: 'shop' }),
    entity('System', 'nebula-sys', { owner: 'team-b', domain: 'nebula' }),
    entity('Component', 'zircon-api', { owner: 'team-a', system: 'store' }),
    quasar,
  ],
  rows: [
    {
      day: '2026-03-01',
      cost: '10.5',
      tags: { service: 'zircon-api' },
      resource: 'i-zircon',
    },
    {
      day: '2026-03-02',
      cost: '4.25',
      tags: { service: 'quasar-model' },
      resource: 'i-quasar',
    },
  ],
};

const allow: PolicyDecision = { result: AuthorizeResult.ALLOW };

/** Teams, and the entities of one domain. */
const domainOnly = (permission: Permission, domain: string) =>
  createCostscopeConditionalDecision(
    permission as ResourcePermission<'catalog-entity'>,
    {
      anyOf: [
        costscopeConditions.isEntityKind({ kinds: ['group'] }),
        costscopeConditions.isInDomain({ domain }),
      ],
    },
  );

function permissionsOf(catalogHides: { refs: Set<string> }) {
  const authorizeCalls: string[] = [];
  const decide = (permission: Permission, user: string): PolicyDecision => {
    if (permission.name === 'catalog.entity.read') {
      return user === CATALOG_RESTRICTED
        ? {
            result: AuthorizeResult.CONDITIONAL,
            pluginId: 'catalog',
            resourceType: 'catalog-entity',
            conditions: {
              rule: 'IS_ENTITY_KIND',
              resourceType: 'catalog-entity',
              params: { kinds: ['component'] },
            },
          }
        : allow;
    }
    if (permission.name !== 'costscope.entity.cost.read') return allow;
    if (user === SHOP_1 || user === SHOP_2)
      return domainOnly(permission, 'shop');
    if (user === NEBULA) return domainOnly(permission, 'nebula');
    return allow;
  };
  const userOf = (credentials: BackstageCredentials) =>
    (credentials.principal as any).userEntityRef as string | undefined;
  const factory = mockServices.permissions.mock({
    authorizeConditional: async (requests, { credentials }) =>
      requests.map(({ permission }) => {
        const user = userOf(credentials);
        return user ? decide(permission, user) : allow;
      }) as any,
    // Only the catalog's condition is asked here, answered as the catalog would now.
    authorize: async (requests: any[]) =>
      requests.map(({ resourceRef }) => {
        authorizeCalls.push(resourceRef);
        return {
          result: catalogHides.refs.has(resourceRef)
            ? AuthorizeResult.DENY
            : AuthorizeResult.ALLOW,
        };
      }),
  }).factory;
  return { factory, authorizeCalls };
}

const summaryOf = (team: string, from: string) =>
  `/api/costscope/v1/entities/group/default/${team}/summary?from=${from}&to=2026-03-31`;

describe('hidden sets kept per catalog snapshot and decision', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'computes a decision’s hidden set once per snapshot, for every user it is theirs, on %p',
    async id => {
      const knex = await databases.init(id);
      const catalogHides = { refs: new Set<string>() };
      const permissions = permissionsOf(catalogHides);
      const backend = await startApiBackend(knex, {
        organisation,
        permissions: permissions.factory,
      });
      // The snapshot reads of a visibility check: below an entity, and one entity's chain.
      const checks: string[] = [];
      knex.on('query', ({ sql }: { sql: string }) => {
        if (/costscope_entity_ancestors (x|as a1)\b/i.test(sql)) {
          checks.push(sql);
        }
      });
      const get = async (url: string, user: string) => {
        const response = await request(backend.server)
          .get(url)
          .set('Authorization', as(user));
        expect(response.status).toBe(200);
        return response.body;
      };
      const hiddenLine = (body: any) =>
        body.byEntity.find((item: any) => item.key === NOT_VISIBLE_KEY)?.cost;
      try {
        const first = await get(summaryOf('team-a', '2026-03-01'), SHOP_1);
        expect(first.total).toBe('14.750000000');
        expect(hiddenLine(first)).toBe('4.250000000');
        expect(checks.length).toBeGreaterThan(0);

        // Another user with the same decision, another answer (another range): the set is
        // the one computed for the first.
        checks.length = 0;
        const second = await get(summaryOf('team-a', '2026-02-01'), SHOP_2);
        expect(hiddenLine(second)).toBe('4.250000000');
        expect(checks).toEqual([]);

        // Another decision has its own set.
        const nebula = await get(summaryOf('team-a', '2026-03-01'), NEBULA);
        expect(checks.length).toBeGreaterThan(0);
        expect(hiddenLine(nebula)).toBe('10.500000000');

        // A rebuild for a new bill, same catalog: new answers, the same sets.
        await fs.writeFile(
          path.join(backend.focusDir, 'focus.csv'),
          focusCsv([
            ...organisation.rows,
            {
              day: '2026-03-03',
              cost: '1',
              tags: { service: 'quasar-model' },
              resource: 'i-quasar',
            },
          ]),
        );
        const ingest = async () => {
          const response = await request(backend.server)
            .post('/api/costscope/v1/ingest')
            .set('Authorization', mockCredentials.service.header())
            .send({});
          expect(response.body.runs[0].status).toBe('succeeded');
        };
        await ingest();
        checks.length = 0;
        const rebuilt = await get(summaryOf('team-a', '2026-03-01'), SHOP_1);
        expect(rebuilt.total).toBe('15.750000000');
        expect(hiddenLine(rebuilt)).toBe('5.250000000');
        expect(checks).toEqual([]);

        // The catalog moves quasar-model into the shop's system: the snapshot changes,
        // and so does what the decision hides.
        (quasar.spec as any).system = 'store';
        try {
          await ingest();
          checks.length = 0;
          const moved = await get(summaryOf('team-a', '2026-03-01'), SHOP_1);
          expect(moved.total).toBe('15.750000000');
          expect(hiddenLine(moved)).toBeUndefined();
          expect(checks.length).toBeGreaterThan(0);
        } finally {
          (quasar.spec as any).system = 'nebula-sys';
        }

        // The catalog's own condition is asked on every request: its answer may change
        // without a rebuild.
        permissions.authorizeCalls.length = 0;
        const open = await get(
          summaryOf('team-a', '2026-03-01'),
          CATALOG_RESTRICTED,
        );
        expect(hiddenLine(open)).toBeUndefined();
        catalogHides.refs.add('component:default/zircon-api');
        const hiding = await get(
          summaryOf('team-a', '2026-03-01'),
          CATALOG_RESTRICTED,
        );
        expect(hiddenLine(hiding)).toBe('10.500000000');
        expect(
          permissions.authorizeCalls.filter(
            ref => ref === 'component:default/zircon-api',
          ),
        ).toHaveLength(2);
      } finally {
        await backend.stop();
      }
    },
  );
});
