import {
  CloudWatchClient,
  GetMetricDataCommand,
  MetricDataQuery,
} from '@aws-sdk/client-cloudwatch';
import { UtilisationSeries } from '@costscope/backstage-plugin-node';

const HOUR_SECONDS = 3600;
/** GetMetricData limits: 500 queries and 100,800 data points per call. */
export const MAX_QUERIES_PER_CALL = 500;
export const MAX_DATAPOINTS_PER_CALL = 100_800;

/** The metrics read per instance; memory exists only where the CloudWatch agent runs. */
const METRICS = [
  {
    metric: 'cpu',
    namespace: 'AWS/EC2',
    name: 'CPUUtilization',
  },
  {
    metric: 'memory',
    namespace: 'CWAgent',
    name: 'mem_used_percent',
  },
] as const;
const STATS = ['Average', 'Maximum'] as const;

interface PlannedQuery {
  instanceId: string;
  metric: UtilisationSeries['metric'];
  stat: (typeof STATS)[number];
  query: MetricDataQuery;
}

/** Queries per instance, grouped into calls that respect both GetMetricData limits. */
export function planUtilisationCalls(
  instanceIds: string[],
  hours: number,
): PlannedQuery[][] {
  const perCall = Math.max(
    1,
    Math.min(MAX_QUERIES_PER_CALL, Math.floor(MAX_DATAPOINTS_PER_CALL / hours)),
  );
  const queries: PlannedQuery[] = instanceIds.flatMap(instanceId =>
    METRICS.flatMap(({ metric, namespace, name }) =>
      STATS.map(stat => ({
        instanceId,
        metric,
        stat,
        query: {
          Id: '',
          MetricStat: {
            Metric: {
              Namespace: namespace,
              MetricName: name,
              Dimensions: [{ Name: 'InstanceId', Value: instanceId }],
            },
            Period: HOUR_SECONDS,
            Stat: stat,
          },
          ReturnData: true,
        },
      })),
    ),
  );
  const calls: PlannedQuery[][] = [];
  for (let i = 0; i < queries.length; i += perCall) {
    // Ids must start with a lower-case letter and be unique within a call.
    calls.push(
      queries
        .slice(i, i + perCall)
        .map((q, index) => ({ ...q, query: { ...q.query, Id: `q${index}` } })),
    );
  }
  return calls;
}

/**
 * Hourly CPU and memory (average and maximum of each hour) of the given instances over
 * `[start, end)`, read with as few GetMetricData calls as the limits allow, pages included.
 */
export async function readUtilisation(options: {
  client: CloudWatchClient;
  instanceIds: string[];
  start: Date;
  end: Date;
  apiCall(operation: string): void;
  signal?: AbortSignal;
}): Promise<Map<string, UtilisationSeries[]>> {
  const { client, instanceIds, start, end } = options;
  const hours = Math.max(
    1,
    Math.round((end.getTime() - start.getTime()) / (HOUR_SECONDS * 1000)),
  );
  // One map of hourly points per (instance, metric) query pair.
  const hoursOf = new Map<
    PlannedQuery,
    Map<number, { average?: number; maximum?: number }>
  >();
  const pairOf = new Map<string, PlannedQuery>();

  for (const call of planUtilisationCalls(instanceIds, hours)) {
    const byId = new Map(call.map(q => [q.query.Id!, q]));
    let nextToken: string | undefined;
    do {
      options.apiCall('cloudwatch:GetMetricData');
      const page = await client.send(
        new GetMetricDataCommand({
          MetricDataQueries: call.map(q => q.query),
          StartTime: start,
          EndTime: end,
          ScanBy: 'TimestampAscending',
          NextToken: nextToken,
        }),
        { abortSignal: options.signal },
      );
      for (const result of page.MetricDataResults ?? []) {
        const planned = byId.get(result.Id ?? '');
        if (!planned) continue;
        // Average and Maximum of one metric share one map of hours.
        const pairKey = `${planned.instanceId}\n${planned.metric}`;
        const pair = pairOf.get(pairKey) ?? planned;
        pairOf.set(pairKey, pair);
        const byHour = hoursOf.get(pair) ?? new Map();
        hoursOf.set(pair, byHour);
        const timestamps = result.Timestamps ?? [];
        const values = result.Values ?? [];
        for (let i = 0; i < timestamps.length && i < values.length; i++) {
          const hour = new Date(timestamps[i]).getTime();
          const point = byHour.get(hour) ?? {};
          point[planned.stat === 'Average' ? 'average' : 'maximum'] = values[i];
          byHour.set(hour, point);
        }
      }
      nextToken = page.NextToken;
    } while (nextToken);
  }

  const series = new Map<string, UtilisationSeries[]>();
  for (const [pair, byHour] of hoursOf) {
    const points = [...byHour.entries()]
      .filter(([, p]) => p.average !== undefined && p.maximum !== undefined)
      .sort(([a], [b]) => a - b)
      .map(([hour, p]) => ({
        timestamp: new Date(hour).toISOString(),
        average: p.average!,
        maximum: p.maximum!,
      }));
    const list = series.get(pair.instanceId) ?? [];
    series.set(pair.instanceId, list);
    if (points.length > 0) {
      list.push({ metric: pair.metric, periodSeconds: HOUR_SECONDS, points });
    }
  }
  return series;
}
