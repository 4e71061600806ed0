import { createHash } from 'node:crypto';
import { LoggerService } from '@backstage/backend-plugin-api';
import type { SnapshotEntity } from '../allocation/catalogSnapshot';
import { foldCase, normaliseText } from '../compliance/text';
import { newRunRecord, RunRecording } from '../ingest/runRecord';
import { KubernetesStore } from '../store/KubernetesStore';
import {
  AllocationRuleRow,
  ClusterNodeSelector,
  KeyToAllocate,
  KubernetesPartRow,
  KubernetesSplitHook,
} from '../store/types';
import { OpenCostClient, OpenCostDailyAllocation } from './OpenCostClient';
import {
  ClusterNodeMatch,
  KubernetesClusterConfig,
} from './readKubernetesConfig';
import {
  ClusterDayInput,
  PreparedClusterDay,
  prepareClusterDay,
  splitAmount,
} from './splitClusterCost';
import { billSplitParts } from './billSplitParts';
import { buildWorkloadRules, ruleForPart } from './workloadRules';

const DAY_MS = 86_400_000;
/** OpenCost keeps adding to a day for a while after it ends: re-read days this recent. */
const SETTLE_MS = 2 * DAY_MS;
/** Days per OpenCost request: a large cluster's answer for months would not fit in memory. */
const WINDOW_DAYS = 7;
/** After a failed read, scheduled checks wait this long before asking again (ingests do not). */
const RETRY_AFTER_FAILURE_MS = 15 * 60_000;

type StoredAllocation = ClusterDayInput['allocations'][number];

/** What reads a cluster's OpenCost; OpenCostClient, or a fake in tests. */
export interface OpenCostReader {
  dailyAllocations(query: {
    startDay: string;
    endDay: string;
  }): Promise<OpenCostDailyAllocation[]>;
}

export interface KubernetesSplitterOptions {
  clusters: KubernetesClusterConfig[];
  store: KubernetesStore;
  logger: LoggerService;
  /** Where reads of OpenCost are recorded, as runs of source `kubernetes:<cluster>`. */
  runs?: RunRecording;
  readerFor?: (cluster: KubernetesClusterConfig) => OpenCostReader;
  now?: () => Date;
}

/** How one cluster fared in an allocation. */
export interface ClusterSplitReport {
  cluster: string;
  /** Days whose node cost was split. */
  daysSplit: string[];
  /** Days with node cost but no OpenCost data: their node cost stayed where it was. */
  daysWithoutData: string[];
  /** Why reading OpenCost failed this time (the previous answers were used). */
  error?: string;
}

/** What an allocation needs from the splitter: the extra rules and the split of node facts. */
export interface PreparedSplit {
  rules: AllocationRuleRow[];
  problems: string[];
  /** Changes when OpenCost's stored answers or the cluster config change. */
  fingerprint: string;
  hook: KubernetesSplitHook;
  /** Read after the allocation is written: what the hook did. */
  report(): ClusterSplitReport[];
}

const dayText = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const dayStart = (day: string) => Date.parse(`${day}T00:00:00Z`);

/**
 * Splits the bill's cost of shared clusters' nodes over their workloads during an allocation:
 * reads OpenCost for the days the bill has and OpenCost has not answered yet, keeps the answers
 * (so a failed read keeps the previous split), and gives the allocation the rules and the
 * per-group split it writes in its transaction.
 */
export class KubernetesSplitter {
  private readonly now: () => Date;
  /** The last failed read per cluster: when, and why. */
  private readonly failures = new Map<string, { at: number; error: string }>();

  constructor(private readonly options: KubernetesSplitterOptions) {
    this.now = options.now ?? (() => new Date());
  }

