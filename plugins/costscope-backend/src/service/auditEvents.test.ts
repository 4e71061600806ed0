import request from 'supertest';
import {
  as,
  MEMBER,
  OUTSIDER,
  recordingAuditor,
  startApiBackend,
  RECOMMENDATION_ID,
} from '../__testUtils__/apiBackend';
import { createTestDatabases } from '../__testUtils__/databases';

jest.setTimeout(60_000);

const budgetUrl = '/api/costscope/v1/entities/component/default/api/budget';

describe('audit events', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'sends budget changes, recommendation state changes and admin actions to the auditor with who and what, on %p',
    async id => {
      const auditor = recordingAuditor();
      const backend = await startApiBackend(await databases.init(id), {
        auditor: auditor.factory,
      });
      const { events } = auditor;
      // The set-up's ingest, by a service.
      expect(events.map(e => [e.eventId, e.status, e.actor])).toEqual([
        ['ingest-trigger', 'initiated', 'external:test-service'],
        ['ingest-trigger', 'succeeded', 'external:test-service'],
      ]);
      const server = backend.server;
      try {
        // Reads are not audited.
        events.length = 0;
        await request(server)
          .get('/api/costscope/v1/entities/component/default/api/summary')
          .set('Authorization', as(MEMBER));
        await request(server)
          .get('/api/costscope/v1/chargeback')
          .set('Authorization', as(OUTSIDER));
        expect(events).toEqual([]);

        const set = await request(server)
          .put(budgetUrl)
          .set('Authorization', as(MEMBER))
          .send({
            amount: '15',
            period: 'monthly',
            currency: 'USD',
            thresholds: [{ kind: 'actual', percent: 90 }],
          });
        expect(set.status).toBe(200);
        expect(events).toEqual([
          {
            eventId: 'budget-mutate',
            severityLevel: 'medium',
            status: 'initiated',
            actor: MEMBER,
            request: { method: 'PUT', url: budgetUrl },
            meta: { actionType: 'set', entityRef: 'component:default/api' },
          },
          {
            eventId: 'budget-mutate',
            severityLevel: 'medium',
            status: 'succeeded',
            actor: MEMBER,
            request: { method: 'PUT', url: budgetUrl },
            meta: {
              actionType: 'set',
              entityRef: 'component:default/api',
              budget: {
                amount: '15.000000000',
                currency: 'USD',
                period: 'monthly',
                thresholds: [{ kind: 'actual', percent: 90 }],
                recipients: [],
              },
            },
          },
        ]);

        // Refused attempts are audited as failed, with the reason; the refused entity
        // permission is its own event, with the permission and the entity.
        events.length = 0;
        const refused = await request(server)
          .delete(budgetUrl)
          .set('Authorization', as(OUTSIDER));
        expect(refused.status).toBe(403);
        const budgetRefusal =
          'You may not do this to component:default/api (permission costscope.entity.budget.update).';
        expect(events.map(e => [e.eventId, e.status, e.actor])).toEqual([
          ['budget-mutate', 'initiated', OUTSIDER],
          ['entity-access-refused', 'initiated', OUTSIDER],
          ['entity-access-refused', 'failed', OUTSIDER],
          ['budget-mutate', 'failed', OUTSIDER],
        ]);
        expect(events[2]).toEqual({
          eventId: 'entity-access-refused',
          severityLevel: 'medium',
          status: 'failed',
          actor: OUTSIDER,
          request: { method: 'DELETE', url: budgetUrl },
          meta: {
            permission: 'costscope.entity.budget.update',
            entityRef: 'component:default/api',
          },
          error: budgetRefusal,
        });
        expect(events[3]).toMatchObject({
          eventId: 'budget-mutate',
          status: 'failed',
          actor: OUTSIDER,
          meta: { actionType: 'delete', entityRef: 'component:default/api' },
          error: budgetRefusal,
        });

        events.length = 0;
        const deleted = await request(server)
          .delete(budgetUrl)
          .set('Authorization', as(MEMBER));
        expect(deleted.status).toBe(204);
        expect(events.map(e => [e.status, e.actor, e.meta])).toEqual([
          [
            'initiated',
            MEMBER,
            { actionType: 'delete', entityRef: 'component:default/api' },
          ],
          [
            'succeeded',
            MEMBER,
            { actionType: 'delete', entityRef: 'component:default/api' },
          ],
        ]);

        events.length = 0;
        const dismissed = await request(server)
          .put(`/api/costscope/v1/recommendations/${RECOMMENDATION_ID}/state`)
          .set('Authorization', as(MEMBER))
          .send({ state: 'dismissed', reason: 'kept for the audit' });
        expect(dismissed.status).toBe(200);
        expect(events.at(-1)).toMatchObject({
          eventId: 'recommendation-state-mutate',
          status: 'succeeded',
          actor: MEMBER,
          meta: {
            recommendationId: RECOMMENDATION_ID,
            entityRef: 'component:default/api',
            resourceId: 'i-api',
            state: 'dismissed',
            reason: 'kept for the audit',
          },
        });
        events.length = 0;
        const tipRefused = await request(server)
          .put(`/api/costscope/v1/recommendations/${RECOMMENDATION_ID}/state`)
          .set('Authorization', as(OUTSIDER))
          .send({ state: 'open' });
        expect(tipRefused.status).toBe(403);
        expect(events.map(e => [e.eventId, e.status, e.actor])).toEqual([
          ['recommendation-state-mutate', 'initiated', OUTSIDER],
          ['entity-access-refused', 'initiated', OUTSIDER],
          ['entity-access-refused', 'failed', OUTSIDER],
          ['recommendation-state-mutate', 'failed', OUTSIDER],
        ]);
        expect(events[2]).toMatchObject({
          meta: {
            permission: 'costscope.entity.recommendation.update',
            entityRef: 'component:default/api',
          },
        });
        expect(events.at(-1)).toMatchObject({
          eventId: 'recommendation-state-mutate',
          status: 'failed',
          actor: OUTSIDER,
          meta: { recommendationId: RECOMMENDATION_ID, state: 'open' },
        });

        events.length = 0;
        const csv = await request(server)
          .get('/api/costscope/v1/chargeback.csv')
          .query({ from: '2026-03-01', to: '2026-03-31', by: 'costCenter' })
          .set('Authorization', as(MEMBER));
        expect(csv.status).toBe(200);
        expect(events.map(e => [e.eventId, e.status, e.actor, e.meta])).toEqual(
          [
            [
              'chargeback-export',
              'initiated',
              MEMBER,
              {
                from: '2026-03-01',
                to: '2026-03-31',
                by: 'costCenter',
                costBasis: null,
              },
            ],
            [
              'chargeback-export',
              'succeeded',
              MEMBER,
              {
                from: '2026-03-01',
                to: '2026-03-31',
                by: 'costCenter',
                costBasis: null,
              },
            ],
          ],
        );
        events.length = 0;
        const csvRefused = await request(server)
          .get('/api/costscope/v1/chargeback.csv')
          .set('Authorization', as(OUTSIDER));
        expect(csvRefused.status).toBe(403);
        expect(csvRefused.body.error.message).toMatch(
          /Only Costscope admins may export the organisation-wide chargeback CSV/,
        );
        expect(events.at(-1)).toMatchObject({
          eventId: 'chargeback-export',
          status: 'failed',
          actor: OUTSIDER,
          meta: { from: null, to: null, by: null },
        });

        events.length = 0;
        const ingest = await request(server)
          .post('/api/costscope/v1/ingest')
          .set('Authorization', as(MEMBER))
          .send({ sourceId: 'files' });
        expect(ingest.status).toBe(200);
        expect(events.at(-1)).toEqual({
          eventId: 'ingest-trigger',
          severityLevel: 'medium',
          status: 'succeeded',
          actor: MEMBER,
          request: { method: 'POST', url: '/api/costscope/v1/ingest' },
          meta: {
            sourceId: 'files',
            runs: [
              {
                id: ingest.body.runs[0].id,
                sourceId: 'files',
                status: 'succeeded',
                rowsRead: 3,
                rowsRejected: 0,
              },
            ],
          },
        });
        events.length = 0;
        const ingestRefused = await request(server)
          .post('/api/costscope/v1/ingest')
          .set('Authorization', as(OUTSIDER))
          .send({});
        expect(ingestRefused.status).toBe(403);
        expect(events.map(e => [e.eventId, e.status, e.actor])).toEqual([
          ['ingest-trigger', 'initiated', OUTSIDER],
          ['ingest-trigger', 'failed', OUTSIDER],
        ]);
        // Unauthenticated calls stop at 401 before any route: nothing to audit.
        events.length = 0;
        const anonymous = await request(server)
          .post('/api/costscope/v1/ingest')
          .send({});
        expect(anonymous.status).toBe(401);
        expect(events).toEqual([]);
      } finally {
        await backend.stop();
      }
    },
  );
});
