import { CostBasis, DateRange } from '@costscope/backstage-plugin-common';
import { defaultRange } from '../lib/dates';
import { GzippedJson } from '../lib/gzippedJson';
import type { DefaultComplianceService } from '../service/DefaultComplianceService';
import {
  DataVersions,
  KEPT_REPORTS,
  KeptReportKey,
  KeptReportName,
  KeptReportStore,
} from '../store/KeptReportStore';

export interface ReportKeeperOptions {
  store: KeptReportStore;
  compliance: Pick<
    DefaultComplianceService,
    'organisationCompliance' | 'chargeback' | 'inputsKey'
  >;
  /** The basis the Costscope page opens on (`costscope.costBasis`). */
  costBasis: CostBasis;
  now?: () => Date;
}

/** What one refresh kept of a report, and how long it took. */
export interface KeptReportOutcome {
  report: KeptReportName;
  range: DateRange;
  costBasis: CostBasis;
  /** Characters of JSON kept. */
  characters: number;
  /** Bytes stored, gzipped. */
  bytes: number;
  milliseconds: number;
}

/**
 * Computes the organisation's reports (tag compliance, the chargeback by team) for the range
 * and basis the Costscope page opens on, after each rebuild, inventory snapshot and new day,
 * so that the page's first visit reads one row ({@link KeptReportStore}) instead of every
 * fact of the range: at 10,000 components the live reads take seconds. The reports are made
 * by the same service the route calls: a kept report is the live report.
 */
export class ReportKeeper {
  private running: Promise<KeptReportOutcome[]> | undefined;

  constructor(private readonly options: ReportKeeperOptions) {}

  /**
   * Keeps every report that is not already kept for today's range from the current data;
   * answers those it kept. Calls while one runs join it.
   */
  refresh(): Promise<KeptReportOutcome[]> {
    this.running ??= this.refreshOnce().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async refreshOnce(): Promise<KeptReportOutcome[]> {
    const { store, costBasis, compliance } = this.options;
    const versions = await store.versions();
    if (!versions.rollup) return []; // nothing allocated yet
    const range = defaultRange(this.options.now?.() ?? new Date());
    const outcomes: KeptReportOutcome[] = [];
    for (const report of Object.keys(KEPT_REPORTS) as KeptReportName[]) {
      const key = {
        report,
        range,
        costBasis,
        inputsKey: compliance.inputsKey,
      };
      if (await this.isKept(key, versions)) continue;
      const started = Date.now();
      const text = JSON.stringify(await this.compute(report, key));
      const body = await GzippedJson.of(text);
      if (await store.replace(key, versions, body)) {
        outcomes.push({
          report,
          range,
          costBasis,
          characters: text.length,
          bytes: body.gzip.length,
          milliseconds: Date.now() - started,
        });
      }
    }
    return outcomes;
  }

  private async isKept(
    key: KeptReportKey,
    versions: DataVersions,
  ): Promise<boolean> {
    const kept = await this.options.store.kept(key.report);
    return (
      !!kept &&
      kept.range.from === key.range.from &&
      kept.range.to === key.range.to &&
      kept.costBasis === key.costBasis &&
      kept.inputsKey === key.inputsKey &&
      kept.versions.rollup === versions.rollup &&
      (!KEPT_REPORTS[key.report].readsInventory ||
        kept.versions.inventory === versions.inventory)
    );
  }

  private compute(report: KeptReportName, key: KeptReportKey) {
    const { compliance } = this.options;
    const query = { ...key.range, costBasis: key.costBasis };
    switch (report) {
      case 'compliance':
        return compliance.organisationCompliance(query);
      case 'chargeback-group':
        return compliance.chargeback(query, 'group');
      default:
        throw new Error(
          `Costscope keeps no report '${report satisfies never}'`,
        );
    }
  }
}
