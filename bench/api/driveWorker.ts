/**
 * Runs autocannon in a worker thread, so that the load generator does not share the event
 * loop of the backend it measures, and records the time of every response.
 */
import { parentPort, workerData } from 'node:worker_threads';
import autocannon from 'autocannon';
import type { DriveRequest, DriveResult } from './drive';

const { request } = workerData as { request: DriveRequest };

const latencies: number[] = [];
const statuses: Record<string, number> = {};
const instance = autocannon(
  {
    url: request.baseUrl,
    connections: request.connections,
    duration: request.durationSeconds,
    // As a browser asks: kept answers are sent gzipped as they were kept. (The test backend
    // has no compression middleware, so other answers go uncompressed, unlike production.)
    headers: { 'accept-encoding': 'gzip', ...request.headers },
    requests: request.paths.map(path => ({ method: 'GET', path })),
    timeout: 30,
  },
  (error, result) => {
    if (error) {
      parentPort!.postMessage({ error: String(error) });
      return;
    }
    const outcome: DriveResult = {
      latencies,
      errors: result.errors + result.non2xx,
      timeouts: result.timeouts,
      statuses,
      durationSeconds: result.duration,
    };
    parentPort!.postMessage({ result: outcome });
  },
);
instance.on('response', (_client, statusCode, _bytes, responseTime) => {
  latencies.push(responseTime);
  statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
});
