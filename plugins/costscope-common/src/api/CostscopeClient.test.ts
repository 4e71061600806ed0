import { CostscopeClient } from './CostscopeClient';

function clientWith(response: Response) {
  const fetch = jest.fn(async (_url: string, _init?: RequestInit) => response);
  const client = new CostscopeClient({
    discoveryApi: { getBaseUrl: async () => 'http://backend/api/costscope' },
    fetchApi: { fetch: fetch as unknown as typeof globalThis.fetch },
  });
  return { client, fetch };
}

describe('CostscopeClient', () => {
  it('builds entity URLs and query strings', async () => {
    const { client, fetch } = clientWith(
      new Response(JSON.stringify({ total: '1.000000000' })),
    );
    await client.getEntitySeries(
      'Component:default/checkout-api',
      { from: '2026-01-01', to: '2026-01-31', groupBy: 'region' },
      { token: 't0k' },
    );
    expect(fetch).toHaveBeenCalledWith(
      'http://backend/api/costscope/v1/entities/component/default/checkout-api/series?from=2026-01-01&to=2026-01-31&groupBy=region',
      expect.objectContaining({
        method: 'GET',
        headers: { authorization: 'Bearer t0k' },
      }),
    );
  });

  it('asks for a digest by period, leaving out what is not given', async () => {
    const { client, fetch } = clientWith(new Response('{}'));
    await client.getEntityDigest('group:default/payments', { period: 'month' });
    fetch.mockResolvedValueOnce(new Response('{}'));
    await client.getEntityDigest('group:default/payments', {
      period: 'week',
      date: '2026-11-23',
      costBasis: 'billed',
    });
    expect(fetch.mock.calls.map(call => call[0])).toEqual([
      'http://backend/api/costscope/v1/entities/group/default/payments/digest?period=month',
      'http://backend/api/costscope/v1/entities/group/default/payments/digest?period=week&date=2026-11-23&costBasis=billed',
    ]);
  });

  it('defaults the namespace', async () => {
    const { client, fetch } = clientWith(new Response('{}'));
    await client.getEntitySummary('group:payments-squad', {
      from: '2026-01-01',
      to: '2026-01-02',
    });
    expect(fetch.mock.calls[0][0]).toBe(
      'http://backend/api/costscope/v1/entities/group/default/payments-squad/summary?from=2026-01-01&to=2026-01-02',
    );
  });

  it('rejects invalid refs', async () => {
    const { client } = clientWith(new Response('{}'));
    await expect(
      client.getEntitySummary('nope', { from: 'a', to: 'b' }),
    ).rejects.toThrow("Invalid entity ref 'nope'");
  });

  it('throws ResponseError with the backend message', async () => {
    const body = {
      error: { name: 'InputError', message: 'from is after to' },
      response: { statusCode: 400 },
    };
    const { client } = clientWith(
      new Response(JSON.stringify(body), {
        status: 400,
        headers: { 'content-type': 'application/json' },
      }),
    );
    await expect(
      client.getOverview({ from: '2026-02-01', to: '2026-01-01' }),
    ).rejects.toMatchObject({
      name: 'ResponseError',
      statusCode: 400,
      body,
    });
  });

  it('posts ingest requests as JSON', async () => {
    const { client, fetch } = clientWith(new Response('{"runs":[]}'));
    await client.triggerIngest({ sourceId: 'demo-aws' });
    expect(fetch.mock.calls[0][1]).toMatchObject({
      method: 'POST',
      body: '{"sourceId":"demo-aws"}',
      headers: { 'content-type': 'application/json' },
    });
  });

  it('reads unit cost with its metric, basis and granularity', async () => {
    const { client, fetch } = clientWith(
      new Response('{"metric":"orders","points":[]}'),
    );
    const answer = await client.getEntityUnitCost('component:checkout-api', {
      from: '2026-01-01',
      to: '2026-01-31',
      costBasis: 'billed',
      metric: 'orders',
      granularity: 'month',
    });
    expect(answer.metric).toBe('orders');
    expect(fetch.mock.calls[0][0]).toBe(
      'http://backend/api/costscope/v1/entities/component/default/checkout-api/unit-cost?from=2026-01-01&to=2026-01-31&costBasis=billed&metric=orders&granularity=month',
    );
  });

  it('posts metric values as JSON, decimals as strings', async () => {
    const { client, fetch } = clientWith(new Response('{"stored":2}'));
    const body = {
      metrics: [
        {
          entityRef: 'component:default/checkout-api',
          metric: 'orders',
          values: [
            { date: '2026-01-01', value: 1200 },
            { date: '2026-01-02', value: '1250.5' },
          ],
        },
      ],
    };
    expect(await client.postUnitMetrics(body, { token: 'svc' })).toEqual({
      stored: 2,
    });
    expect(fetch.mock.calls[0][0]).toBe(
      'http://backend/api/costscope/v1/metrics',
    );
    expect(fetch.mock.calls[0][1]).toMatchObject({
      method: 'POST',
      body: JSON.stringify(body),
      headers: {
        'content-type': 'application/json',
        authorization: 'Bearer svc',
      },
    });
  });
});
