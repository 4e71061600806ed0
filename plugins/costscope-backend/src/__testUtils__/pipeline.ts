import { Entity } from '@backstage/catalog-model';
import { mockServices } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { IngestRun } from '@costscope/backstage-plugin-common';
import { CostSource } from '@costscope/backstage-plugin-node';
import { wroteFacts } from '../pipeline/CostPipeline';
import { AllocationEngine } from '../allocation/AllocationEngine';
import { IngestEngine } from '../ingest/IngestEngine';
import { RunRecorder } from '../pipeline/RunRecorder';
import { AllocationStore } from '../store/AllocationStore';
import { CostQueries } from '../store/CostQueries';
import { FactStore } from '../store/FactStore';
import { applyMigrations } from '../store/migrations';
import { RunStore } from '../store/RunStore';
import type { KubernetesSplitter } from '../kubernetes/KubernetesSplitter';

/** The backend's engines and stores wired on a test database, without HTTP. */
export async function createPipeline(
  knex: Knex,
  entities: Entity[],
  options: {
    maxRejectedShare?: number;
    /** A splitter of shared clusters, built with the pipeline's run records and logger. */
    kubernetes?: (deps: {
      runs: RunRecorder;
      logger: ReturnType<typeof mockServices.logger.mock>;
    }) => KubernetesSplitter;
  } = {},
) {
  await applyMigrations(knex);
  const logger = mockServices.logger.mock();
  const catalog = { entities };
  const runs = new RunRecorder(new RunStore(knex));
  const allocation = new AllocationEngine({
    store: new AllocationStore(knex),
    logger,
    loadEntities: async () => catalog.entities,
    conventions: { componentTagKeys: ['service'], groupTagKeys: ['team'] },
    caseInsensitiveTagKeys: true,
    kubernetes: options.kubernetes?.({ runs, logger }),
  });
  const factStore = new FactStore(knex);
  const engine = new IngestEngine({
    store: factStore,
    runs,
    logger,
    maxRejectedShare: options.maxRejectedShare ?? 0.5,
  });
  /** Ingest as the pipeline runs it, up to allocation: a run that wrote facts is allocated. */
  const ingest = {
    async run(source: CostSource, trigger: IngestRun['trigger']) {
      const run = await engine.run(source, trigger);
      if (wroteFacts(run)) await allocation.run({ force: true });
      return run;
    },
  };
  return {
    catalog,
    allocation,
    ingest,
    factStore,
    runs,
    queries: new CostQueries(knex),
    logger,
  };
}
