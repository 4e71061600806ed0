import { LoggerService } from '@backstage/backend-plugin-api';
import {
  IngestRun,
  isMoneyText,
  moneyToNanos,
  nanosToMoney,
} from '@costscope/backstage-plugin-common';
import {
  CommitmentReport,
  CommitmentReportSource,
  ReportedCommitmentMonth,
} from '@costscope/backstage-plugin-node';
import { countApiCall, newRunRecord, RunRecording } from '../ingest/runRecord';
import { monthsOf } from '../lib/dates';
import { SerialQueue } from '../lib/SerialQueue';
import { CommitmentReportStore } from '../store/CommitmentReportStore';
import { CommitmentReportRow } from '../store/types';

/** Months a refresh reads, the current one included: Cost Explorer keeps 13. */
export const COMMITMENT_REPORT_MONTHS = 13;
const COMMITMENT_TYPES = ['SavingsPlans', 'Reservations'];
const CURRENCY = /^[A-Z]{3}$/;

export interface CommitmentReportEngineOptions {
  store: CommitmentReportStore;
  /** Where runs are recorded, beside the cost and inventory sources' runs. */
  runs: RunRecording;
  logger: LoggerService;
  now?: () => Date;
  queue?: SerialQueue;
}

/** The range a refresh on `today` reads: from the first of the month 12 months back to today. */
export function commitmentReportRange(today: Date): {
  from: string;
  to: string;
} {
  const from = new Date(
    Date.UTC(
      today.getUTCFullYear(),
      today.getUTCMonth() - (COMMITMENT_REPORT_MONTHS - 1),
      1,
    ),
  );
  return {
    from: from.toISOString().slice(0, 10),
    to: today.toISOString().slice(0, 10),
  };
}

/**
 * Reads commitment report sources and replaces each source's stored months of the range when
 * the read succeeds; a failed read is recorded as a run (kind `commitments`) and leaves the
 * earlier figures.
 */
export class CommitmentReportEngine {
  private readonly queue: SerialQueue;

  constructor(private readonly options: CommitmentReportEngineOptions) {
    this.queue = options.queue ?? new SerialQueue();
  }

  run(
    source: CommitmentReportSource,
    trigger: IngestRun['trigger'],
  ): Promise<IngestRun> {
    return this.queue.run(() => this.runNow(source, trigger));
  }

  private async runNow(
    source: CommitmentReportSource,
    trigger: IngestRun['trigger'],
  ): Promise<IngestRun> {
    const { store, runs, logger } = this.options;
    const started = Date.now();
    const run = newRunRecord(source.id, 'commitments', trigger, started);
    let apiCostNanos = 0n;
    await runs.startRun(run);
    try {
      const range = commitmentReportRange(this.options.now?.() ?? new Date());
      // The last day read is the day before `to`; the months are those it touches.
      const months = monthsOf(range.from, range.to).map(m => m.month);
      const reports = await source.read({
        logger,
        ...range,
        apiCall: (operation, costUsd) => {
          countApiCall(run, operation);
          if (costUsd !== undefined && isMoneyText(costUsd)) {
            apiCostNanos += moneyToNanos(costUsd);
          }
        },
      });
      const rows = toRows(source, reports, new Set(months));
      run.rowsRead = rows.length;
      await store.replace(source.id, months, rows, new Date(run.startedAt));
      run.factsWritten = rows.length;
      run.status = 'succeeded';
    } catch (error) {
      run.status = 'failed';
      run.error = (
        error instanceof Error ? error.message : String(error)
      ).slice(0, 4000);
      logger.error(
        `Costscope commitment report of '${source.id}' failed, earlier figures kept: ${run.error}`,
      );
    }
    run.apiCostUsd = nanosToMoney(apiCostNanos);
    run.finishedAt = new Date().toISOString();
    run.durationMs = Date.now() - started;
    await runs.finishRun(run);
    logger.info(
      `Costscope commitment report of '${source.id}' ${run.status}: ${run.factsWritten} months, ` +
        `${Object.values(run.apiCalls).reduce((a, b) => a + b, 0)} API calls, ${
          run.durationMs
        } ms`,
    );
    return run;
  }
}

/** The reports as rows, each checked: a bad figure fails the whole read. */
function toRows(
  source: CommitmentReportSource,
  reports: CommitmentReport[],
  months: Set<string>,
): CommitmentReportRow[] {
  const rows: CommitmentReportRow[] = [];
  const seen = new Set<string>();
  for (const report of reports) {
    if (!COMMITMENT_TYPES.includes(report.commitmentType)) {
      throw new Error(
        `source '${source.id}' reported commitment type '${report.commitmentType}'`,
      );
    }
    if (!CURRENCY.test(report.currency)) {
      throw new Error(
        `source '${source.id}' reported currency '${report.currency}'`,
      );
    }
    for (const month of report.months) {
      const key = `${report.commitmentType} ${month.month}`;
      if (!months.has(month.month)) {
        throw new Error(
          `source '${source.id}' reported ${key}, outside the months it was asked for`,
        );
      }
      if (seen.has(key)) {
        throw new Error(`source '${source.id}' reported ${key} twice`);
      }
      seen.add(key);
      const amount = (
        field: keyof Omit<ReportedCommitmentMonth, 'month'>,
      ): bigint | null => {
        const text = month[field];
        if (text === undefined) return null;
        if (!isMoneyText(text)) {
          throw new Error(
            `source '${source.id}' reported ${field} '${text}' for ${key}, not an amount`,
          );
        }
        return moneyToNanos(text);
      };
      rows.push({
        sourceId: source.id,
        provider: report.provider || source.provider,
        commitmentType: report.commitmentType,
        month: month.month,
        currency: report.currency,
        coveredNanos: amount('coveredCost') ?? 0n,
        eligibleNanos: amount('eligibleCost') ?? 0n,
        usedNanos: amount('usedCommitment'),
        purchasedNanos: amount('purchasedCommitment'),
        unusedNanos: amount('unusedCommitment'),
        netSavingsNanos: amount('netSavings'),
      });
    }
  }
  return rows;
}
