import { LoggerService } from '@backstage/backend-plugin-api';
import { JsonObject } from '@backstage/types';
// The package's own name, not '../sources': the API report then sees the main entry's types.
import {
  CostLine,
  CostLineRejection,
  CostSource,
  CostSourceReadContext,
} from '@costscope/backstage-plugin-node';

/**
 * One read of a cost source as a test inspects it: what it yielded and reported, and how it
 * ended.
 * @public
 */
export interface CostSourceTestRead {
  lines: CostLine[];
  rejections: CostLineRejection[];
  /** Each `fileRead` (status `read`) and `fileSkipped` (status `skipped: <reason>`), in order. */
  inputs: Array<{ name: string; status: string; bytes?: number }>;
  /** Each `apiCall`, in order: the operation and its price in USD, if billed. */
  apiCalls: Array<[string, string | undefined]>;
  /** How many `apiCall`s named this operation. */
  count(operation: string): number;
  /** The state the source set, which the ingester would keep after a successful run. */
  newState?: JsonObject;
  /** What the read threw, if it did. */
  error?: Error;
}

const silentLogger: LoggerService = {
  error() {},
  warn() {},
  info() {},
  debug() {},
  child() {
    return silentLogger;
  },
};

/**
 * Reads a cost source as the ingester does (`readBatches` when it has it), for tests: it never
 * throws, and refuses `replaceDays`, as the sources it serves replace whole billing periods.
 * @public
 */
export async function readCostSourceForTest(
  source: CostSource,
  options: { state?: JsonObject; logger?: LoggerService } = {},
): Promise<CostSourceTestRead> {
  const result: CostSourceTestRead = {
    lines: [],
    rejections: [],
    inputs: [],
    apiCalls: [],
    count: operation => result.apiCalls.filter(([o]) => o === operation).length,
  };
  const context: CostSourceReadContext = {
    logger: options.logger ?? silentLogger,
    reject: r => result.rejections.push(r),
    fileRead: (name, details) =>
      result.inputs.push({
        name,
        status: 'read',
        bytes: details?.bytesScanned,
      }),
    fileSkipped: (name, reason) =>
      result.inputs.push({ name, status: `skipped: ${reason}` }),
    apiCall: (operation, costUsd) => result.apiCalls.push([operation, costUsd]),
    replaceDays: () => {
      throw new Error(
        `${source.id}: expected to replace whole billing periods`,
      );
    },
    state: {
      get: async () => options.state,
      set: value => {
        result.newState = value;
      },
    },
  };
  try {
    if (source.readBatches) {
      for await (const batch of source.readBatches(context)) {
        result.lines.push(...batch);
      }
    } else {
      for await (const line of source.read(context)) result.lines.push(line);
    }
  } catch (e) {
    result.error = e as Error;
  }
  return result;
}
