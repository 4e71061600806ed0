import { Readable } from 'node:stream';
import request from 'supertest';
import { SnapshotEntity } from '../allocation/catalogSnapshot';
import {
  mockAccess,
  mockCostscopeServices,
  routerApp,
} from '../__testUtils__/routeMocks';

// The routes on mocked services: what each route checks itself (permission, input, entity)
// and what it hands to which service. The wired plugin is tested in plugin.test.ts and
// the other route suites, on both databases.

const READER = 'user:default/rita';
const MEMBER = 'user:default/dana';
const ADMIN = 'user:default/ada';
const BLIND = 'user:default/bo';
const API = 'component:default/api';
const apiEntity: SnapshotEntity = {
  ref: API,
  kind: 'component',
  name: 'api',
  ownerRef: 'group:default/team-a',
  annotations: {},
};
const access = mockAccess({
  grants: {
    [READER]: ['costscope.entity.cost.read', 'costscope.overview.read'],
    [MEMBER]: [
      'costscope.entity.cost.read',
      'costscope.overview.read',
      'costscope.entity.budget.update',
      'costscope.entity.recommendation.update',
    ],
    [ADMIN]: [
      'costscope.entity.cost.read',
      'costscope.overview.read',
      'costscope.entity.budget.update',
      'costscope.entity.recommendation.update',
      'costscope.admin',
    ],
  },
  groups: { [MEMBER]: ['group:default/team-a'] },
  catalog: [apiEntity],
  known: [API],
});
const range = { from: '2026-03-01', to: '2026-03-31' };

async function setUp() {
  const services = mockCostscopeServices();
  const { app, events } = await routerApp(services, access);
  return { services, app, events };
}

describe('cost routes', () => {
  it('serve the service answer as it is, cached text included', async () => {
    const { services, app } = await setUp();
    services.costs.summary.mockResolvedValue('{"total":"1.000000000"}');
    const res = await request(app)
      .get(`/v1/entities/component/default/api/summary`)
      .query(range)
      .set('x-user', READER);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body).toEqual({ total: '1.000000000' });
    expect(services.costs.summary).toHaveBeenCalledWith(
      API,
      range,
      expect.objectContaining({ key: '' }),
    );
  });

  it('pass the parsed group-by and limit on', async () => {
    const { services, app } = await setUp();
    services.costs.series.mockResolvedValue('{"points":[]}');
    services.costs.resources.mockResolvedValue({ items: [] });
    await request(app)
      .get('/v1/entities/component/default/api/series')
      .query({ ...range, groupBy: 'service' })
      .set('x-user', READER)
      .expect(200);
    expect(services.costs.series).toHaveBeenCalledWith(
      API,
      range,
      'service',
      expect.objectContaining({ key: '' }),
    );
    await request(app)
      .get('/v1/entities/component/default/api/resources')
      .query({ ...range, limit: '7' })
      .set('x-user', READER)
      .expect(200);
    expect(services.costs.resources).toHaveBeenCalledWith(
      API,
      range,
      7,
      new Set(),
    );
  });

  it('refuse callers without costscope.overview.read before reading', async () => {
    const { services, app } = await setUp();
    const res = await request(app).get('/v1/overview').set('x-user', BLIND);
    expect(res.status).toBe(403);
    expect(res.body.error.message).toBe(
      "You may not read Costscope's organisation overview (permission costscope.overview.read).",
    );
    expect(services.costs.overview).not.toHaveBeenCalled();
  });

  it('answer 404, audited, to callers who may not read the entity, before reading', async () => {
    const { services, app, events } = await setUp();
    const res = await request(app)
      .get('/v1/entities/component/default/api/summary')
      .query(range)
      .set('x-user', BLIND);
    expect(res.status).toBe(404);
    expect(res.body.error.name).toBe('NotFoundError');
    expect(res.body.error.message).toContain(API);
    expect(services.costs.summary).not.toHaveBeenCalled();
    expect(events).toEqual([
      { eventId: 'entity-access-refused', status: 'failed' },
    ]);
  });

  it('answer 400 for a bad range without asking the service', async () => {
    const { services, app } = await setUp();
    const res = await request(app)
      .get('/v1/entities/component/default/api/summary')
      .query({ from: '2026-02-30' })
      .set('x-user', READER);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe(
      "from '2026-02-30' is not a calendar date",
    );
    expect(services.costs.summary).not.toHaveBeenCalled();
  });
});

