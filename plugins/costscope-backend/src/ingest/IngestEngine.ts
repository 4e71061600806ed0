import { LoggerService } from '@backstage/backend-plugin-api';
import {
  countApiCall,
  newRunRecord,
  recordInput,
  RunRecording,
} from './runRecord';
import { SerialQueue } from '../lib/SerialQueue';
import {
  IngestRejection,
  IngestRun,
  moneyToNanos,
  nanosToMoney,
} from '@costscope/backstage-plugin-common';
import { JsonObject } from '@backstage/types';
import {
  CostLine,
  CostSource,
  CostSourceReadContext,
} from '@costscope/backstage-plugin-node';
import { FactStore } from '../store/FactStore';
import { DailyAggregator } from './DailyAggregator';
import { rowCountOf, setRowCount } from './rowCount';
import { ExchangeRates } from '../currency/ExchangeRates';

/** Rejections kept in a run record; the count is always exact. */
const MAX_KEPT_REJECTIONS = 200;

export interface IngestEngineOptions {
  /** Where facts are written. */
  store: FactStore;
  /** Where runs are recorded, with their heartbeats. */
  runs: RunRecording;
  logger: LoggerService;
  /** A run whose rejected rows exceed this share of the rows read fails and writes nothing. */
  maxRejectedShare: number;
  /**
   * The rates a run converts lines in other currencies with, loaded at its start (a rates
   * file may have gained a month). Without it, facts keep the currency of their lines.
   */
  exchangeRates?: () => Promise<ExchangeRates>;
}

/**
 * Runs cost sources: streams their lines into daily facts and replaces each billing period
 * they cover in one transaction. Runs are serialised within this instance; across instances
 * the scheduler runs each scheduled task once at a time.
 */
export class IngestEngine {
  private readonly queue = new SerialQueue();

  constructor(private readonly options: IngestEngineOptions) {}

  run(source: CostSource, trigger: IngestRun['trigger']): Promise<IngestRun> {
    return this.queue.run(() => this.runNow(source, trigger));
  }

  private async runNow(
    source: CostSource,
    trigger: IngestRun['trigger'],
  ): Promise<IngestRun> {
    const { store, runs, logger, maxRejectedShare } = this.options;
    const started = Date.now();
    const run = newRunRecord(source.id, 'cost', trigger, started);
    await runs.startRun(run);

    const reject = (rejection: IngestRejection) => {
      const rows = rowCountOf(rejection);
      run.rowsRead += rows;
      run.rowsRejected += rows;
      if (run.rejections.length < MAX_KEPT_REJECTIONS) {
        run.rejections.push({
          file: storableText(rejection.file),
          line: rejection.line,
          reason: storableText(rejection.reason),
        });
      }
    };
    let apiCostNanos = 0n;
    let coverage: { from: string; to: string } | undefined;
    let newState: JsonObject | undefined;
    try {
      const context: CostSourceReadContext = {
        logger,
        reject,
        fileRead: (name, details) =>
          recordInput(run, {
            name: storableText(name),
            status: 'read',
            focusVersion: details?.focusVersion,
            bytesScanned: details?.bytesScanned,
          }),
        fileSkipped: (name, reason) =>
          recordInput(run, {
            name: storableText(name),
            status: 'skipped',
            reason: storableText(reason),
          }),
        apiCall: (operation, costUsd) => {
          countApiCall(run, operation);
          if (costUsd) {
            apiCostNanos += moneyToNanos(costUsd);
          }
        },
        replaceDays: range => {
          if (!(range.from < range.to)) {
            throw new Error(
              `Source '${source.id}' declared an empty day range ${range.from}..${range.to}`,
            );
          }
          coverage = range;
        },
        state: {
          get: () => store.readSourceState(source.id),
          set: value => {
            newState = value;
          },
        },
      };
      const rates = await this.options.exchangeRates?.();
      const aggregator = new DailyAggregator(rates);
      const take = (line: CostLine) => {
        // A line the rates cannot convert is rejected, named by its place in the read.
        const refusal =
          rates && line.currency !== rates.reportingCurrency
            ? rates.refusal(
                line.currency,
                line.billingPeriod.slice(0, 7),
                line.pricing?.currency,
              )
            : undefined;
        if (refusal) {
          reject(
            setRowCount(
              { file: source.id, line: run.rowsRead + 1, reason: refusal },
              rowCountOf(line),
            ),
          );
          return;
        }
        run.rowsRead += rowCountOf(line);
        if (
          coverage &&
          (line.chargeDate < coverage.from || line.chargeDate >= coverage.to)
        ) {
          throw new Error(
            `Source '${source.id}' yielded a line of ${line.chargeDate}, outside the days ` +
              `${coverage.from}..${coverage.to} it declared; previous data kept`,
          );
        }
        aggregator.add(line);
      };
      if (source.readBatches) {
        // A promise per batch rather than per line.
        for await (const lines of source.readBatches(context)) {
          for (const line of lines) take(line);
        }
      } else {
        for await (const line of source.read(context)) take(line);
      }
      if (
        run.rowsRead > 0 &&
        run.rowsRejected / run.rowsRead > maxRejectedShare
      ) {
        throw new Error(
          `${run.rowsRejected} of ${run.rowsRead} rows were rejected, more than the allowed ` +
            `share of ${maxRejectedShare}; previous data kept`,
        );
      }
      await store.addAllocationKeys(aggregator.allocationKeys());
      if (coverage) {
        const periods = aggregator.billingPeriods();
        const facts = (function* allFacts() {
          for (const period of periods) yield* aggregator.factsOf(period);
        })();
        run.factsWritten += await store.replaceDays(
          source.id,
          coverage,
          facts,
          newState,
        );
        run.billingPeriods.push(...periods);
        run.daysReplaced = coverage;
      } else {
        for (const period of aggregator.billingPeriods()) {
          run.factsWritten += await store.replaceBillingPeriod(
            source.id,
            period,
            aggregator.factsOf(period),
          );
          run.billingPeriods.push(period);
        }
        if (newState) await store.writeSourceState(source.id, newState);
      }
      run.status = 'succeeded';
    } catch (error) {
      run.status = 'failed';
      run.error = storableText(
        error instanceof Error ? error.message : String(error),
      );
      logger.error(
        `Costscope ingest of source '${source.id}' failed: ${run.error}`,
      );
    }
    run.apiCostUsd = nanosToMoney(apiCostNanos);
    run.finishedAt = new Date().toISOString();
    run.durationMs = Date.now() - started;
    await runs.finishRun(run);
    logger.info(
      `Costscope ingest of '${source.id}' ${run.status}: ${run.rowsRead} rows read, ` +
        `${run.rowsRejected} rejected, ${run.factsWritten} facts in ${run.billingPeriods.length} periods, ${run.durationMs} ms`,
    );
    return run;
  }
}

/** Rejection reasons and errors as stored: bounded, and without NUL (PostgreSQL refuses it). */
function storableText(text: string): string {
  const bounded = text.length > 500 ? `${text.slice(0, 500)}…` : text;
  return bounded.replaceAll('\u0000', '\uFFFD');
}
