import { randomUUID } from 'node:crypto';
import { IngestInput, IngestRun } from '@costscope/backstage-plugin-common';

/** A run records its first inputs by name; the counts go on past this. */
export const MAX_RECORDED_INPUTS = 500;

/** Where the engines record their runs (the pipeline's RunRecorder keeps their heartbeats). */
export interface RunRecording {
  startRun(run: IngestRun): Promise<void>;
  finishRun(run: IngestRun): Promise<void>;
}

/** A fresh record of a source run, as cost and inventory engines start one. */
export function newRunRecord(
  sourceId: string,
  kind: IngestRun['kind'],
  trigger: IngestRun['trigger'],
  startedAt: number,
): IngestRun {
  return {
    id: randomUUID(),
    sourceId,
    kind,
    trigger,
    status: 'running',
    startedAt: new Date(startedAt).toISOString(),
    filesRead: 0,
    filesSkipped: 0,
    inputs: [],
    rowsRead: 0,
    rowsRejected: 0,
    factsWritten: 0,
    billingPeriods: [],
    apiCalls: {},
    apiCostUsd: '0',
    rejections: [],
  };
}

/** Counts one cloud API call of a run. */
export function countApiCall(run: IngestRun, operation: string): void {
  run.apiCalls[operation] = (run.apiCalls[operation] ?? 0) + 1;
}

/** Counts one input of a run as read or skipped, and names the first ones. */
export function recordInput(run: IngestRun, input: IngestInput): void {
  if (input.status === 'read') run.filesRead += 1;
  else run.filesSkipped += 1;
  if (run.inputs.length < MAX_RECORDED_INPUTS) run.inputs.push(input);
}
