import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Entity } from '@backstage/catalog-model';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import {
  catalogApiRef,
  defaultEntityPresentation,
  entityPresentationApiRef,
  EntityProvider,
  entityRouteRef,
  MockStarredEntitiesApi,
  starredEntitiesApiRef,
} from '@backstage/plugin-catalog-react';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  ScmIntegrationsApi,
  scmIntegrationsApiRef,
} from '@backstage/integration-react';
import { costscopeApiRef } from '@costscope/backstage-plugin';
import { catalogPlugin } from '@backstage/plugin-catalog';
import { catalogGraphPlugin } from '@backstage/plugin-catalog-graph';
import { configApiRef } from '@backstage/core-plugin-api';
import { entityPage } from './EntityPage';

type CostscopeApi = typeof costscopeApiRef.T;

const entity = (kind: string, name: string, spec: object = {}): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind,
  metadata: { name, namespace: 'default' },
  spec,
});

const zeroSummary = (
  entityRef: string,
  range: { from: string; to: string },
) => ({
  ...range,
  entityRef,
  currency: 'USD',
  total: '12.000000000',
  previous: { from: '2000-01-01', to: '2000-01-30', total: '10.000000000' },
  change: '2.000000000',
  changeRatio: 0.2,
  byService: [{ key: 'AmazonEC2', cost: '12.000000000', share: 1 }],
  byAccount: [],
  byRegion: [],
  byProvider: [],
  byChargeCategory: [],
  byEntity: [],
  mappingRules: [],
  overlaps: [],
});

function fakeCostscopeApi(): jest.Mocked<CostscopeApi> {
  return {
    getEntitySummary: jest.fn(async (ref, range) => zeroSummary(ref, range)),
    getEntitySeries: jest.fn(async (ref, range) => ({
      ...range,
      entityRef: ref,
      currency: 'USD',
      groupBy: 'service' as const,
      keys: [],
      points: [],
    })),
    getEntityResources: jest.fn(async (ref, range) => ({
      ...range,
      entityRef: ref,
      currency: 'USD',
      total: '12.000000000',
      resources: [],
    })),
    getOverview: jest.fn(),
    getIngestRuns: jest.fn(),
    triggerIngest: jest.fn(),
    getEntityBudget: jest.fn(async () => ({ status: null, canEdit: false })),
    putEntityBudget: jest.fn(),
    deleteEntityBudget: jest.fn(),
    getEntityBudgetHistory: jest.fn(async () => ({ items: [] })),
    listBudgets: jest.fn(async () => ({ items: [] })),
    getAlerts: jest.fn(async () => ({ items: [] })),
    // Savings and tag compliance cards: nothing to report, no policy configured.
    getEntityRecommendations: jest.fn(async (ref: string) => ({
      entityRef: ref,
      currency: 'USD',
      totalMonthlySaving: '0.000000000',
      items: [],
      dismissed: [],
    })),
    // Unit cost card: no metric reported.
    getEntityUnitCost: jest.fn(async (ref: string, query: any) => ({
      entityRef: ref,
      metric: null,
      unit: null,
      hasValues: false,
      metrics: [],
      currency: 'USD',
      costBasis: 'effective',
      granularity: query.granularity ?? 'day',
      from: query.from,
      to: query.to,
      points: [],
      total: { cost: '0.000000000', units: '0', unitCost: null },
      previous: {
        from: query.from,
        to: query.to,
        cost: '0.000000000',
        units: '0',
        unitCost: null,
      },
      change: null,
      changeRatio: null,
    })),
    getEntityCompliance: jest.fn(async (ref: string, range: object) => ({
      ...range,
      entityRef: ref,
      currency: 'USD',
      policy: { rules: [], keyCaseInsensitive: true },
      resources: { total: 0, compliant: 0 },
      cost: { total: '0.000000000', compliant: '0.000000000' },
      compliantShareByCount: null,
      compliantShareByCost: null,
      outOfScope: { resources: 0, cost: '0.000000000' },
      rejectedTags: 0,
      byKey: [],
      nonCompliant: [],
    })),
  } as unknown as jest.Mocked<CostscopeApi>;
}

