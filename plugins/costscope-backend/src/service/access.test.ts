import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  entityCostReadPermission,
  overviewReadPermission,
} from '@costscope/backstage-plugin-common';
import { SnapshotEntity } from '../allocation/catalogSnapshot';
import { costscopeConditions } from '../permissions/rules';
import { entityConditionsFor } from '../__testUtils__/permissions';
import { loadEntityResources } from '../permissions/entityResource';
import { DefaultCostscopeAccess } from './access';
import { HiddenSetCache } from './HiddenSetCache';

describe('DefaultCostscopeAccess', () => {
  const auth = mockServices.auth();
  const userInfo = mockServices.userInfo.mock({
    getUserInfo: async () => ({
      userEntityRef: 'user:default/dana',
      ownershipEntityRefs: ['user:default/dana', 'group:default/team-a'],
    }),
  });
  const accessWith = (allowed: boolean, known: string[] = []) => {
    const authorize = jest.fn(async (requests: unknown[]) =>
      requests.map(() => ({
        result: allowed ? AuthorizeResult.ALLOW : AuthorizeResult.DENY,
      })),
    );
    const access = new DefaultCostscopeAccess({
      auth,
      httpAuth: mockServices.httpAuth(),
      userInfo,
      permissions: mockServices.permissions.mock({
        authorize: authorize as any,
      }),
      directory: { getEntity: async () => undefined },
      entityExists: async ref => known.includes(ref),
      allEntities: async () => known,
      ...entityConditionsFor(async () => undefined),
    });
    return { access, authorize };
  };

  it('reads a user and whether it is an admin', async () => {
    const { access, authorize } = accessWith(true);
    expect(
      await access.caller(mockCredentials.user('user:default/dana')),
    ).toEqual({
      isAdmin: true,
      ownershipRefs: ['user:default/dana', 'group:default/team-a'],
      by: 'user:default/dana',
    });
    expect(authorize).toHaveBeenCalledWith(
      [{ permission: expect.objectContaining({ name: 'costscope.admin' }) }],
      expect.anything(),
    );
  });

  it('records a service by its subject, owning nothing', async () => {
    const { access } = accessWith(false);
    expect(
      await access.caller(mockCredentials.service('plugin:catalog')),
    ).toEqual({ isAdmin: false, ownershipRefs: [], by: 'plugin:catalog' });
  });

  it('refuses a denied permission with a message naming it', async () => {
    const { access } = accessWith(false);
    await expect(
      access.authorize(mockCredentials.user(), overviewReadPermission),
    ).rejects.toThrow(
      "You may not read Costscope's organisation overview (permission costscope.overview.read).",
    );
    await expect(
      access.authorize(mockCredentials.user(), overviewReadPermission, 'No.'),
    ).rejects.toMatchObject({ name: 'NotAllowedError', message: 'No.' });
  });

  it('answers 404 for an entity the last allocation does not know', async () => {
    const { access } = accessWith(true, ['component:default/api']);
    await expect(
      access.requireKnownEntity('component:default/api'),
    ).resolves.toBeUndefined();
    await expect(
      access.requireKnownEntity('component:default/gone'),
    ).rejects.toMatchObject({
      name: 'NotFoundError',
      message:
        'entity component:default/gone is not known to Costscope (not in the catalog, not yet allocated, or not visible to you)',
    });
  });
});

