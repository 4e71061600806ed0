import express from 'express';
import { AuditorService } from '@backstage/backend-plugin-api';
import { mockErrorHandler, mockServices } from '@backstage/backend-test-utils';
import { NotAllowedError } from '@backstage/errors';
import { BasicPermission } from '@backstage/plugin-permission-common';
import { entityCostReadPermission } from '@costscope/backstage-plugin-common';
import { SnapshotEntity } from '../allocation/catalogSnapshot';
import {
  Caller,
  CostscopeAccess,
  refusal,
  unknownEntityError,
} from '../service/access';
import { createRouter } from '../service/router';
import { CostscopeServices } from '../service/services';

/**
 * The router on mocked services, for route tests that need no database: the caller is
 * named by the `x-user` header, holds the permissions `grants` lists for it, and is in the
 * groups `groups` lists.
 */
export interface MockAccessOptions {
  /** Permission names granted per user ref; users not listed hold none. */
  grants: Record<string, string[]>;
  /** Group refs per user ref. */
  groups?: Record<string, string[]>;
  /** Entities the catalog has, by ref. */
  catalog?: SnapshotEntity[];
  /** Entity refs the last allocation knows. */
  known?: string[];
  /** Entity permissions per entity; default: as `grants` lists them, for every entity. */
  allowedOn?: (user: string, permission: string, entityRef: string) => boolean;
  /** Entities hidden from each user (lists and rollups); default none. */
  hidden?: Record<string, string[]>;
}

export function mockAccess(options: MockAccessOptions): CostscopeAccess {
  const allowed = (user: string, permission: BasicPermission) =>
    (options.grants[user] ?? []).includes(permission.name);
  const userOf = (credentials: unknown) =>
    (credentials as { principal: { userEntityRef: string } }).principal
      .userEntityRef;
  const access: CostscopeAccess = {
    async credentials(req) {
      return {
        $$type: '@backstage/BackstageCredentials',
        principal: {
          type: 'user',
          userEntityRef: String(req.headers['x-user'] ?? 'user:default/nobody'),
        },
      };
    },
    async isAllowedOn(credentials, permission, entityRef) {
      const user = userOf(credentials);
      return options.allowedOn
        ? options.allowedOn(user, permission.name, entityRef)
        : (options.grants[user] ?? []).includes(permission.name);
    },
    async isAllowed(credentials, permission) {
      return allowed(userOf(credentials), permission);
    },
    async authorize(credentials, permission, message) {
      if (!allowed(userOf(credentials), permission)) {
        throw new NotAllowedError(message ?? refusal(permission));
      }
    },
    async authorizeRequest(req, permission, message) {
      const credentials = await access.credentials(req);
      await access.authorize(credentials, permission, message);
      return credentials;
    },
    async caller(credentials): Promise<Caller> {
      const user = userOf(credentials);
      return {
        by: user,
        isAdmin: (options.grants[user] ?? []).includes('costscope.admin'),
        ownershipRefs: [user, ...(options.groups?.[user] ?? [])],
      };
    },
    async entityCostRead(credentials, entityRef) {
      return (await access.isAllowedOn(
        credentials,
        entityCostReadPermission,
        entityRef,
      ))
        ? access.visibilityBelow(credentials, entityRef)
        : undefined;
    },
    async visibilityBelow(credentials) {
      const hidden = new Set(options.hidden?.[userOf(credentials)] ?? []);
      return { key: [...hidden].join(','), hidden: async () => hidden };
    },
    async hiddenBelow(credentials) {
      return new Set(options.hidden?.[userOf(credentials)] ?? []);
    },
    async hiddenInOrganisation(credentials) {
      return new Set(options.hidden?.[userOf(credentials)] ?? []);
    },
    async visibilityInOrganisation(credentials) {
      const hidden = new Set(options.hidden?.[userOf(credentials)] ?? []);
      return { key: [...hidden].join(','), hidden: async () => hidden };
    },
    async catalogEntity(ref) {
      return options.catalog?.find(entity => entity.ref === ref);
    },
    async requireKnownEntity(ref) {
      if (!(options.known ?? []).includes(ref)) throw unknownEntityError(ref);
    },
  };
  return access;
}

/** Every service method a jest.fn that fails unless a test gives it an answer. */
export function mockCostscopeServices() {
  const unexpected = (name: string) =>
    jest.fn(async (..._args: any[]): Promise<any> => {
      throw new Error(`unexpected call of ${name}`);
    });
  return {
    costs: {
      currency: jest.fn(async () => 'USD'),
      summary: unexpected('costs.summary'),
      series: unexpected('costs.series'),
      resources: unexpected('costs.resources'),
      kubernetes: unexpected('costs.kubernetes'),
      overview: unexpected('costs.overview'),
      commitments: unexpected('costs.commitments'),
    },
    budgets: {
      entityBudget: unexpected('budgets.entityBudget'),
      checkEditable: jest.fn(async () => undefined),
      setBudget: unexpected('budgets.setBudget'),
      deleteBudget: unexpected('budgets.deleteBudget'),
      history: unexpected('budgets.history'),
      listBudgets: unexpected('budgets.listBudgets'),
      listAlerts: unexpected('budgets.listAlerts'),
    },
    compliance: {
      entityCompliance: unexpected('compliance.entityCompliance'),
      organisationCompliance: unexpected('compliance.organisationCompliance'),
      organisationComplianceJson: unexpected(
        'compliance.organisationComplianceJson',
      ),
      chargeback: unexpected('compliance.chargeback'),
      chargebackJson: unexpected('compliance.chargebackJson'),
      chargebackCsv: unexpected('compliance.chargebackCsv'),
    },
    recommendations: {
      listForEntity: unexpected('recommendations.listForEntity'),
      listForOrganisation: unexpected('recommendations.listForOrganisation'),
      get: unexpected('recommendations.get'),
      setState: unexpected('recommendations.setState'),
    },
    ingest: {
      sourceIds: jest.fn(() => ['demo']),
      run: unexpected('ingest.run'),
      listRuns: unexpected('ingest.listRuns'),
    },
    digests: {
      digest: unexpected('digests.digest'),
    },
    unitCost: {
      write: unexpected('unitCost.write'),
      entityUnitCost: unexpected('unitCost.entityUnitCost'),
    },
  } satisfies Record<keyof CostscopeServices, Record<string, jest.Mock>>;
}

/** An auditor that keeps each event's id and how it ended. */
export function listAuditor() {
  const events: Array<{ eventId: string; status: 'succeeded' | 'failed' }> = [];
  const auditor: AuditorService = {
    async createEvent({ eventId }) {
      return {
        async success() {
          events.push({ eventId, status: 'succeeded' });
        },
        async fail() {
          events.push({ eventId, status: 'failed' });
        },
      };
    },
  };
  return { auditor, events };
}

/** An Express app serving the router on the given services and access, with Backstage's error handler. */
export async function routerApp(
  services: ReturnType<typeof mockCostscopeServices>,
  access: CostscopeAccess,
) {
  const { auditor, events } = listAuditor();
  const app = express();
  app.use(
    await createRouter({
      logger: mockServices.logger.mock(),
      auditor,
      access,
      services: services as unknown as CostscopeServices,
    }),
  );
  app.use(mockErrorHandler());
  return { app, events };
}
