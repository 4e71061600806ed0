import {
  LoggerService,
  SchedulerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { IngestRun } from '@costscope/backstage-plugin-common';
import {
  CommitmentReportSource,
  CostSource,
  InventorySource,
} from '@costscope/backstage-plugin-node';
import { AlertEvaluator } from '../alerts/AlertEvaluator';
import { AllocationEngine } from '../allocation/AllocationEngine';
import { SummaryKeeper } from '../allocation/SummaryKeeper';
import { CommitmentReportEngine } from '../commitments/CommitmentReportEngine';
import { IngestEngine } from '../ingest/IngestEngine';
import { InventoryEngine } from '../inventory/InventoryEngine';
import type { ReportKeeper } from '../compliance/ReportKeeper';
import { SerialQueue } from '../lib/SerialQueue';
import { DigestSender } from '../digests/DigestSender';
import { RecommendationService } from '../recommendations/RecommendationService';
import { IngestService } from '../service/services';
import { RunRecorder } from './RunRecorder';

/** Schedule of sources added by modules that bring no schedule of their own. */
export const MODULE_SOURCE_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { hours: 6 },
  timeout: { minutes: 30 },
  initialDelay: { seconds: 15 },
};

export interface CostPipelineOptions {
  logger: LoggerService;
  ingest: IngestEngine;
  inventory: InventoryEngine;
  allocation: AllocationEngine;
  alerts: Pick<AlertEvaluator, 'evaluate'>;
  recommendations: Pick<RecommendationService, 'refresh'>;
  /** Run records: heartbeats while a run lasts, abandoned runs closed. */
  runs: RunRecorder;
  /** How often the catalog is checked for changes that need a new allocation. */
  allocationSchedule: SchedulerServiceTaskScheduleDefinition;
  /** Reads providers' commitment reports; needed only to add such sources. */
  commitmentReports?: Pick<CommitmentReportEngine, 'run'>;
  /** Computes the summaries pages open on after each rebuild; none are kept without it. */
  summaries?: Pick<SummaryKeeper, 'refresh'>;
  /** Computes the organisation's reports after each rebuild and inventory snapshot. */
  reports?: Pick<ReportKeeper, 'refresh'>;
}

/** Schedule of commitment report sources that bring none: providers revise them daily. */
export const COMMITMENT_REPORT_SCHEDULE: SchedulerServiceTaskScheduleDefinition =
  {
    frequency: { hours: 24 },
    timeout: { minutes: 10 },
    initialDelay: { minutes: 2 },
  };

/** How often due digests are looked for: a digest goes out at most this long after its time. */
export const DIGEST_CHECK_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 15 },
  timeout: { minutes: 30 },
  initialDelay: { minutes: 1 },
};

/** Whether a cost run replaced facts, so that allocation and what follows it must run. */
export function wroteFacts(run: IngestRun): boolean {
  return run.billingPeriods.length > 0 || Boolean(run.daysReplaced);
}

/** Work beside the data flow that keeps its own schedule (unit metric loaders). */
export interface ScheduledPart {
  start(scheduler: SchedulerService): Promise<void>;
}

/** A source in the pipeline's table: how to run it and when. */
interface PipelineSource {
  schedule: SchedulerServiceTaskScheduleDefinition;
  run(trigger: IngestRun['trigger']): Promise<IngestRun>;
}

/**
 * Costscope's data flow, in order:
 *
 * 1. sources: cost sources (FOCUS files, modules) and inventory sources, each on its schedule
 *    or run now by an admin;
 * 2. ingest: a cost source's lines become daily facts, each period replaced in one
 *    transaction ({@link IngestEngine}); an inventory source replaces its snapshot;
 * 3. allocation: after new facts, or when the catalog changed, facts are mapped to entities
 *    and rolled up ({@link AllocationEngine});
 * 4. after allocation: budget alerts and anomalies, then recommendations, then the digests
 *    that are due (also looked for on their own schedule, as they fall due by the clock).
 *    New inventory refreshes recommendations only; a saved budget evaluates that budget's
 *    alerts.
 *
 * Runs of one kind (cost or inventory) are serialised in this instance, each with the steps
 * that follow it; across instances the scheduler runs each task once at a time.
 */
