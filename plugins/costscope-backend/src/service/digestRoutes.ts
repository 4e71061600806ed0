import express from 'express';
import Router from 'express-promise-router';
import { AuditorService } from '@backstage/backend-plugin-api';
import { overviewReadPermission } from '@costscope/backstage-plugin-common';
import { authorizeEntityCostRead, CostscopeAccess } from './access';
import { parseDigestQuery } from './parseRequest';
import { DigestsService } from './services';

export interface DigestRoutesOptions {
  /** Receives refused entity permissions. */
  auditor: AuditorService;
  access: CostscopeAccess;
  digests: DigestsService;
  /** The clock that decides today (UTC); tests pin it. */
  now?: () => Date;
}

/** The digest a team (or any entity) gets for a week or a month. */
export function digestRoutes(options: DigestRoutesOptions): express.Router {
  const { access, auditor, digests } = options;
  const now = options.now ?? (() => new Date());
  const router = Router();

  router.get('/v1/entities/:kind/:namespace/:name/digest', async (req, res) => {
    const { entityRef, visibility } = await authorizeEntityCostRead(
      access,
      auditor,
      req,
    );
    const request = parseDigestQuery(req.query, now());
    // The organisation's figures only for those who may read the organisation's overview.
    const organisationFigures = await access.isAllowed(
      await access.credentials(req),
      overviewReadPermission,
    );
    res.json(
      await digests.digest(entityRef, request, visibility, organisationFigures),
    );
  });

  return router;
}
