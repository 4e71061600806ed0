import fs from 'node:fs/promises';
import path from 'node:path';
import { mockCredentials } from '@backstage/backend-test-utils';
import request from 'supertest';
import { createTestDatabases } from '../__testUtils__/databases';
import { as, MEMBER, startApiBackend } from '../__testUtils__/apiBackend';
import { focusCsv } from '../__testUtils__/focus';

jest.setTimeout(60_000);

const SUMMARY =
  '/api/costscope/v1/entities/group/default/team-a/summary?from=2026-03-01&to=2026-03-31';
const SERIES =
  '/api/costscope/v1/entities/component/default/api/series?from=2026-03-01&to=2026-03-31';

describe('answers kept per rollup version', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'serves a repeated summary without reading the rollups, and never after the bill changed, on %p',
    async id => {
      const knex = await databases.init(id);
      const backend = await startApiBackend(knex);
      const rollupReads: string[] = [];
      knex.on('query', ({ sql }: { sql: string }) => {
        if (/from [`"]?costscope_rollup_daily/i.test(sql))
          rollupReads.push(sql);
      });
      try {
        const first = await request(backend.server)
          .get(SUMMARY)
          .set('Authorization', as(MEMBER));
        expect(first.status).toBe(200);
        expect(first.body.total).toBe('12.750000000');
        expect(rollupReads.length).toBeGreaterThan(0);

        rollupReads.length = 0;
        const again = await request(backend.server)
          .get(SUMMARY)
          .set('Authorization', as(MEMBER));
        expect(again.body).toEqual(first.body);
        expect(rollupReads).toEqual([]);

        // A new bill: the ingest re-allocates, which gives the rollups a new version.
        await fs.writeFile(
          path.join(backend.focusDir, 'focus.csv'),
          focusCsv([
            {
              day: '2026-03-01',
              cost: '20',
              tags: { service: 'api' },
              resource: 'i-api',
            },
          ]),
        );
        const ingest = await request(backend.server)
          .post('/api/costscope/v1/ingest')
          .set('Authorization', mockCredentials.service.header())
          .send({});
        expect(ingest.body.runs[0].status).toBe('succeeded');

        const after = await request(backend.server)
          .get(SUMMARY)
          .set('Authorization', as(MEMBER));
        expect(after.body.total).toBe('20.000000000');
        const series = await request(backend.server)
          .get(SERIES)
          .set('Authorization', as(MEMBER));
        expect(series.status).toBe(200);
        expect(JSON.stringify(series.body)).toContain('20.000000000');

        // Unknown entities are refused every time, never kept.
        for (let i = 0; i < 2; i++) {
          const unknown = await request(backend.server)
            .get(SUMMARY.replace('team-a', 'team-zz'))
            .set('Authorization', as(MEMBER));
          expect(unknown.status).toBe(404);
        }
      } finally {
        await backend.stop();
      }
    },
  );
});
