import express from 'express';
import Router from 'express-promise-router';
import { AuditorService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  costscopeAdminPermission,
  IngestRun,
  ingestRunsReadPermission,
} from '@costscope/backstage-plugin-common';
import { CostscopeAccess } from './access';
import { audited } from './audit';
import { parseIngestBody, parseLimit } from './parseRequest';
import { IngestService } from './services';

export interface IngestRoutesOptions {
  /** Receives every manual ingest (an admin action), refused ones too. */
  auditor: AuditorService;
  access: CostscopeAccess;
  ingest: IngestService;
}

/** The record of ingest runs, and running sources now. */
export function ingestRoutes(options: IngestRoutesOptions): express.Router {
  const { access, ingest } = options;
  const router = Router();

  router.get('/v1/ingest-runs', async (req, res) => {
    await access.authorizeRequest(req, ingestRunsReadPermission);
    const limit = parseLimit(req.query.limit, 50, 500);
    res.json({ items: await ingest.listRuns(limit) });
  });

  router.post('/v1/ingest', async (req, res) => {
    const requested =
      typeof req.body?.sourceId === 'string'
        ? req.body.sourceId.slice(0, 200)
        : null;
    const runs = await audited(
      options.auditor,
      {
        eventId: 'ingest-trigger',
        request: req,
        meta: { sourceId: requested },
      },
      async () => {
        await access.authorizeRequest(req, costscopeAdminPermission);
        const { sourceId } = parseIngestBody(req.body);
        const sourceIds = ingest.sourceIds();
        if (sourceId !== undefined && !sourceIds.includes(sourceId)) {
          throw new InputError(
            `unknown source '${sourceId}'; configured sources: ${
              sourceIds.join(', ') || 'none'
            }`,
          );
        }
        const done: IngestRun[] = [];
        for (const id of sourceId ? [sourceId] : sourceIds) {
          done.push(await ingest.run(id));
        }
        return done;
      },
      done => ({
        runs: done.map(run => ({
          id: run.id,
          sourceId: run.sourceId,
          status: run.status,
          rowsRead: run.rowsRead,
          rowsRejected: run.rowsRejected,
        })),
      }),
    );
    res.json({ runs });
  });

  return router;
}