describe('DefaultCostscopeAccess.isAllowedOn', () => {
  const entities: SnapshotEntity[] = [
    {
      ref: 'component:default/api',
      kind: 'component',
      name: 'api',
      ownerRef: 'group:default/team-a',
      parentRef: 'system:default/store',
      annotations: {},
    },
    {
      ref: 'system:default/store',
      kind: 'system',
      name: 'store',
      ownerRef: 'group:default/team-a',
      parentRef: 'domain:default/commerce',
      annotations: {},
    },
    {
      ref: 'domain:default/commerce',
      kind: 'domain',
      name: 'commerce',
      annotations: {},
    },
  ];
  const getEntity = async (ref: string) => entities.find(e => e.ref === ref);
  const accessDeciding = (
    decision: any,
    viaFramework: AuthorizeResult = AuthorizeResult.DENY,
  ) => {
    const authorize = jest.fn(async (requests: unknown[]) =>
      requests.map(() => ({ result: viaFramework })),
    );
    const access = new DefaultCostscopeAccess({
      auth: mockServices.auth(),
      httpAuth: mockServices.httpAuth(),
      userInfo: mockServices.userInfo(),
      permissions: mockServices.permissions.mock({
        authorize: authorize as any,
        authorizeConditional: (async (requests: unknown[]) =>
          requests.map(() => decision)) as any,
      }),
      directory: { getEntity },
      entityExists: async () => true,
      allEntities: async () => [],
      ...entityConditionsFor(getEntity),
    });
    return { access, authorize };
  };
  const user = mockCredentials.user('user:default/dana');
  const conditional = (conditions: any, pluginId = 'costscope') => ({
    result: AuthorizeResult.CONDITIONAL,
    pluginId,
    resourceType: 'catalog-entity',
    conditions,
  });

  it('follows a definitive answer', async () => {
    for (const result of [AuthorizeResult.ALLOW, AuthorizeResult.DENY]) {
      const { access } = accessDeciding({ result });
      expect(
        await access.isAllowedOn(
          user,
          entityCostReadPermission,
          'component:default/api',
        ),
      ).toBe(result === AuthorizeResult.ALLOW);
    }
  });

  it("applies Costscope's conditions to the entity, its system and domain", async () => {
    const inCommerce = accessDeciding(
      conditional(costscopeConditions.isInDomain({ domain: 'commerce' })),
    ).access;
    const inOther = accessDeciding(
      conditional(costscopeConditions.isInDomain({ domain: 'other' })),
    ).access;
    const ownsIt = accessDeciding(
      conditional(
        costscopeConditions.isEntityOrAncestorOwner({
          claims: ['Group:default/Team-A'],
        }),
      ),
    ).access;
    const check = (access: DefaultCostscopeAccess, ref: string) =>
      access.isAllowedOn(user, entityCostReadPermission, ref);
    expect(await check(inCommerce, 'component:default/api')).toBe(true);
    expect(await check(inOther, 'component:default/api')).toBe(false);
    expect(await check(ownsIt, 'component:default/api')).toBe(true);
    // An entity the catalog does not hold meets no condition.
    expect(await check(inCommerce, 'component:default/gone')).toBe(false);
  });

  it("asks the framework, with the entity ref, for another plugin's conditions", async () => {
    const { access, authorize } = accessDeciding(
      conditional({ rule: 'IS_ENTITY_OWNER', params: {} }, 'catalog'),
      AuthorizeResult.ALLOW,
    );
    expect(
      await access.isAllowedOn(
        user,
        entityCostReadPermission,
        'component:default/api',
      ),
    ).toBe(true);
    expect(authorize).toHaveBeenCalledWith(
      [
        {
          permission: entityCostReadPermission,
          resourceRef: 'component:default/api',
        },
      ],
      { credentials: user },
    );
  });
});