describe('budget routes', () => {
  const input = { amount: '100', currency: 'USD', period: 'monthly' };

  it('set a budget for a member of the owning group, audited', async () => {
    const { services, app, events } = await setUp();
    services.budgets.setBudget.mockResolvedValue(undefined);
    services.budgets.entityBudget.mockResolvedValue({
      status: null,
      canEdit: true,
    });
    const res = await request(app)
      .put('/v1/entities/component/default/api/budget')
      .set('x-user', MEMBER)
      .send(input);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: null, canEdit: true });
    expect(services.budgets.checkEditable).toHaveBeenCalledWith(apiEntity);
    expect(services.budgets.setBudget).toHaveBeenCalledWith(
      apiEntity,
      expect.objectContaining({
        amount: '100.000000000',
        currency: 'USD',
        period: 'monthly',
      }),
      expect.objectContaining({ by: MEMBER }),
    );
    expect(events).toEqual([{ eventId: 'budget-mutate', status: 'succeeded' }]);
  });

  it('refuse a reader without costscope.entity.budget.update with 403, audited as failed', async () => {
    const { services, app, events } = await setUp();
    const res = await request(app)
      .put('/v1/entities/component/default/api/budget')
      .set('x-user', READER)
      .send(input);
    expect(res.status).toBe(403);
    expect(res.body.error.message).toBe(
      'You may not do this to component:default/api (permission costscope.entity.budget.update).',
    );
    expect(services.budgets.checkEditable).not.toHaveBeenCalled();
    expect(services.budgets.setBudget).not.toHaveBeenCalled();
    expect(events).toEqual([
      { eventId: 'entity-access-refused', status: 'failed' },
      { eventId: 'budget-mutate', status: 'failed' },
    ]);
  });

  it('answer 404 to a caller who may not even read the entity, audited as failed', async () => {
    const { services, app, events } = await setUp();
    const res = await request(app)
      .put('/v1/entities/component/default/api/budget')
      .set('x-user', BLIND)
      .send(input);
    expect(res.status).toBe(404);
    expect(res.body.error.message).toContain(API);
    expect(services.budgets.setBudget).not.toHaveBeenCalled();
    expect(events).toEqual([
      { eventId: 'entity-access-refused', status: 'failed' },
      { eventId: 'budget-mutate', status: 'failed' },
    ]);
  });

  it("tell the budget service whether the policy lets the caller edit the entity's budget", async () => {
    const { services, app } = await setUp();
    services.budgets.entityBudget.mockResolvedValue({
      status: null,
      canEdit: false,
    });
    await request(app)
      .get('/v1/entities/component/default/api/budget')
      .set('x-user', READER)
      .expect(200);
    await request(app)
      .get('/v1/entities/component/default/api/budget')
      .set('x-user', MEMBER)
      .expect(200);
    expect(services.budgets.entityBudget.mock.calls).toEqual([
      [apiEntity, false],
      [apiEntity, true],
    ]);
  });

  it('answer 404 for a budget of an entity not in the catalog, 400 when writing one', async () => {
    const { app } = await setUp();
    await request(app)
      .get('/v1/entities/component/default/gone/budget')
      .set('x-user', READER)
      .expect(404);
    const res = await request(app)
      .delete('/v1/entities/component/default/gone/budget')
      .set('x-user', ADMIN);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe(
      'entity component:default/gone is not in the catalog',
    );
  });

  it('answer 404 when there was no budget to delete', async () => {
    const { services, app } = await setUp();
    services.budgets.deleteBudget.mockResolvedValue(false);
    const res = await request(app)
      .delete('/v1/entities/component/default/api/budget')
      .set('x-user', ADMIN);
    expect(res.status).toBe(404);
    expect(res.body.error.message).toBe(
      'component:default/api has no budget set in Costscope',
    );
  });

  it('filter alerts by a checked entity ref', async () => {
    const { services, app } = await setUp();
    services.budgets.listAlerts.mockResolvedValue([]);
    await request(app)
      .get('/v1/alerts')
      .query({ entityRef: 'component:default/api', limit: '5' })
      .set('x-user', READER)
      .expect(200, { items: [] });
    expect(services.budgets.listAlerts).toHaveBeenCalledWith({
      entityRef: API,
      limit: 5,
    });
    const bad = await request(app)
      .get('/v1/alerts')
      .query({ entityRef: 'component:default/a b' })
      .set('x-user', READER);
    expect(bad.status).toBe(400);
  });
});