/** A catalog that knows the one entity and answers every list query with nothing. */
function fakeCatalogApi(e: Entity) {
  const empty = { items: [], totalItems: 0, pageInfo: {}, facets: {} };
  return new Proxy({} as Record<string, unknown>, {
    get: (_target, method: string) => {
      if (method === 'then') return undefined;
      if (method === 'getEntityByRef') return async () => e;
      return async () => empty;
    },
  }) as any;
}

/** Names entities from their refs, without asking the catalog. */
const presentationApi = {
  forEntity: (
    entityOrRef: Entity | string,
    context?: { defaultKind?: string; defaultNamespace?: string },
  ) => {
    const snapshot = defaultEntityPresentation(entityOrRef, context);
    return { snapshot, promise: Promise.resolve(snapshot) };
  },
};

const config = mockApis.config({
  data: { backend: { baseUrl: 'http://localhost:7007' } },
});

async function renderEntityPage(e: Entity, api = fakeCostscopeApi()) {
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [catalogApiRef, fakeCatalogApi(e)],
        [configApiRef, config],
        [starredEntitiesApiRef, new MockStarredEntitiesApi()],
        [entityPresentationApiRef, presentationApi],
        [permissionApiRef, mockApis.permission()],
        [scmIntegrationsApiRef, ScmIntegrationsApi.fromConfig(config)],
        [costscopeApiRef, api],
      ]}
    >
      <EntityProvider entity={e}>{entityPage}</EntityProvider>
    </TestApiProvider>,
    {
      mountedRoutes: {
        '/catalog': catalogPlugin.routes.catalogIndex,
        '/catalog-graph': catalogGraphPlugin.routes.catalogGraph,
        '/catalog/:namespace/:kind/:name': entityRouteRef,
      },
    },
  );
  return api;
}

describe('EntityPage', () => {
  it.each([
    [
      'component (service)',
      entity('Component', 'checkout-api', { type: 'service' }),
    ],
    [
      'component (website)',
      entity('Component', 'shop-web', { type: 'website' }),
    ],
    [
      'component (other type)',
      entity('Component', 'batch', { type: 'library' }),
    ],
    ['system', entity('System', 'payments')],
    ['domain', entity('Domain', 'commerce')],
    ['group', entity('Group', 'team-a', { type: 'team', children: [] })],
  ])('has a Cost tab on %s pages', async (_name, e) => {
    await renderEntityPage(e);
    expect(
      await screen.findByRole('tab', { name: 'Cost' }),
    ).toBeInTheDocument();
  });

  it('shows the cost of the entity in the Cost tab', async () => {
    const api = await renderEntityPage(
      entity('Component', 'checkout-api', { type: 'service' }),
    );
    await userEvent.click(await screen.findByRole('tab', { name: 'Cost' }));
    await waitFor(() =>
      expect(api.getEntitySummary).toHaveBeenCalledWith(
        'component:default/checkout-api',
        expect.objectContaining({ from: expect.any(String) }),
      ),
    );
    expect(await screen.findByTestId('costscope-total')).toHaveAttribute(
      'data-amount',
      '12.000000000',
    );
  });

  it.each([
    ['user', entity('User', 'jane', { memberOf: [] })],
    ['unmapped API', entity('API', 'orders', { type: 'openapi' })],
  ])('has no Cost tab on %s pages', async (_name, e) => {
    await renderEntityPage(e);
    expect(
      await screen.findByRole('tab', { name: 'Overview' }),
    ).toBeInTheDocument();
    expect(screen.queryByRole('tab', { name: 'Cost' })).not.toBeInTheDocument();
  });

  it('has a Cost tab on an API that carries a cost mapping annotation', async () => {
    const apiEntity = entity('API', 'orders', { type: 'openapi' });
    apiEntity.metadata.annotations = { 'costscope.io/cost-tags': 'app=orders' };
    await renderEntityPage(apiEntity);
    expect(
      await screen.findByRole('tab', { name: 'Cost' }),
    ).toBeInTheDocument();
  });

  it('puts the cost card on group pages', async () => {
    const api = await renderEntityPage(
      entity('Group', 'team-a', { type: 'team', children: [] }),
    );
    expect(await screen.findByText('Cloud cost')).toBeInTheDocument();
    expect(api.getEntitySummary).toHaveBeenCalledWith(
      'group:default/team-a',
      expect.anything(),
    );
  });
});
