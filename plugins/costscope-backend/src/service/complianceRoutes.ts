import express from 'express';
import Router from 'express-promise-router';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { AuditorService, LoggerService } from '@backstage/backend-plugin-api';
import {
  chargebackReadPermission,
  ChargebackOwnerBy,
  complianceReadPermission,
  costscopeAdminPermission,
  CostQuery,
} from '@costscope/backstage-plugin-common';
import { authorizeEntityCostRead, CostscopeAccess } from './access';
import { asError } from './audit';
import { parseChargebackBy, parseCostQuery } from './parseRequest';
import { ComplianceService } from './services';
import { sendJsonAnswer } from './sendJsonAnswer';

export interface ComplianceRoutesOptions {
  logger: LoggerService;
  /** Receives every chargeback CSV export (an admin action), refused ones too, and refused entity permissions. */
  auditor: AuditorService;
  access: CostscopeAccess;
  compliance: ComplianceService;
}

/** Tag compliance per entity and organisation-wide, and the chargeback report. */
export function complianceRoutes(
  options: ComplianceRoutesOptions,
): express.Router {
  const { access, compliance } = options;
  const router = Router();

  router.get(
    '/v1/entities/:kind/:namespace/:name/compliance',
    async (req, res) => {
      const { entityRef, visibility } = await authorizeEntityCostRead(
        access,
        options.auditor,
        req,
      );
      const query = parseCostQuery(req.query);
      await access.requireKnownEntity(entityRef);
      const hidden = await visibility.hidden();
      res.json(await compliance.entityCompliance(entityRef, query, hidden));
    },
  );

  router.get('/v1/compliance', async (req, res) => {
    const credentials = await access.authorizeRequest(
      req,
      complianceReadPermission,
    );
    const query = parseCostQuery(req.query);
    const visibility = await access.visibilityInOrganisation(credentials);
    sendJsonAnswer(
      req,
      res,
      await compliance.organisationComplianceJson(query, visibility),
    );
  });

  router.get('/v1/chargeback', async (req, res) => {
    const credentials = await access.authorizeRequest(
      req,
      chargebackReadPermission,
    );
    const query = parseCostQuery(req.query);
    const by = parseChargebackBy(req.query);
    const visibility = await access.visibilityInOrganisation(credentials);
    sendJsonAnswer(
      req,
      res,
      await compliance.chargebackJson(query, by, visibility),
    );
  });

  // The organisation-wide export is an admin action (GET /v1/chargeback serves the same
  // report as JSON to readers); every attempt is audited.
  router.get('/v1/chargeback.csv', async (req, res) => {
    const asked = (name: string) =>
      typeof req.query[name] === 'string'
        ? (req.query[name] as string).slice(0, 40)
        : null;
    const event = await options.auditor.createEvent({
      eventId: 'chargeback-export',
      severityLevel: 'medium',
      request: req,
      meta: {
        from: asked('from'),
        to: asked('to'),
        by: asked('by'),
        costBasis: asked('costBasis'),
      },
    });
    let range: CostQuery;
    let by: ChargebackOwnerBy;
    let csv: Readable;
    try {
      const credentials = await access.authorizeRequest(
        req,
        costscopeAdminPermission,
        `Only Costscope admins may export the organisation-wide chargeback CSV (permission ${costscopeAdminPermission.name}); the chargeback report itself is open to readers of the chargeback.`,
      );
      range = parseCostQuery(req.query);
      by = parseChargebackBy(req.query);
      csv = await compliance.chargebackCsv(
        range,
        by,
        await access.hiddenInOrganisation(credentials),
      );
    } catch (error) {
      await event.fail({ error: asError(error) });
      throw error;
    }
    res.setHeader('content-type', 'text/csv; charset=utf-8');
    res.setHeader(
      'content-disposition',
      `attachment; filename="costscope-chargeback-${range.from}-${
        range.to
      }-${by}${range.costBasis ? `-${range.costBasis}` : ''}.csv"`,
    );
    // Streamed: one month's lines at a time; a total that misses the bill aborts the download.
    const failure = await pipeline(csv, res).then(
      () => undefined,
      (error: unknown) => asError(error),
    );
    if (failure) {
      options.logger.error(`Costscope chargeback CSV failed: ${failure}`);
      res.destroy(failure);
      await event.fail({ error: failure, meta: { ...range, by } });
    } else {
      await event.success({ meta: { ...range, by } });
    }
  });

  return router;
}