describe('compliance routes', () => {
  it('answer 404 for an entity the allocation does not know', async () => {
    const { services, app } = await setUp();
    const res = await request(app)
      .get('/v1/entities/component/default/gone/compliance')
      .set('x-user', READER);
    expect(res.status).toBe(404);
    expect(services.compliance.entityCompliance).not.toHaveBeenCalled();
  });

  it('stream the chargeback CSV to admins only, audited', async () => {
    const { services, app, events } = await setUp();
    services.compliance.chargebackCsv.mockResolvedValue(
      Readable.from(['month,owner\n', '2026-03,team-a\n']),
    );
    const refused = await request(app)
      .get('/v1/chargeback.csv')
      .query(range)
      .set('x-user', READER);
    expect(refused.status).toBe(403);
    const res = await request(app)
      .get('/v1/chargeback.csv')
      .query({ ...range, by: 'costCenter' })
      .set('x-user', ADMIN);
    expect(res.status).toBe(200);
    expect(res.text).toBe('month,owner\n2026-03,team-a\n');
    expect(res.headers['content-disposition']).toBe(
      'attachment; filename="costscope-chargeback-2026-03-01-2026-03-31-costCenter.csv"',
    );
    expect(services.compliance.chargebackCsv).toHaveBeenCalledTimes(1);
    expect(events).toEqual([
      { eventId: 'chargeback-export', status: 'failed' },
      { eventId: 'chargeback-export', status: 'succeeded' },
    ]);
  });
});

describe('recommendation routes', () => {
  const recommendation = {
    id: 'idle-instance:i-api',
    entityRef: API,
    resourceId: 'i-api',
    state: 'open',
  };

  it('let owners change the state and refuse others', async () => {
    const { services, app } = await setUp();
    services.recommendations.get.mockResolvedValue(recommendation);
    services.recommendations.setState.mockResolvedValue({
      ...recommendation,
      state: 'dismissed',
    });
    const refused = await request(app)
      .put(`/v1/recommendations/${encodeURIComponent(recommendation.id)}/state`)
      .set('x-user', READER)
      .send({ state: 'dismissed', reason: 'Kept on purpose' });
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toBe(
      'You may not do this to component:default/api (permission costscope.entity.recommendation.update).',
    );
    const hidden = await request(app)
      .put(`/v1/recommendations/${encodeURIComponent(recommendation.id)}/state`)
      .set('x-user', BLIND)
      .send({ state: 'dismissed', reason: 'Kept on purpose' });
    expect(hidden.status).toBe(404);
    expect(hidden.body.error.message).toBe(
      `no recommendation '${recommendation.id}' in the last computation`,
    );
    expect(services.recommendations.setState).not.toHaveBeenCalled();
    const res = await request(app)
      .put(`/v1/recommendations/${encodeURIComponent(recommendation.id)}/state`)
      .set('x-user', MEMBER)
      .send({ state: 'dismissed', reason: 'Kept on purpose' });
    expect(res.status).toBe(200);
    expect(services.recommendations.setState).toHaveBeenCalledWith(
      recommendation.id,
      { state: 'dismissed', reason: 'Kept on purpose' },
      MEMBER,
      expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
    );
  });
});

describe('ingest routes', () => {
  it('run only configured sources, for admins', async () => {
    const { services, app } = await setUp();
    services.ingest.run.mockImplementation(async (sourceId: string) => ({
      id: 'r1',
      sourceId,
      status: 'succeeded',
      rowsRead: 3,
      rowsRejected: 0,
    }));
    await request(app)
      .post('/v1/ingest')
      .set('x-user', READER)
      .send({})
      .expect(403);
    const unknown = await request(app)
      .post('/v1/ingest')
      .set('x-user', ADMIN)
      .send({ sourceId: 'nope' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toBe(
      "unknown source 'nope'; configured sources: demo",
    );
    const res = await request(app)
      .post('/v1/ingest')
      .set('x-user', ADMIN)
      .send({});
    expect(res.status).toBe(200);
    expect(res.body.runs).toEqual([
      {
        id: 'r1',
        sourceId: 'demo',
        status: 'succeeded',
        rowsRead: 3,
        rowsRejected: 0,
      },
    ]);
    expect(services.ingest.run).toHaveBeenCalledTimes(1);
  });
});
