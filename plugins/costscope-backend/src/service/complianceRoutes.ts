import express from 'express';
import Router from 'express-promise-router';
import { pipeline } from 'node:stream/promises';
import {
  AuditorService,
  BackstageCredentials,
  HttpAuthService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import { BasicPermission } from '@backstage/plugin-permission-common';
import {
  ChargebackOwnerBy,
  ChargebackReport,
  costReadPermission,
  costscopeAdminPermission,
  DateRange,
  nanosToMoney,
} from '@costscope/backstage-plugin-common';
import { SnapshotEntity } from '../allocation/catalogSnapshot';
import { chargebackLines, chargebackRules } from '../compliance/chargeback';
import { chargebackCsvLines } from '../compliance/chargebackCsv';
import { KnownEntity, LikelyOwnerOptions } from '../compliance/likelyOwner';
import {
  summariseEntityCompliance,
  summariseOrganisationCompliance,
} from '../compliance/summarise';
import { TagPolicy } from '../compliance/tagPolicy';
import { compareBigInt } from '../lib/decimal';
import { ComplianceQueries } from '../store/ComplianceQueries';
import { asError } from './audit';
import { Readable } from 'node:stream';
import {
  parseChargebackBy,
  parseEntityRefParams,
  parseRange,
} from './parseRequest';
import { AWS_ACCOUNT_IDS_ANNOTATION } from '@costscope/backstage-plugin-common';

/** Without a configured policy nothing is required, so every resource complies. */
const NO_POLICY: TagPolicy = {
  keyCaseInsensitive: true,
  valueCaseInsensitive: false,
  requiredTags: [],
};

/** Unallocated resources shown with a likely owner on the Costscope page. */
const TOP_UNALLOCATED = 20;

export interface ComplianceRoutesOptions {
  logger: LoggerService;
  /** Receives every chargeback CSV export (an admin action), refused ones too. */
  auditor: AuditorService;
  httpAuth: HttpAuthService;
  /** Throws NotAllowedError (with the message, when given) unless the permission is granted. */
  authorize: (
    credentials: BackstageCredentials,
    permission: BasicPermission,
    message?: string,
  ) => Promise<void>;
  queries: ComplianceQueries;
  /** Whether Costscope knows the entity (it is in the last allocation's catalog snapshot). */
  entityExists: (entityRef: string) => Promise<boolean>;
  /** The catalog entities allocation works with, for owners and cost centers. */
  loadEntities: () => Promise<SnapshotEntity[]>;
  policy?: TagPolicy;
  likelyOwnerOptions?: LikelyOwnerOptions;
  chargeback: {
    sharedCost: 'own-line' | 'proportional';
    sharedEntities: string[];
  };
  currency: () => Promise<string>;
}

function knownEntity(entity: SnapshotEntity): KnownEntity {
  const accounts = entity.annotations[AWS_ACCOUNT_IDS_ANNOTATION];
  return {
    ref: entity.ref,
    name: entity.name,
    kind: entity.kind,
    ownerRef: entity.ownerRef,
    accountIds: accounts
      ?.split(',')
      .map(id => id.trim())
      .filter(Boolean),
  };
}

/** Tag compliance per entity and organisation-wide, and the chargeback report. */
export function complianceRoutes(
  options: ComplianceRoutesOptions,
): express.Router {
  const { queries, httpAuth } = options;
  const policy = options.policy ?? NO_POLICY;
  const router = Router();

  const readRequest = async (req: express.Request) => {
    await options.authorize(
      await httpAuth.credentials(req),
      costReadPermission,
    );
    return parseRange(req.query);
  };

  const chargebackLinesOf = async (range: DateRange, by: ChargebackOwnerBy) =>
    chargebackLines(
      queries.chargebackFacts(range),
      chargebackRules({
        entities: await options.loadEntities(),
        by,
        ...options.chargeback,
      }),
    );

  router.get(
    '/v1/entities/:kind/:namespace/:name/compliance',
    async (req, res) => {
      const range = await readRequest(req);
      const entityRef = parseEntityRefParams(req.params);
      if (!(await options.entityExists(entityRef))) {
        throw new NotFoundError(
          `entity ${entityRef} is not known to Costscope (not in the catalog, or not yet allocated)`,
        );
      }
      res.json(
        summariseEntityCompliance({
          entityRef,
          ...range,
          currency: await options.currency(),
          policy,
          resources: await queries.entityResources(entityRef, range),
          maxNonCompliant: 200,
        }),
      );
    },
  );

  router.get('/v1/compliance', async (req, res) => {
    const range = await readRequest(req);
    const { resources, months, unallocated } =
      await queries.organisationResourcesByMonth(range);
    res.json(
      summariseOrganisationCompliance({
        ...range,
        currency: await options.currency(),
        policy,
        resources,
        months,
        accountNames: await queries.accountNames(),
        unallocated: {
          costNanos: await queries.unallocatedCost(range),
          top: unallocated
            .sort((a, b) => compareBigInt(b.costNanos, a.costNanos))
            .slice(0, TOP_UNALLOCATED),
        },
        entities: (await options.loadEntities()).map(knownEntity),
        likelyOwnerOptions: options.likelyOwnerOptions,
      }),
    );
  });

  router.get('/v1/chargeback', async (req, res) => {
    const range = await readRequest(req);
    const by = parseChargebackBy(req.query);
    const report: ChargebackReport = {
      ...range,
      by,
      currency: await options.currency(),
      total: nanosToMoney(await queries.billTotal(range)),
      sharedCost: options.chargeback.sharedCost,
      lines: [],
    };
    for await (const line of await chargebackLinesOf(range, by)) {
      report.lines.push({
        month: line.month,
        owner: line.owner,
        ...(line.ownerName ? { ownerName: line.ownerName } : {}),
        service: line.service,
        kind: line.kind,
        cost: nanosToMoney(line.costNanos),
      });
    }
    res.json(report);
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
      meta: { from: asked('from'), to: asked('to'), by: asked('by') },
    });
    let range: DateRange;
    let by: ChargebackOwnerBy;
    let csv: Readable;
    try {
      await options.authorize(
        await httpAuth.credentials(req),
        costscopeAdminPermission,
        `Only Costscope admins may export the organisation-wide chargeback CSV (permission ${costscopeAdminPermission.name}); the chargeback report itself is open to readers.`,
      );
      range = parseRange(req.query);
      by = parseChargebackBy(req.query);
      const [currency, billTotalNanos, lines] = await Promise.all([
        options.currency(),
        queries.billTotal(range),
        chargebackLinesOf(range, by),
      ]);
      csv = Readable.from(
        chargebackCsvLines(lines, { currency, billTotalNanos }),
      );
    } catch (error) {
      await event.fail({ error: asError(error) });
      throw error;
    }
    res.setHeader('content-type', 'text/csv; charset=utf-8');
    res.setHeader(
      'content-disposition',
      `attachment; filename="costscope-chargeback-${range.from}-${range.to}-${by}.csv"`,
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
