import { Entity } from '@backstage/catalog-model';
import { Knex } from 'knex';
import { toSnapshot } from '../allocation/catalogSnapshot';
import { likelyOwnerOptionsFor } from '../compliance/likelyOwner';
import { CostscopeSettings } from '../readCostscopeSettings';
import { ComplianceQueries } from '../store/ComplianceQueries';
import { KeptReportStore } from '../store/KeptReportStore';
import { DefaultComplianceService } from './DefaultComplianceService';

/**
 * The compliance service as the settings configure it. The API bench keeps its reports with
 * one made here too: a kept report is served only under the configuration it was made with.
 */
export function createComplianceService(options: {
  settings: CostscopeSettings;
  knex: Knex;
  /** The catalog's allocatable entities now. */
  loadEntities: () => Promise<Entity[]>;
  currency: () => Promise<string>;
  keptReports?: KeptReportStore;
}): DefaultComplianceService {
  const { settings, knex, loadEntities } = options;
  return new DefaultComplianceService({
    queries: new ComplianceQueries(knex),
    policy: settings.tagPolicy,
    chargeback: settings.chargeback,
    loadEntities: async () => (await loadEntities()).map(toSnapshot),
    likelyOwnerOptions: likelyOwnerOptionsFor(
      settings.config.allocation.conventions,
    ),
    currency: options.currency,
    costBasis: settings.config.costBasis,
    ...(options.keptReports ? { keptReports: options.keptReports } : {}),
  });
}
