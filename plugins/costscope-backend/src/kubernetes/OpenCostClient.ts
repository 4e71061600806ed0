/** One allocation of one UTC day, as OpenCost answered it (weights are its list-price costs). */
export interface OpenCostDailyAllocation {
  /** YYYY-MM-DD (UTC), the day the allocation set covers. */
  day: string;
  /** The allocation's name: its aggregate key, e.g. `checkout/deployment:checkout-api`. */
  name: string;
  cluster?: string;
  namespace?: string;
  controller?: string;
  controllerKind?: string;
  /** Kubernetes labels with Prometheus-sanitised names (`backstage_io_kubernetes_id`). */
  labels: Record<string, string>;
  /** OpenCost's `__idle__`: capacity no workload requested. */
  idle: boolean;
  /** The key (or a part of it) is `__unallocated__`: the workload lacks the aggregate property. */
  unallocated: boolean;
  /** Costs as the decimal text OpenCost sent; used as ratios, never as money. */
  weights: { cpu: string; ram: string; gpu: string; pv: string };
  /** Averages over the day as sent; null when OpenCost sent null (NaN). */
  cpuCoreRequestAverage: string | null;
  cpuCoreUsageAverage: string | null;
  ramByteRequestAverage: string | null;
  ramByteUsageAverage: string | null;
}

export interface OpenCostClientOptions {
  /** The cluster's name, for error messages (OpenCost runs one per cluster). */
  cluster: string;
  /** OpenCost's API, e.g. http://opencost.opencost:9003 */
  baseUrl: string;
  /** Sent as `Authorization: Bearer <token>` (OpenCost itself has no auth; a proxy may). */
  token?: string;
  /** Per attempt; default 30 s. */
  timeoutMs?: number;
  /** Default 4. */
  maxAttempts?: number;
  /** The first retry's delay, doubled each time; default 500 ms. */
  backoffMs?: number;
  fetch?: typeof fetch;
  now?: () => Date;
  sleep?: (ms: number) => Promise<void>;
}

export interface OpenCostQuery {
  /** First day, YYYY-MM-DD. */
  startDay: string;
  /** Day after the last, YYYY-MM-DD (exclusive, like the bill's charge periods). */
  endDay: string;
  /** OpenCost aggregate keys; default namespace and controller. */
  aggregate?: string[];
}

const DAY_MS = 86_400_000;
const IDLE = '__idle__';
const UNALLOCATED = '__unallocated__';
const DAY_TEXT = /^\d{4}-\d{2}-\d{2}$/;
const NUMBER_TEXT = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
const COSTS = {
  cpu: 'cpuCost',
  ram: 'ramCost',
  gpu: 'gpuCost',
  pv: 'pvCost',
} as const;
const AVERAGES = [
  'cpuCoreRequestAverage',
  'cpuCoreUsageAverage',
  'ramByteRequestAverage',
  'ramByteUsageAverage',
] as const;

/** Marks a JSON number kept as its text. */
class NumberText {
  constructor(readonly text: string) {}
}

/** An answer that retrying may fix (5xx, network, timeout). */
class Retryable extends Error {}

/**
 * Parses JSON keeping every number's source text. OpenCost's Go encoder writes the shortest text
 * that round-trips a float64, but a proxy, Kubecost or a later version may write more digits than
 * a double holds, and the weights feed an exact split: reading the text (JSON.parse's reviver
 * `context.source`, Node 21+) keeps exactly what was sent, with no float in between.
 */