  async prepare(input: {
    entities: Iterable<SnapshotEntity>;
    keys: KeyToAllocate[];
    firstRuleId: number;
    caseInsensitiveTagKeys: boolean;
    /** Re-read recent days too (after new facts), not only days never read. */
    refresh: boolean;
  }): Promise<PreparedSplit> {
    const { clusters, store } = this.options;
    // Per cluster its volumes' selector (first: a fact both match is a volume), then its nodes'.
    const selectorsOf = new Map<string, ClusterNodeSelector[]>();
    const billSplitMethods = new Map<string, string[]>();
    for (const cluster of clusters) {
      const own = [
        ...(cluster.volumes
          ? [
              {
                ...this.selector(
                  cluster.name,
                  cluster.volumes,
                  input.keys,
                  input.caseInsensitiveTagKeys,
                ),
                resource: 'volumes' as const,
              },
            ]
          : []),
        this.selector(
          cluster.name,
          cluster.nodes,
          input.keys,
          input.caseInsensitiveTagKeys,
        ),
      ];
      selectorsOf.set(cluster.name, own);
      // Each method with the units its details named, for "why is this cost yours".
      const methods = new Map<string, Set<string>>();
      for (const selector of own) {
        const split = await store.billSplitMethods(selector);
        selector.billSplit = split.length > 0;
        for (const { method, units } of split) {
          const seen = methods.get(method) ?? new Set<string>();
          for (const unit of units) seen.add(unit);
          methods.set(method, seen);
        }
      }
      billSplitMethods.set(
        cluster.name,
        [...methods.keys()].sort().map(method => {
          const units = [...methods.get(method)!].sort();
          return units.length > 0
            ? `${method}, by ${units.join(' and ')} usage`
            : method;
        }),
      );
    }
    const built = buildWorkloadRules(
      input.entities,
      clusters,
      input.firstRuleId,
      billSplitMethods,
    );
    const selectors: ClusterNodeSelector[] = [];
    const errors = new Map<string, string>();
    const fingerprint = createHash('sha1');
    for (const rules of built.clusters) {
      const cluster = clusters.find(c => c.name === rules.cluster)!;
      const own = selectorsOf.get(cluster.name)!;
      selectors.push(...own);
      const failure = this.failures.get(cluster.name);
      if (
        !input.refresh &&
        failure &&
        this.now().getTime() - failure.at < RETRY_AFTER_FAILURE_MS
      ) {
        // A catalog check every few minutes must not hammer an OpenCost that is down.
        errors.set(cluster.name, failure.error);
      } else {
        try {
          await this.read(cluster, own, input.refresh);
          this.failures.delete(cluster.name);
        } catch (error) {
          const message = (error as Error).message;
          errors.set(cluster.name, message);
          this.failures.set(cluster.name, {
            at: this.now().getTime(),
            error: message,
          });
          this.options.logger.warn(
            `Costscope Kubernetes split of cluster ${cluster.name}: ${message}; keeping the previous OpenCost data`,
          );
        }
      }
      // The answers themselves are read in the allocation's transaction, a day at a time.
      const fetched = [...(await store.fetchedAt(cluster.name))].sort();
      fingerprint.update(`${cluster.name}|${JSON.stringify(fetched)}\n`);
    }
    fingerprint.update(JSON.stringify(clusters));

    const reports = new Map<string, { split: Set<string>; none: Set<string> }>(
      built.clusters.map(c => [
        c.cluster,
        { split: new Set(), none: new Set() },
      ]),
    );
    let prepared:
      | {
          allocations: StoredAllocation[];
          cluster: string;
          resource: string;
          day: PreparedClusterDay;
          ruleIds: Array<number | null>;
        }
      | undefined;
    const hook: KubernetesSplitHook = {
      selectors,
      billSplit: (group, facts) =>
        billSplitParts(
          built.clusters.find(c => c.cluster === group.cluster)!,
          clusters.find(c => c.name === group.cluster)!.policy,
          facts,
        ),
      split: (group, stored) => {
        const rules = built.clusters.find(c => c.cluster === group.cluster)!;
        const cluster = clusters.find(c => c.name === group.cluster)!;
        const report = reports.get(group.cluster)!;
        const allocations = stored as StoredAllocation[] | undefined;
        if (!allocations || allocations.length === 0) {
          // No OpenCost data: the node cost stays with whom the bill's tags gave it.
          report.none.add(group.usageDate);
          return undefined;
        }
        // A day's groups (bill dimensions) share its recipients and their rules: once a day.
        if (
          prepared?.allocations !== allocations ||
          prepared.cluster !== group.cluster ||
          prepared.resource !== group.resource
        ) {
          const day = prepareClusterDay({
            cluster: group.cluster,
            day: group.usageDate,
            allocations,
            policy: cluster.policy,
            // A workload's share of the volumes is what its volumes weigh, not its compute.
            ...(group.resource === 'volumes'
              ? { resources: ['pv'] as const }
              : {}),
          });
          prepared = {
            allocations,
            cluster: group.cluster,
            resource: group.resource,
            day,
            ruleIds: day.recipients.map(r => ruleForPart(rules, r)),
          };
        }
        const { day, ruleIds } = prepared;
        const billed = splitAmount(day, group.billedNanos);
        const effective = splitAmount(day, group.effectiveNanos);
        const list = splitAmount(day, group.listNanos);
        report.split.add(group.usageDate);
        return day.recipients.map(
          (r, i): KubernetesPartRow => ({
            ruleId: ruleIds[i],
            kind: r.kind,
            ...(r.namespace !== undefined ? { namespace: r.namespace } : {}),
            workload: r.key,
            billedNanos: billed[i],
            effectiveNanos: effective[i],
            listNanos: list[i],
          }),
        );
      },
    };
    return {
      rules: built.rules,
      problems: built.problems,
      fingerprint: fingerprint.digest('hex'),
      hook,
      report: () =>
        clusters.map(cluster => {
          const report = reports.get(cluster.name);
          const error = errors.get(cluster.name);
          return {
            cluster: cluster.name,
            daysSplit: [...(report?.split ?? [])].sort(),
            daysWithoutData: [...(report?.none ?? [])].sort(),
            ...(error ? { error } : {}),
          };
        }),
    };
  }

