import { createHash } from 'node:crypto';
import { LoggerService } from '@backstage/backend-plugin-api';
import { SerialQueue } from '../lib/SerialQueue';
import { Entity } from '@backstage/catalog-model';
import { AllocationStore, RollupRebuild } from '../store/AllocationStore';
import { ALLOCATION_FINGERPRINT_KEY } from '../store/EntitySnapshotStore';
import { allocateKeys } from './allocate';
import {
  ALLOCATABLE_KINDS,
  computeAncestors,
  SnapshotEntity,
  toSnapshot,
} from './catalogSnapshot';
import { AllocationRule, buildRules, ConventionOptions } from './rules';
import { assignRuleIds } from './ruleIds';
import type {
  ClusterSplitReport,
  KubernetesSplitter,
} from '../kubernetes/KubernetesSplitter';

export interface AllocationEngineOptions {
  store: AllocationStore;
  logger: LoggerService;
  /** Reads the catalog entities of ALLOCATABLE_KINDS. */
  loadEntities: () => Promise<Entity[]>;
  conventions: ConventionOptions;
  caseInsensitiveTagKeys: boolean;
  /** Splits shared clusters' node cost over their workloads, when clusters are configured. */
  kubernetes?: KubernetesSplitter;
}

export interface AllocationOutcome {
  /** False when neither the catalog nor the facts changed since the last allocation. */
  recomputed: boolean;
  entities: number;
  rules: number;
  keys: number;
  unallocatedKeys: number;
  /** Broken annotations, one message each. */
  problems: string[];
  /** Per configured cluster: the days split, the days without OpenCost data, a read error. */
  kubernetes?: ClusterSplitReport[];
  /**
   * When recomputed: whether every rollup was rebuilt, or only those of the days whose facts
   * changed (the same catalog, conventions and keys), or only those of the rules a catalog
   * change moved; never partial with a cluster split.
   */
  rollups?: RollupRebuild;
}

/** What the log says of a rebuild. */
function describeRebuild(rollups: RollupRebuild): string {
  if (rollups.rebuilt === 'days') {
    return `rollups rebuilt for ${rollups.days.first}..${rollups.days.last}`;
  }
  if (rollups.rebuilt === 'rules') {
    return `rollups of ${rollups.rules} rule(s) rebuilt`;
  }
  return 'all rollups rebuilt';
}

/**
 * Maps cost facts to catalog entities with the current catalog and stores the result with
 * its rollups. Runs after each ingest and when the catalog changes.
 */
export class AllocationEngine {
  private readonly queue = new SerialQueue();
  private lastProblems = '';
  /** The rules of the latest run, for resources that have no billing lines yet. */
  private lastRules: AllocationRule[] = [];

  constructor(private readonly options: AllocationEngineOptions) {}

  /** Recomputes when the catalog or the facts changed, or always with `force`. */
  run(options: { force?: boolean } = {}): Promise<AllocationOutcome> {
    return this.queue.run(() => this.runNow(options.force ?? false));
  }

  private async runNow(force: boolean): Promise<AllocationOutcome> {
    const { store, logger, conventions, caseInsensitiveTagKeys } = this.options;
    const entities = new Map<string, SnapshotEntity>();
    for (const entity of await this.options.loadEntities()) {
      if (!ALLOCATABLE_KINDS.includes(entity.kind)) continue;
      const snapshot = toSnapshot(entity);
      entities.set(snapshot.ref, snapshot);
    }
    const keys = await store.listKeys();
    const built = buildRules(entities.values(), conventions);
    const problems = built.problems;
    // Each rule keeps the id it had: a catalog change then renumbers no other rule.
    const { rules, firstFreeId } = assignRuleIds(
      built.rules,
      await store.listRules(),
    );
    this.lastRules = rules;
    // Read OpenCost before the fingerprint: new answers from it must re-allocate.
    const kubernetes = await this.options.kubernetes?.prepare({
      entities: entities.values(),
      keys,
      firstRuleId: firstFreeId,
      caseInsensitiveTagKeys,
      refresh: force,
    });
    if (kubernetes) problems.push(...kubernetes.problems);
    const sortedEntities = [...entities.values()].sort((a, b) =>
      a.ref.localeCompare(b.ref),
    );
    const fingerprint = createHash('sha1')
      .update(
        JSON.stringify({
          sortedEntities,
          conventions,
          caseInsensitiveTagKeys,
          keys: keys.length,
          kubernetes: kubernetes?.fingerprint,
        }),
      )
      .digest('hex');

    if (problems.join('\n') !== this.lastProblems) {
      this.lastProblems = problems.join('\n');
      for (const problem of problems)
        logger.warn(`Costscope allocation: ${problem}`);
    }
    const outcome = {
      entities: entities.size,
      rules: rules.length,
      keys: keys.length,
      problems,
    };
    if (
      !force &&
      (await store.getState(ALLOCATION_FINGERPRINT_KEY)) === fingerprint
    ) {
      return { ...outcome, recomputed: false, unallocatedKeys: -1 };
    }

    const allocations = allocateKeys(keys, rules, { caseInsensitiveTagKeys });
    const rollups = await store.writeAllocation(
      {
        entities: sortedEntities,
        ancestors: computeAncestors(entities),
        rules: [...rules, ...(kubernetes?.rules ?? [])],
        keys: allocations,
        kubernetes: kubernetes?.hook,
      },
      fingerprint,
      // The store rebuilds only what changed when it can tell exactly what that is.
      { incremental: true },
    );
    const clusterReports = kubernetes?.report();
    for (const report of clusterReports ?? []) {
      if (report.daysWithoutData.length > 0) {
        logger.info(
          `Costscope Kubernetes split of cluster ${
            report.cluster
          }: no OpenCost data on ${
            report.daysWithoutData.length
          } day(s) with node cost (${report.daysWithoutData[0]} to ${
            report.daysWithoutData[report.daysWithoutData.length - 1]
          }); their node cost stays where the bill put it`,
        );
      }
    }
    const unallocatedKeys = [...allocations.values()].filter(
      a => a.ruleId === null,
    ).length;
    const rebuilt = describeRebuild(rollups);
    logger.info(
      `Costscope allocation: ${entities.size} entities, ${rules.length} rules, ` +
        `${keys.length} tag sets of which ${unallocatedKeys} unallocated; ${rebuilt}`,
    );
    return {
      ...outcome,
      recomputed: true,
      unallocatedKeys,
      rollups,
      ...(clusterReports ? { kubernetes: clusterReports } : {}),
    };
  }

  /**
   * The entity the latest rules give a resource with these tags in this account: how a
   * resource that has no billing lines yet (a new volume) is attributed, by the same rules
   * as costs. Undefined before the first run or when no rule matches.
   */
  entityForTags(
    accountId: string,
    tags: Record<string, string>,
  ): string | undefined {
    const key = {
      allocKey: 'resource',
      subAccountId: accountId,
      tags: JSON.stringify(tags),
    };
    const { ruleId } = allocateKeys([key], this.lastRules, {
      caseInsensitiveTagKeys: this.options.caseInsensitiveTagKeys,
    }).get('resource')!;
    return this.lastRules.find(rule => rule.id === ruleId)?.entityRef;
  }
}
