/**
 * `--interleaved` (bench/api.ts): open and restricted requests of one page in alternating
 * bursts of `connections` concurrent requests, so that both meet the same machine load. On a
 * shared machine the load moves more between two 10-second runs than the restricted work
 * weighs, so two separate runs do not compare. Per kind: the latencies of every burst, and
 * the CPU time of this process (the backend runs in it) per request.
 */
import { percentile } from './drive';

export interface InterleavedRequest {
  url: string;
  /** Authorization header per kind. */
  open: string;
  restricted: string;
  /**
   * A third kind, restricted requests right after a simulated catalog change: `prepare`
   * runs before each of its bursts, outside the measured time.
   */
  afterCatalogChange?: { authorization: string; prepare(): Promise<void> };
  connections: number;
  /** Drives for about this long, both kinds together, after one burst of each. */
  durationSeconds: number;
}

export interface InterleavedKind {
  requests: number;
  p50: number;
  p95: number;
  p99: number;
  /** CPU milliseconds of this process per request, the median of the bursts. */
  cpuPerRequest: number;
  errors: number;
}

export interface InterleavedResult {
  open: InterleavedKind;
  restricted: InterleavedKind;
  afterCatalogChange?: InterleavedKind;
  bursts: number;
}

async function burst(url: string, authorization: string, connections: number) {
  const cpu = process.cpuUsage();
  const answers = await Promise.all(
    Array.from({ length: connections }, async () => {
      const started = performance.now();
      try {
        const response = await fetch(url, {
          headers: { Authorization: authorization },
        });
        await response.arrayBuffer();
        return { ms: performance.now() - started, ok: response.ok };
      } catch {
        return { ms: performance.now() - started, ok: false };
      }
    }),
  );
  const used = process.cpuUsage(cpu);
  return {
    latencies: answers.map(answer => answer.ms),
    errors: answers.filter(answer => !answer.ok).length,
    cpuPerRequest: (used.user + used.system) / 1000 / connections,
  };
}

export async function benchInterleaved(
  request: InterleavedRequest,
): Promise<InterleavedResult> {
  type Kind = 'open' | 'restricted' | 'afterCatalogChange';
  const kinds: Kind[] = request.afterCatalogChange
    ? ['open', 'restricted', 'afterCatalogChange']
    : ['open', 'restricted'];
  const authorization = (kind: Kind) =>
    kind === 'afterCatalogChange'
      ? request.afterCatalogChange!.authorization
      : request[kind];
  const fresh = () => ({
    latencies: [] as number[],
    cpu: [] as number[],
    errors: 0,
  });
  const results = {
    open: fresh(),
    restricted: fresh(),
    afterCatalogChange: fresh(),
  };
  const run = async (kind: Kind) => {
    if (kind === 'afterCatalogChange') {
      await request.afterCatalogChange!.prepare();
    }
    return burst(request.url, authorization(kind), request.connections);
  };
  for (const kind of kinds) await run(kind);
  const started = Date.now();
  let bursts = 0;
  while (Date.now() - started < request.durationSeconds * 1000) {
    // Each kind goes first in turn, so that neither always follows the other.
    for (const kind of bursts % 2 ? [...kinds].reverse() : kinds) {
      const result = await run(kind);
      results[kind].latencies.push(...result.latencies);
      results[kind].cpu.push(result.cpuPerRequest);
      results[kind].errors += result.errors;
    }
    bursts += 1;
  }
  const summary = (kind: Kind): InterleavedKind => ({
    requests: results[kind].latencies.length,
    p50: percentile(results[kind].latencies, 50),
    p95: percentile(results[kind].latencies, 95),
    p99: percentile(results[kind].latencies, 99),
    cpuPerRequest: percentile(results[kind].cpu, 50),
    errors: results[kind].errors,
  });
  return {
    open: summary('open'),
    restricted: summary('restricted'),
    ...(request.afterCatalogChange
      ? { afterCatalogChange: summary('afterCatalogChange') }
      : {}),
    bursts,
  };
}
