import { ConfigReader } from '@backstage/config';
import { Knex } from 'knex';
import { ALLOCATABLE_KINDS } from '../../plugins/costscope-backend/src/allocation/catalogSnapshot';
import { ReportKeeper } from '../../plugins/costscope-backend/src/compliance/ReportKeeper';
import { readCostscopeSettings } from '../../plugins/costscope-backend/src/readCostscopeSettings';
import { createComplianceService } from '../../plugins/costscope-backend/src/service/createComplianceService';
import { KeptReportStore } from '../../plugins/costscope-backend/src/store/KeptReportStore';
import { BenchOrg, CURRENCY } from './org';
import { BENCH_CONFIG } from './server';

/**
 * Keeps the organisation's reports (compliance, chargeback by team) as the plugin does after
 * a rebuild, for the range the bench reads (`now` is the day after it), under the config the
 * bench's backend runs with; prints what each cost to compute and store.
 */
export async function keepReports(
  knex: Knex,
  db: string,
  org: BenchOrg,
  now: Date,
  log: (message: string) => void,
): Promise<void> {
  const settings = await readCostscopeSettings(new ConfigReader(BENCH_CONFIG));
  const allocatable = org.entities.filter(entity =>
    (ALLOCATABLE_KINDS as readonly string[]).includes(entity.kind),
  );
  const keeper = new ReportKeeper({
    store: new KeptReportStore(knex),
    compliance: createComplianceService({
      settings,
      knex,
      loadEntities: async () => allocatable,
      currency: async () => CURRENCY,
    }),
    costBasis: settings.config.costBasis,
    now: () => now,
  });
  const kept = await keeper.refresh();
  if (kept.length === 0) {
    log(`${db}: reports already kept for this rollup version`);
  }
  for (const report of kept) {
    process.stdout.write(
      `api db=${db} kept-report report=${report.report} seconds=${(
        report.milliseconds / 1000
      ).toFixed(1)} json_mb=${(report.characters / 2 ** 20).toFixed(
        2,
      )} gzip_mb=${(report.bytes / 2 ** 20).toFixed(2)} range=${
        report.range.from
      }..${report.range.to}\n`,
    );
  }
}