describe('DefaultCostscopeAccess.entityCostRead', () => {
  const entity = (
    ref: string,
    fields: Partial<SnapshotEntity> = {},
  ): SnapshotEntity => ({
    ref,
    kind: ref.slice(0, ref.indexOf(':')),
    name: ref.slice(ref.indexOf('/') + 1),
    annotations: {},
    ...fields,
  });
  const entities = [
    entity('group:default/team-a'),
    entity('domain:default/commerce'),
    entity('system:default/store', {
      ownerRef: 'group:default/team-a',
      parentRef: 'domain:default/commerce',
    }),
    entity('component:default/api', {
      ownerRef: 'group:default/team-a',
      parentRef: 'system:default/store',
    }),
    entity('component:default/other', { ownerRef: 'group:default/team-a' }),
  ];
  const getEntity = async (ref: string) => entities.find(e => e.ref === ref);
  const below = (ref: string) =>
    ref === 'group:default/team-a'
      ? entities.filter(e => e.kind !== 'domain').map(e => e.ref)
      : [ref];
  const setUp = (
    options: Partial<
      ConstructorParameters<typeof DefaultCostscopeAccess>[0]
    > = {},
  ) => {
    const authorizeConditional = jest.fn(async (requests: any[]) =>
      requests.map(({ permission }) =>
        permission.name === entityCostReadPermission.name
          ? {
              result: AuthorizeResult.CONDITIONAL,
              pluginId: 'costscope',
              resourceType: 'catalog-entity',
              conditions: {
                anyOf: [
                  costscopeConditions.isEntityKind({ kinds: ['group'] }),
                  costscopeConditions.isInDomain({ domain: 'commerce' }),
                ],
              },
            }
          : { result: AuthorizeResult.ALLOW },
      ),
    );
    const conditions = entityConditionsFor(getEntity, below);
    const entitiesBelow = jest.fn(conditions.entitiesBelow);
    const resourcesBelow = jest.fn(conditions.resourcesBelow);
    const access = new DefaultCostscopeAccess({
      auth: mockServices.auth(),
      httpAuth: mockServices.httpAuth(),
      userInfo: mockServices.userInfo(),
      permissions: mockServices.permissions.mock({
        authorizeConditional: authorizeConditional as any,
      }),
      directory: { getEntity },
      entityExists: async () => true,
      allEntities: async () => entities.map(e => e.ref),
      ...conditions,
      entitiesBelow,
      resourcesBelow,
      ...options,
    });
    return { access, authorizeConditional, entitiesBelow, resourcesBelow };
  };
  const user = mockCredentials.user('user:default/dana');

  it('asks the policy once for the entity and its rollup, and reads the rollup with its resources', async () => {
    const { access, authorizeConditional, entitiesBelow, resourcesBelow } =
      setUp();
    const visibility = await access.entityCostRead(
      user,
      'group:default/team-a',
    );
    expect(await visibility?.hidden()).toEqual(
      new Set(['component:default/other']),
    );
    expect(authorizeConditional).toHaveBeenCalledTimes(1);
    expect(resourcesBelow).toHaveBeenCalledTimes(1);
    expect(entitiesBelow).not.toHaveBeenCalled();
  });

  it('answers undefined for an entity the policy hides, without reading its rollup', async () => {
    const { access, resourcesBelow } = setUp();
    expect(
      await access.entityCostRead(user, 'component:default/other'),
    ).toBeUndefined();
    expect(
      await access.entityCostRead(user, 'component:default/api'),
    ).toBeDefined();
    expect(resourcesBelow).not.toHaveBeenCalled();
  });

  it('keeps the sets of its own conditions through the cache, never one read from the catalog', async () => {
    const kept = new HiddenSetCache({ version: async () => 'snapshot-1' });
    const asked: Array<{ scope: string; decision: string; keep: boolean }> = [];
    const hiddenSets = {
      version: jest.fn(() => kept.version()),
      get: jest.fn(
        (
          scope: string,
          decision: string,
          compute: Parameters<HiddenSetCache['get']>[2],
          version?: Promise<string | undefined>,
        ) =>
          kept.get(
            scope,
            decision,
            async () => {
              const computed = await compute();
              asked.push({ scope, decision, keep: computed.keep });
              return computed;
            },
            version,
          ),
      ),
    };
    // The snapshot holds everything but component:default/new, which only the catalog has.
    const { access, resourcesBelow } = setUp({
      hiddenSets,
      loadSnapshotResources: refs =>
        loadEntityResources(
          async ref =>
            ref === 'component:default/new' ? undefined : getEntity(ref),
          refs,
        ),
      loadResources: refs =>
        loadEntityResources(
          async ref =>
            ref === 'component:default/new'
              ? entity(ref, { parentRef: 'system:default/store' })
              : getEntity(ref),
          refs,
        ),
    });
    for (let i = 0; i < 2; i++) {
      const visibility = await access.entityCostRead(
        user,
        'group:default/team-a',
      );
      expect(await visibility?.hidden()).toEqual(
        new Set(['component:default/other']),
      );
      // The entity's check and its rollup's read the snapshot's version once.
      expect(hiddenSets.version).toHaveBeenCalledTimes(2 * i + 1);
      expect(
        await access.isAllowedOn(
          user,
          entityCostReadPermission,
          'component:default/new',
        ),
      ).toBe(true);
    }
    // Computed once each; the entity read from the catalog every time, never kept.
    expect(resourcesBelow).toHaveBeenCalledTimes(1);
    expect(asked.map(({ scope, keep }) => [scope, keep])).toEqual([
      ['entity:group:default/team-a', true],
      ['below:group:default/team-a', true],
      ['entity:component:default/new', false],
      ['entity:component:default/new', false],
    ]);
    expect(new Set(asked.map(a => a.decision)).size).toBe(1);
  });

  it('computes unconditional refusals without the cache', async () => {
    const hiddenSets = { get: jest.fn(), version: jest.fn() };
    const access = new DefaultCostscopeAccess({
      auth: mockServices.auth(),
      httpAuth: mockServices.httpAuth(),
      userInfo: mockServices.userInfo(),
      permissions: mockServices.permissions.mock({
        authorizeConditional: (async (requests: any[]) =>
          requests.map(({ permission }) => ({
            result:
              permission.name === entityCostReadPermission.name
                ? AuthorizeResult.DENY
                : AuthorizeResult.ALLOW,
          }))) as any,
      }),
      directory: { getEntity },
      entityExists: async () => true,
      allEntities: async () => entities.map(e => e.ref),
      ...entityConditionsFor(getEntity, below),
      hiddenSets,
    });
    expect(
      (await (await access.visibilityInOrganisation(user)).hidden()).size,
    ).toBe(entities.length);
    expect(hiddenSets.get).not.toHaveBeenCalled();
  });
});
