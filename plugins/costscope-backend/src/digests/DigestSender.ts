import { setTimeout } from 'node:timers/promises';
import { LoggerService } from '@backstage/backend-plugin-api';
import {
  CostDigest,
  DIGESTS_ANNOTATION,
  moneyToNanos,
} from '@costscope/backstage-plugin-common';
import { SnapshotEntity } from '../allocation/catalogSnapshot';
import { DigestKey, DigestStore } from '../store/DigestStore';
import { DigestBuilder, SharedDigestReads } from './DigestBuilder';
import { DigestDelivery } from './digestDeliveries';
import { DigestSchedule, DueDigest, dueDigests } from './digestPeriods';
import { DigestsConfig } from './readDigestsConfig';

/** A claim older than this, never marked sent, is taken over: its instance stopped mid-run. */
export const DIGEST_CLAIM_LEASE_MS = 15 * 60_000;
/** A digest sent this long after it was due says that it is late. */
export const DIGEST_LATE_AFTER_MS = 60 * 60_000;
/**
 * After each digest a run rests this many times as long as the digest took, so that it
 * leaves most of the backend's time to pages read meanwhile: digests are due once a week or
 * month, pages are read now. On the 10,000-component benchmark (155 groups, two cores, the
 * team page driven by 32 connections meanwhile) the team page's p95 during the run was 1.5
 * to 1.7 times its p95 alone without a rest, the run taking 28 s; with a rest of 0.75 times,
 * 1.10 and 1.18 times, the run taking 52 and 53 s; with 1 time, 1.17 and 1.18, 60 and 64 s.
 */
export const DIGEST_REST_RATIO = 0.75;

export interface DigestSenderOptions {
  config: Pick<DigestsConfig, 'schedules' | 'kinds' | 'missedPeriods'>;
  builder: Pick<DigestBuilder, 'build' | 'sharedReads'>;
  store: DigestStore;
  deliveries: DigestDelivery[];
  /** Entities of the configured kinds that the last allocation knows, with annotations. */
  listEntities: (kinds: string[]) => Promise<SnapshotEntity[]>;
  /** The last day with cost data: a period without any is not sent (yet). */
  lastCostDay: () => Promise<string | undefined>;
  logger: LoggerService;
  now?: () => Date;
  leaseMs?: number;
  /** How long to rest after a digest, relative to its time ({@link DIGEST_REST_RATIO}). */
  restRatio?: number;
  /** Waits this long; a test's own clock instead of real time. */
  sleep?: (ms: number) => Promise<void>;
}

/** What one run did, per schedule. */
export interface DigestRunOutcome {
  period: DueDigest['period'];
  range: DueDigest['range'];
  sent: number;
  /** Taken by another instance or an earlier run. */
  alreadyClaimed: number;
  failed: number;
  late: boolean;
  /** Why nothing was sent, when it was not. */
  skipped?: string;
}

function recipientsOf(entity: SnapshotEntity): string[] {
  if (entity.kind === 'group') return [entity.ref];
  return entity.ownerRef ? [entity.ownerRef] : [];
}

function optedOut(entity: SnapshotEntity): boolean {
  const value = entity.annotations[DIGESTS_ANNOTATION];
  return ['off', 'false', 'no'].includes(
    value?.trim().toLocaleLowerCase('en-US') ?? '',
  );
}

/**
 * Sends the digests that are due. Each run (on the scheduler, every few minutes) looks at
 * the latest due period of each schedule and sends every entity's digest that no run has
 * claimed: once per entity and period across instances and restarts. A backend that was
 * down when digests were due sends them at its next run, once each and oldest first, saying
 * that they are late: every period since the latest one a run claimed, at most
 * `missedPeriods` besides the latest.
 */
export class DigestSender {
  private readonly now: () => Date;

  constructor(private readonly options: DigestSenderOptions) {
    this.now = options.now ?? (() => new Date());
  }

  async run(): Promise<DigestRunOutcome[]> {
    const outcomes: DigestRunOutcome[] = [];
    const { config, store } = this.options;
    for (const schedule of config.schedules) {
      const due = dueDigests(schedule, this.now(), {
        after: await store.latestClaimedPeriod(schedule.period),
        missed: config.missedPeriods,
      });
      for (const period of due) {
        outcomes.push(await this.runPeriod(schedule, period));
      }
    }
    return outcomes;
  }

  private async runPeriod(
    schedule: DigestSchedule,
    due: DueDigest,
  ): Promise<DigestRunOutcome> {
    const { store, logger } = this.options;
    const now = this.now();
    const late = now.getTime() - due.dueAt.getTime() > DIGEST_LATE_AFTER_MS;
    const outcome: DigestRunOutcome = {
      period: due.period,
      range: due.range,
      sent: 0,
      alreadyClaimed: 0,
      failed: 0,
      late,
    };
    const lastDay = await this.options.lastCostDay();
    if (lastDay === undefined || lastDay < due.range.from) {
      outcome.skipped = `no cost data from ${due.range.from} yet`;
      return outcome;
    }
    const entities = (
      await this.options.listEntities(this.options.config.kinds)
    ).filter(entity => !optedOut(entity));
    let shared: SharedDigestReads | undefined;
    const restRatio = this.options.restRatio ?? DIGEST_REST_RATIO;
    const sleep = this.options.sleep ?? setTimeout;
    let rest = 0;
    for (const entity of entities) {
      if (rest > 0) await sleep(rest);
      rest = 0;
      const key: DigestKey = {
        entityRef: entity.ref,
        period: due.period,
        range: due.range,
      };
      const claimed = await store.claim(key, {
        dueAt: due.dueAt,
        late,
        now,
        leaseMs: this.options.leaseMs ?? DIGEST_CLAIM_LEASE_MS,
      });
      if (!claimed) {
        outcome.alreadyClaimed += 1;
        continue;
      }
      const started = performance.now();
      try {
        // The budget list and the organisation's chargeback once per run, not per team.
        shared ??= await this.options.builder.sharedReads(
          due.period,
          due.range,
        );
        const digest = await this.options.builder.build({
          entityRef: entity.ref,
          title: entity.title,
          period: due.period,
          range: due.range,
          today: now.toISOString().slice(0, 10),
          shared,
        });
        const deliveredTo = await this.deliver(digest, entity, {
          dueAt: due.dueAt,
          late,
          timeZone: schedule.timeZone,
        });
        await store.markSent(key, {
          at: this.now(),
          deliveredTo,
          totalNanos: moneyToNanos(digest.total),
          currency: digest.currency,
        });
        outcome.sent += 1;
        rest = (performance.now() - started) * restRatio;
      } catch (error) {
        // Left claimed and unsent: a run after the lease tries again.
        outcome.failed += 1;
        logger.error(
          `Costscope could not send the ${due.period}ly digest of ${entity.ref}: ${error}`,
        );
      }
    }
    return outcome;
  }

  private async deliver(
    digest: CostDigest,
    entity: SnapshotEntity,
    context: { dueAt: Date; late: boolean; timeZone: string },
  ): Promise<string[]> {
    const deliveredTo: string[] = [];
    for (const delivery of this.options.deliveries) {
      try {
        await delivery.deliver(digest, recipientsOf(entity), context);
        deliveredTo.push(delivery.name);
      } catch (error) {
        this.options.logger.warn(
          `Costscope could not deliver the digest of ${entity.ref} through ${delivery.name}: ${error}`,
        );
      }
    }
    return deliveredTo;
  }
}