export class CostPipeline implements IngestService {
  private readonly sources = new Map<string, PipelineSource>();
  private readonly costRuns = new SerialQueue();
  private readonly inventoryRuns = new SerialQueue();
  private digests?: Pick<DigestSender, 'run'>;
  private digestRun?: Promise<void>;
  private readonly parts: ScheduledPart[] = [];

  constructor(private readonly options: CostPipelineOptions) {}

  addCostSource(
    source: CostSource,
    schedule: SchedulerServiceTaskScheduleDefinition = source.schedule ??
      MODULE_SOURCE_SCHEDULE,
  ): void {
    this.add(source.id, schedule, trigger =>
      this.costRuns.run(async () => {
        const run = await this.options.ingest.run(source, trigger);
        if (wroteFacts(run)) {
          await this.afterFactsChanged();
        }
        return run;
      }),
    );
  }

  addInventorySource(
    source: InventorySource,
    schedule: SchedulerServiceTaskScheduleDefinition = source.schedule ??
      MODULE_SOURCE_SCHEDULE,
  ): void {
    this.add(source.id, schedule, trigger =>
      this.inventoryRuns.run(async () => {
        const run = await this.options.inventory.run(source, trigger);
        if (run.status === 'succeeded') {
          await this.refreshRecommendations();
          // The snapshot dropped the kept compliance report: the page reads new tags.
          await this.keepReports();
        }
        return run;
      }),
    );
  }

  /**
   * A provider's commitment report: stored beside the facts, nothing downstream depends on it.
   * Its runs are recorded with the others and it can be run now like them.
   */
  addCommitmentReportSource(
    source: CommitmentReportSource,
    schedule: SchedulerServiceTaskScheduleDefinition = source.schedule ??
      COMMITMENT_REPORT_SCHEDULE,
  ): void {
    const engine = this.options.commitmentReports;
    if (!engine) {
      throw new Error(
        `Costscope cannot run commitment report source '${source.id}': no engine configured`,
      );
    }
    this.add(source.id, schedule, trigger => engine.run(source, trigger));
  }

  /** Sends scheduled digests after each allocation and on their own schedule. */
  addDigests(digests: Pick<DigestSender, 'run'>): void {
    this.digests = digests;
  }

  /** Adds work that runs on its own schedule beside the data flow, started with the rest. */
  addScheduledPart(part: ScheduledPart): void {
    this.parts.push(part);
  }

  /** Schedules every source and the allocation check; call once, after adding sources. */
  async start(scheduler: SchedulerService): Promise<void> {
    for (const [id, source] of this.sources) {
      await scheduler.scheduleTask({
        id: `costscope-ingest-${id}`,
        ...source.schedule,
        fn: async () => {
          await source.run('schedule');
        },
      });
    }
    await scheduler.scheduleTask({
      id: 'costscope-allocation',
      ...this.options.allocationSchedule,
      fn: () => this.afterCatalogCheck(),
    });
    if (this.digests) {
      await scheduler.scheduleTask({
        id: 'costscope-digests',
        ...DIGEST_CHECK_SCHEDULE,
        fn: () => this.sendDueDigests(),
      });
    }
    for (const part of this.parts) {
      await part.start(scheduler);
    }
  }

  sourceIds(): string[] {
    return [...this.sources.keys()];
  }

  /** Runs one source now (an admin's trigger), with the steps that follow it. */
  run(sourceId: string): Promise<IngestRun> {
    const source = this.sources.get(sourceId);
    if (!source) {
      throw new Error(`Costscope has no source '${sourceId}'`);
    }
    return source.run('manual');
  }

  listRuns(limit: number): Promise<IngestRun[]> {
    return this.options.runs.listRuns(limit);
  }

  /** What a saved budget triggers: its alerts now, not at the next ingest. */
  async afterBudgetSet(entityRef: string): Promise<void> {
    try {
      await this.options.alerts.evaluate({ entityRefs: [entityRef] });
    } catch (error) {
      this.options.logger.warn(
        `Costscope could not evaluate alerts of ${entityRef}: ${error}`,
      );
    }
  }

