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
  // instance -> metric -> hour -> { average, maximum }
  const values = new Map<
    string,
    Map<string, Map<number, { average?: number; maximum?: number }>>
  >();

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
        const timestamps = result.Timestamps ?? [];
        const points = result.Values ?? [];
        for (let i = 0; i < timestamps.length && i < points.length; i++) {
          const byMetric =
            values.get(planned.instanceId) ??
            new Map<string, Map<number, any>>();
          values.set(planned.instanceId, byMetric);
          const byHour = byMetric.get(planned.metric) ?? new Map();
          byMetric.set(planned.metric, byHour);
          const hour = new Date(timestamps[i]).getTime();
          const point = byHour.get(hour) ?? {};
          point[planned.stat === 'Average' ? 'average' : 'maximum'] = points[i];
          byHour.set(hour, point);
        }
      }
      nextToken = page.NextToken;
    } while (nextToken);
  }

  const series = new Map<string, UtilisationSeries[]>();
  for (const [instanceId, byMetric] of values) {
    const list: UtilisationSeries[] = [];
    for (const [metric, byHour] of byMetric) {
      const points = [...byHour.entries()]
        .filter(([, p]) => p.average !== undefined && p.maximum !== undefined)
        .sort(([a], [b]) => a - b)
        .map(([hour, p]) => ({
          timestamp: new Date(hour).toISOString(),
          average: p.average!,
          maximum: p.maximum!,
        }));
      if (points.length > 0) {
        list.push({
          metric: metric as UtilisationSeries['metric'],
          periodSeconds: HOUR_SECONDS,
          points,
        });
      }
    }
    series.set(instanceId, list);
  }
  return series;
}
