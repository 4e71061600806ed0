/** Drives an endpoint with autocannon (in a worker thread) and summarises the latencies. */
import path from 'node:path';
import { Worker } from 'node:worker_threads';

export interface DriveRequest {
  baseUrl: string;
  /** Paths requested in turn by every connection. */
  paths: string[];
  headers: Record<string, string>;
  connections: number;
  durationSeconds: number;
}

export interface DriveResult {
  /** Milliseconds, one per response. */
  latencies: number[];
  /** Connection errors, timeouts and responses other than 2xx. */
  errors: number;
  /** Of the errors, requests without an answer within 30 s. */
  timeouts: number;
  statuses: Record<string, number>;
  durationSeconds: number;
}

export function drive(request: DriveRequest): Promise<DriveResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(path.join(__dirname, 'driveWorker.ts'), {
      workerData: { request },
    });
    worker.once('message', message => {
      if (message.error) reject(new Error(message.error));
      else resolve(message.result);
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}

/** The nearest-rank percentile of unsorted values. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = Float64Array.from(values).sort();
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}
