/**
 * `bench:api --digests`: how long the digests of every group take to build, and what building
 * them does to page reads meanwhile.
 *
 * 1. Drives the team summary (as deployed, read cache on) for `duration` seconds alone.
 * 2. Builds the monthly digest of every group (teams and departments) one after the other, as
 *    the scheduled sender does, through the digest route, while the same team summary is
 *    driven again in 5-second rounds until the build ends. The digest route runs the sender's builder; the sender only adds a claim
 *    and a mark per team (two single-row statements) and the delivery.
 * 3. Prints the build time and both p95s:
 *    `api db=<db> digests=<n> build_s=<x> per_digest_ms=<x>`
 *    `api db=<db> team-summary p95_ms=<alone> during_digests_p95_ms=<x> ratio=<x>`
 */
import { drive, percentile } from './drive';
import { BenchOrg } from './org';

export interface DigestBenchOptions {
  baseUrl: string;
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
  aloneP95: number;
  duringP95: number;
  errors: number;
}

/** Every group's ref name (teams and departments): the entities digests go to by default. */
function groupNames(org: BenchOrg): string[] {
  return org.entities
    .filter(entity => entity.kind === 'Group')
    .map(entity => entity.metadata.name);
}

export async function benchDigests(
  options: DigestBenchOptions,
): Promise<DigestBenchResult> {
  const { baseUrl, org, authorization, log } = options;
  const page = {
    baseUrl,
    paths: [options.pagePath],
    headers: { Authorization: authorization },
    connections: options.connections,
  };
  const alone = await drive({
    ...page,
    durationSeconds: options.durationSeconds,
  });

  const groups = groupNames(org);
  let errors = 0;
  const build = async () => {
    const started = Date.now();
    for (const name of groups) {
      const response = await fetch(
        `${baseUrl}/api/costscope/v1/entities/group/default/${name}/digest?period=month`,
        { headers: { Authorization: authorization } },
      );
      const body = await response.text();
      if (response.status !== 200 || !JSON.parse(body).total) {
        errors += 1;
        log(`digest of ${name}: ${response.status} ${body.slice(0, 200)}`);
      }
    }
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
  return {
    digests: groups.length,
    buildSeconds,
    aloneP95: percentile(alone.latencies, 95),
    duringP95: percentile(during.latencies, 95),
    errors: errors + alone.errors + during.errors,
  };
}