function parseKeepingNumbers(body: string): unknown {
  return JSON.parse(
    body,
    function reviver(
      this: unknown,
      _key: string,
      value: unknown,
      context?: { source?: string },
    ) {
      if (typeof value !== 'number') return value;
      if (context?.source === undefined) {
        throw new Error(
          'this Node.js cannot read JSON number text (needs 21+)',
        );
      }
      return new NumberText(context.source);
    },
  );
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' &&
  v !== null &&
  !Array.isArray(v) &&
  !(v instanceof NumberText);

const dayStart = (day: string) => Date.parse(`${day}T00:00:00Z`);
const isoSeconds = (ms: number) =>
  new Date(ms).toISOString().replace('.000Z', 'Z');

/**
 * Reads OpenCost's allocation API for one cluster: daily sets of `/allocation/compute`, checked
 * strictly, since the split trusts them as ratios of the bill.
 */
export class OpenCostClient {
  private readonly options: Required<Omit<OpenCostClientOptions, 'token'>> & {
    token?: string;
  };

  constructor(options: OpenCostClientOptions) {
    this.options = {
      timeoutMs: 30_000,
      maxAttempts: 4,
      backoffMs: 500,
      fetch: globalThis.fetch,
      now: () => new Date(),
      sleep: ms => new Promise(resolve => setTimeout(resolve, ms)),
      ...options,
      baseUrl: options.baseUrl.replace(/\/+$/, ''),
    };
  }

  /** Every allocation of every day in [startDay, endDay), sorted by day and name. */
  async dailyAllocations(
    query: OpenCostQuery,
  ): Promise<OpenCostDailyAllocation[]> {
    const { startDay, endDay } = query;
    const aggregate = query.aggregate ?? ['namespace', 'controller'];
    if (!DAY_TEXT.test(startDay) || !DAY_TEXT.test(endDay)) {
      throw this.error(`days must be YYYY-MM-DD, not ${startDay}..${endDay}`);
    }
    const start = dayStart(startDay);
    const end = dayStart(endDay);
    if (!(end > start)) throw this.error(`empty window ${startDay}..${endDay}`);
    const params = new URLSearchParams({
      window: `${isoSeconds(start)},${isoSeconds(end)}`,
      step: '1d',
      aggregate: aggregate.join(','),
      accumulate: 'false',
      // /allocation/compute leaves idle out unless asked, and drops the labels of merged
      // allocations without includeAggregatedMetadata (AllocationProperties.Intersection).
      includeIdle: 'true',
      includeAggregatedMetadata: 'true',
    });
    const body = await this.get(`/allocation/compute?${params}`);
    return this.read(body, start, end);
  }

  private error(problem: string): Error {
    return new Error(`OpenCost of cluster ${this.options.cluster}: ${problem}`);
  }

  /** The body of a 200 answer, retrying 5xx, network errors and timeouts with backoff. */
  private async get(path: string): Promise<string> {
    const { maxAttempts, backoffMs, sleep } = this.options;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.attempt(path);
      } catch (e) {
        if (!(e instanceof Retryable)) throw e;
        if (attempt >= maxAttempts) {
          throw this.error(`${e.message} (gave up after ${attempt} attempts)`);
        }
        await sleep(backoffMs * 2 ** (attempt - 1));
      }
    }
  }

  private async attempt(path: string): Promise<string> {
    const { baseUrl, token, timeoutMs } = this.options;
    let response: Response;
    let text: string;
    try {
      response = await this.options.fetch(`${baseUrl}${path}`, {
        headers: {
          accept: 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        signal: AbortSignal.timeout(timeoutMs),
      });
      text = await response.text();
    } catch (e) {
      const name = (e as Error).name;
      throw new Retryable(
        name === 'TimeoutError'
          ? `no answer within ${timeoutMs} ms`
          : `request failed: ${(e as Error).message}`,
      );
    }
    if (response.status >= 500) {
      throw new Retryable(`HTTP ${response.status}: ${snippet(text)}`);
    }
    if (response.status === 401 || response.status === 403) {
      throw this.error(
        `HTTP ${response.status}: not authorised (check the token)`,
      );
    }
    if (response.status !== 200) {
      throw this.error(`HTTP ${response.status}: ${snippet(text)}`);
    }
    return text;
  }

  private read(
    body: string,
    start: number,
    end: number,
  ): OpenCostDailyAllocation[] {
    let json: unknown;
    try {
      json = parseKeepingNumbers(body);
    } catch (e) {
      throw this.error(`malformed JSON answer: ${(e as Error).message}`);
    }
    if (!isObject(json))
      throw this.error('malformed answer: not a JSON object');
    const code = json.code instanceof NumberText ? json.code.text : json.code;
    if (code !== '200') {
      const message =
        typeof json.message === 'string' ? `: ${json.message}` : '';
      throw this.error(`answer code ${String(code)}${message}`);
    }
    if (json.status !== undefined && json.status !== 'success') {
      throw this.error(`answer status ${String(json.status)}`);
    }
    if (!Array.isArray(json.data))
      throw this.error('malformed answer: data is not a list');
    const now = this.options.now().getTime();
    const seenDays = new Set<string>();
    const rows: OpenCostDailyAllocation[] = [];
    for (const set of json.data) {
      if (!isObject(set))
        throw this.error('malformed answer: a set is not an object');
      let setDay: string | undefined;
      for (const [key, value] of Object.entries(set)) {
        const row = this.allocation(key, value, start, end, now);
        if (setDay !== undefined && row.day !== setDay) {
          throw this.error(`set mixes days ${setDay} and ${row.day}`);
        }
        if (setDay === undefined) {
          if (seenDays.has(row.day))
            throw this.error(`day ${row.day} answered twice`);
          seenDays.add(row.day);
          setDay = row.day;
        }
        rows.push(row);
      }
    }
    const byDayThenName = (
      a: OpenCostDailyAllocation,
      b: OpenCostDailyAllocation,
    ) => compareText(a.day, b.day) || compareText(a.name, b.name);
    return rows.sort(byDayThenName);
  }

  private allocation(
    key: string,
    value: unknown,
    start: number,
    end: number,
    now: number,
  ): OpenCostDailyAllocation {
    const where = `allocation '${key}'`;
    if (!isObject(value)) throw this.error(`${where} is not an object`);
    const window = isObject(value.window) ? value.window : {};
    const ws = this.time(window.start, `${where}: window.start`);
    const we = this.time(window.end, `${where}: window.end`);
    const as = this.time(value.start, `${where}: start`);
    const ae = this.time(value.end, `${where}: end`);
    if (ws > now || ae > now) {
      throw this.error(
        `${where}: window ${isoSeconds(ws)} to ${isoSeconds(
          we,
        )} is in the future`,
      );
    }
    if (ws < start || we > end || as < ws || ae > we || as > ae) {
      throw this.error(
        `${where}: window ${isoSeconds(ws)} to ${isoSeconds(
          we,
        )} is outside the requested ${isoSeconds(start)} to ${isoSeconds(end)}`,
      );
    }
    if (ws % DAY_MS !== 0 || we - ws !== DAY_MS) {
      throw this.error(
        `${where}: window ${isoSeconds(ws)} to ${isoSeconds(
          we,
        )} is not one UTC day`,
      );
    }
    const weights = {} as OpenCostDailyAllocation['weights'];
    for (const [weight, field] of Object.entries(COSTS) as [
      keyof typeof COSTS,
      string,
    ][]) {
      const cost = value[field];
      if (!(cost instanceof NumberText) || !NUMBER_TEXT.test(cost.text)) {
        throw this.error(`${where}: ${field} is not a number`);
      }
      if (
        cost.text.startsWith('-') &&
        /[1-9]/.test(cost.text.replace(/[eE].*$/, ''))
      ) {
        throw this.error(`${where}: negative ${field} ${cost.text}`);
      }
      weights[weight] = cost.text.replace(/^-/, '');
    }
    const props = isObject(value.properties) ? value.properties : {};
    const text = (v: unknown) =>
      typeof v === 'string' && v !== '' ? v : undefined;
    const labels: Record<string, string> = {};
    if (isObject(props.labels)) {
      for (const [k, v] of Object.entries(props.labels))
        if (typeof v === 'string') labels[k] = v;
    }
    const average = (field: string) => {
      const v = value[field];
      return v instanceof NumberText ? v.text : null;
    };
    return {
      day: new Date(ws).toISOString().slice(0, 10),
      name: key,
      cluster: text(props.cluster),
      namespace: text(props.namespace),
      controller: text(props.controller),
      controllerKind: text(props.controllerKind),
      labels,
      idle: key === IDLE || key.endsWith(`/${IDLE}`),
      unallocated: key.split('/').includes(UNALLOCATED),
      weights,
      ...(Object.fromEntries(AVERAGES.map(f => [f, average(f)])) as Pick<
        OpenCostDailyAllocation,
        (typeof AVERAGES)[number]
      >),
    };
  }

  private time(v: unknown, what: string): number {
    const ms = typeof v === 'string' ? Date.parse(v) : NaN;
    if (Number.isNaN(ms)) throw this.error(`${what} is not a time`);
    return ms;
  }
}

function compareText(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

function snippet(text: string): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > 200 ? `${one.slice(0, 200)}...` : one;
}
