/**
 * `bench:api --digests`: how long the scheduled digests of every group take, and what sending
 * them does to page reads meanwhile.
 *
 * 1. Drives the team summary (as deployed, read cache on) alone for `duration` seconds:
 *    half before the run below and half after it.
 * 2. Runs the plugin's scheduled digest task once, as the scheduler would on the day the
 *    monthly digests of the bench's last month are due: it claims, builds and delivers (to
 *    the notifications service, which drops them) the digest of every group, teams and
 *    departments. Meanwhile the same team summary is driven again in 5-second rounds until
 *    the run ends. The digests the run recorded as sent and as failed are counted after it.
 * 3. Prints the run's time and both p95s:
 *    `api db=<db> digests=<n> build_s=<x> per_digest_ms=<x>`
 *    `api db=<db> team-summary p95_ms=<alone> during_digests_p95_ms=<x> ratio=<x>`
 *    and the p95s alone before and after the run, apart.
 */
import { Knex } from 'knex';
import { drive, percentile } from './drive';
import { BenchOrg } from './org';
import { BenchServer } from './server';
import { atClock } from './clock';

export interface DigestBenchOptions {
  server: BenchServer;
  knex: Knex;
  org: BenchOrg;
  authorization: string;
  /** The path of the page driven alone and during the build. */
  pagePath: string;
  connections: number;
  durationSeconds: number;
  log: (message: string) => void;
}

export interface DigestBenchResult {
  digests: number;
  buildSeconds: number;
  /** Over the page's rounds alone before and after the run. */
  aloneP95: number;
  aloneBeforeP95: number;
  aloneAfterP95: number;
  duringP95: number;
  errors: number;
}

/** The month whose digests the run sends: the bench's last month of cost. */
function lastMonthOf(org: BenchOrg): { from: string; dueAt: string } {
  const lastDay = org.days[org.days.length - 1];
  const from = `${lastDay.slice(0, 7)}-01`;
  const next = new Date(`${from}T00:00:00Z`);
  next.setUTCMonth(next.getUTCMonth() + 1);
  // Half an hour after the digests fall due (BENCH_DIGESTS), so that none is late.
  return { from, dueAt: `${next.toISOString().slice(0, 10)}T09:30:00Z` };
}

export async function benchDigests(
  options: DigestBenchOptions,
): Promise<DigestBenchResult> {
  const { knex, org, authorization, log } = options;
  const { baseUrl } = options.server;
  const page = {
    baseUrl,
    paths: [options.pagePath],
    headers: { Authorization: authorization },
    connections: options.connections,
  };
  // Half the page's time alone before the run and half after: the page's own speed drifts
  // between minutes (seen here: a p95 of 75 ms in one run, 155 ms in the next), so one
  // window before compares the run with one moment only.
  const aloneRound = () =>
    drive({ ...page, durationSeconds: options.durationSeconds / 2 });
  const before = await aloneRound();

  const month = lastMonthOf(org);
  const sent = () =>
    knex('costscope_digests').where({
      period: 'month',
      period_from: month.from,
    });
  // A run sends what no run has claimed: an earlier bench run's claims go first.
  await sent().delete();
  const build = async () => {
    const started = Date.now();
    await atClock(month.dueAt, () =>
      options.server.runTask('costscope-digests'),
    );
    return (Date.now() - started) / 1000;
  };
  // The page is driven in 5-second rounds for as long as the build lasts.
  let building = true;
  const built = build().finally(() => {
    building = false;
  });
  const during = { latencies: [] as number[], errors: 0 };
  while (building) {
    const round = await drive({ ...page, durationSeconds: 5 });
    during.latencies.push(...round.latencies);
    during.errors += round.errors;
  }
  const buildSeconds = await built;
  const after = await aloneRound();
  const alone = {
    latencies: [...before.latencies, ...after.latencies],
    errors: before.errors + after.errors,
  };
  const records = await sent().select('entity_ref', 'sent_at');
  const unsent = records.filter(record => !record.sent_at);
  for (const record of unsent) log(`digest of ${record.entity_ref}: not sent`);
  const groups = org.entities.filter(entity => entity.kind === 'Group');
  if (records.length !== groups.length) {
    log(`${records.length} digests claimed for ${groups.length} groups`);
  }
  const errors = unsent.length + Math.abs(groups.length - records.length);
  return {
    digests: records.length - unsent.length,
    buildSeconds,
    aloneP95: percentile(alone.latencies, 95),
    aloneBeforeP95: percentile(before.latencies, 95),
    aloneAfterP95: percentile(after.latencies, 95),
    duringP95: percentile(during.latencies, 95),
    errors: errors + alone.errors + during.errors,
  };
}