  /** The allocation keys whose tags hold all of the match's tags, and its id prefixes. */
  private selector(
    cluster: string,
    match: ClusterNodeMatch,
    keys: KeyToAllocate[],
    caseInsensitiveTagKeys: boolean,
  ): ClusterNodeSelector {
    const norm = (key: string) =>
      caseInsensitiveTagKeys
        ? foldCase(normaliseText(key))
        : normaliseText(key);
    const wanted = match.tags.map(
      t => [norm(t.key), normaliseText(t.value)] as const,
    );
    const allocKeys =
      wanted.length === 0
        ? []
        : keys
            .filter(key => {
              const tags = new Map<string, string>();
              for (const [k, v] of Object.entries(
                JSON.parse(key.tags) as Record<string, unknown>,
              ))
                tags.set(norm(k), normaliseText(String(v)));
              return wanted.every(([k, v]) => tags.get(k) === v);
            })
            .map(key => key.allocKey);
    return {
      cluster,
      allocKeys,
      resourceIdPrefixes: match.resourceIdPrefixes,
    };
  }

  /**
   * Reads OpenCost for the bill's node days it has not answered (and, on refresh, the days it
   * answered while they were recent), in one window, and stores every day of it; a day OpenCost
   * has no data for is stored empty, so it is not asked again on every allocation.
   */
  private async read(
    cluster: KubernetesClusterConfig,
    selectors: ClusterNodeSelector[],
    refresh: boolean,
  ): Promise<void> {
    const { store } = this.options;
    // Without an OpenCost only the bill's own split applies; nothing to read.
    const opencost = cluster.opencost;
    if (!opencost) return;
    const now = this.now().getTime();
    const today = dayText(now);
    const stored = await store.fetchedAt(cluster.name);
    const days = new Set<string>();
    for (const selector of selectors)
      for (const day of await store.nodeDays(selector)) days.add(day);
    const wanted = [...days].sort().filter(day => {
      if (day >= today) return false; // OpenCost refuses windows that have not ended
      const fetchedAt = stored.get(day);
      if (fetchedAt === undefined) return true;
      return refresh && Date.parse(fetchedAt) < dayStart(day) + SETTLE_MS;
    });
    if (wanted.length === 0) return;

    const startDay = wanted[0];
    const endDay = dayText(dayStart(wanted[wanted.length - 1]) + DAY_MS);
    const run = newRunRecord(
      `kubernetes:${cluster.name}`,
      'kubernetes',
      'schedule',
      now,
    );
    await this.options.runs?.startRun(run);
    try {
      const reader =
        this.options.readerFor?.(cluster) ??
        new OpenCostClient({
          cluster: cluster.name,
          baseUrl: opencost.url,
          token: opencost.token,
        });
      const wantedDays = new Set(wanted);
      for (
        let from = dayStart(startDay);
        from < dayStart(endDay);
        from += WINDOW_DAYS * DAY_MS
      ) {
        const to = Math.min(from + WINDOW_DAYS * DAY_MS, dayStart(endDay));
        const byDay = new Map<string, OpenCostDailyAllocation[]>();
        for (let ms = from; ms < to; ms += DAY_MS) byDay.set(dayText(ms), []);
        if (![...byDay.keys()].some(day => wantedDays.has(day))) continue;
        const allocations = await reader.dailyAllocations({
          startDay: dayText(from),
          endDay: dayText(to),
        });
        run.apiCalls['opencost:/allocation/compute'] =
          (run.apiCalls['opencost:/allocation/compute'] ?? 0) + 1;
        run.rowsRead += allocations.length;
        for (const a of allocations) byDay.get(a.day)?.push(a);
        // Each window is kept as it comes: a later window's failure keeps the earlier ones.
        await store.writeDays(
          cluster.name,
          [...byDay].map(([day, list]) => ({ day, allocations: list })),
          new Date(now).toISOString(),
        );
        for (const [day, list] of byDay) {
          run.inputs.push(
            list.length > 0
              ? { name: day, status: 'read' }
              : {
                  name: day,
                  status: 'skipped',
                  reason:
                    'OpenCost has no allocations for this day: its node cost stays where the bill put it',
                },
          );
        }
      }
      run.filesRead = run.inputs.filter(i => i.status === 'read').length;
      run.filesSkipped = run.inputs.length - run.filesRead;
      run.status = 'succeeded';
    } catch (error) {
      run.status = 'failed';
      const message = (error as Error).message;
      run.error = message.includes(cluster.name)
        ? message
        : `OpenCost of cluster ${cluster.name}: ${message}`;
      throw new Error(run.error);
    } finally {
      const finished = this.now().getTime();
      run.finishedAt = new Date(finished).toISOString();
      run.durationMs = finished - now;
      await this.options.runs?.finishRun(run);
    }
  }
}