  private add(
    id: string,
    schedule: SchedulerServiceTaskScheduleDefinition,
    run: PipelineSource['run'],
  ) {
    if (this.sources.has(id)) {
      throw new Error(`Costscope source id '${id}' is used twice`);
    }
    this.sources.set(id, { schedule, run });
  }

  /** New facts: allocate them (a failure fails the run), then what follows allocation. */
  private async afterFactsChanged(): Promise<void> {
    await this.options.allocation.run({ force: true });
    await this.afterAllocation();
  }

  /** The scheduled check: allocate again only if the catalog or the facts changed. */
  private async afterCatalogCheck(): Promise<void> {
    const outcome = await this.options.allocation.run();
    if (outcome.recomputed) {
      await this.afterAllocation();
    } else {
      // A new day opens pages on a new range: its answers are kept once the day starts.
      await this.keepAnswers();
    }
  }

  /** Alerts and recommendations follow every allocation; their failures are only logged. */
  private async afterAllocation(): Promise<void> {
    await this.keepAnswers();
    try {
      const fired = await this.options.alerts.evaluate();
      if (fired.length) {
        this.options.logger.info(`Costscope fired ${fired.length} alert(s)`);
      }
    } catch (error) {
      this.options.logger.error(`Costscope alert evaluation failed: ${error}`);
    }
    await this.refreshRecommendations();
    // Not awaited: building every team's digest takes a minute or more, which the ingest run
    // (and an admin's POST /v1/ingest) should not wait for.
    void this.sendDueDigests();
  }

  /**
   * Digests whose time has come; each goes out once whatever calls this, and how often. A
   * call while a run is under way in this instance joins that run.
   */
  private sendDueDigests(): Promise<void> {
    const digests = this.digests;
    if (!digests) return Promise.resolve();
    this.digestRun ??= this.runDigests(digests).finally(() => {
      this.digestRun = undefined;
    });
    return this.digestRun;
  }

  private async runDigests(digests: Pick<DigestSender, 'run'>): Promise<void> {
    try {
      for (const outcome of await digests.run()) {
        if (outcome.sent > 0 || outcome.failed > 0) {
          this.options.logger.info(
            `Costscope sent ${outcome.sent} ${outcome.period}ly digest(s) for ${outcome.range.from}..${outcome.range.to}` +
              `${outcome.late ? ' (late)' : ''}, ${outcome.failed} failed`,
          );
        }
      }
    } catch (error) {
      this.options.logger.error(`Costscope could not send digests: ${error}`);
    }
  }

  /** What pages open on, computed once now rather than on each first visit. */
  private async keepAnswers(): Promise<void> {
    await this.keepSummaries();
    await this.keepReports();
  }

  private async keepSummaries(): Promise<void> {
    try {
      const kept = await this.options.summaries?.refresh();
      if (kept) {
        this.options.logger.info(
          `Costscope kept the ${kept.costBasis} summaries of ${kept.entities} entities for ${kept.range.from}..${kept.range.to} in ${kept.milliseconds} ms`,
        );
      }
    } catch (error) {
      this.options.logger.error(
        `Costscope could not keep the entities' summaries: ${error}`,
      );
    }
  }

  private async keepReports(): Promise<void> {
    try {
      for (const kept of (await this.options.reports?.refresh()) ?? []) {
        this.options.logger.info(
          `Costscope kept the organisation's ${kept.report} report (${kept.costBasis}, ${kept.range.from}..${kept.range.to}) in ${kept.milliseconds} ms`,
        );
      }
    } catch (error) {
      this.options.logger.error(
        `Costscope could not keep the organisation's reports: ${error}`,
      );
    }
  }

  private async refreshRecommendations(): Promise<void> {
    try {
      await this.options.recommendations.refresh();
    } catch (error) {
      this.options.logger.error(
        `Costscope could not compute recommendations: ${error}`,
      );
    }
  }
}
