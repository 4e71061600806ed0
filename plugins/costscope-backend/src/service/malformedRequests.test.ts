import request from 'supertest';
import { TestBackend } from '@backstage/backend-test-utils';
import {
  as,
  MEMBER,
  startApiBackend,
  RECOMMENDATION_ID,
} from '../__testUtils__/apiBackend';
import { createTestDatabases } from '../__testUtils__/databases';

jest.setTimeout(60_000);

interface Malformed {
  /** What is wrong with the request. */
  name: string;
  method: 'get' | 'put' | 'post' | 'delete';
  /** Under /api/costscope, already URL-encoded where it should be. */
  url: string;
  /** A string is sent as it is, an object as JSON. */
  body?: string | object;
  contentType?: string;
  status: 400 | 404 | 413 | 415;
  /** Part of the error message, when it matters which. */
  message?: RegExp;
}

const E = '/v1/entities';
const API = `${E}/component/default/api`;
const BUDGET = `${API}/budget`;
const STATE = `/v1/recommendations/${encodeURIComponent(
  RECOMMENDATION_ID,
)}/state`;
const budget = { amount: '10', period: 'monthly', currency: 'USD' };
const tooBig = 17 * 1024;

/**
 * Malformed requests across every route that takes input, as the signed-in owner of
 * component api who also holds every permission (so the input, not the caller, is refused).
 */
const CASES: Malformed[] = [
  // Bad entity refs in the path.
  {
    name: 'space in the name',
    method: 'get',
    url: `${E}/component/default/no%20spaces/summary`,
    status: 400,
    message: /entity name 'no spaces' is not a valid entity name/,
  },
  {
    name: 'script in the name',
    method: 'get',
    url: `${E}/component/default/${encodeURIComponent(
      '<script>alert(1)</script>',
    )}/series`,
    status: 400,
    message: /not a valid entity name/,
  },
  {
    name: 'SQL in the name',
    method: 'get',
    url: `${E}/component/default/${encodeURIComponent(
      "api' OR '1'='1",
    )}/resources`,
    status: 400,
  },
  {
    name: 'path traversal in the name',
    method: 'get',
    url: `${E}/component/default/..%2F..%2Fetc%2Fpasswd/budget`,
    status: 400,
  },
  {
    name: 'non-ASCII kind',
    method: 'get',
    url: `${E}/${encodeURIComponent('compönent')}/default/api/summary`,
    status: 400,
    message: /entity kind/,
  },
  {
    name: 'emoji name',
    method: 'get',
    url: `${E}/component/default/${encodeURIComponent('💸')}/compliance`,
    status: 400,
  },
  {
    name: 'dotless i (locale trap) in the name',
    method: 'get',
    url: `${E}/component/default/${encodeURIComponent('apı')}/summary`,
    status: 400,
  },
  {
    name: 'broken percent-encoding in the name',
    method: 'get',
    url: `${E}/component/default/%E0%A4%A/summary`,
    status: 400,
    message: /decode/,
  },
  {
    name: 'NUL byte in the name',
    method: 'get',
    url: `${E}/component/default/api%00/recommendations`,
    status: 400,
    message: /NUL character/,
  },
  {
    name: 'name over 253 characters',
    method: 'get',
    url: `${E}/component/default/${'a'.repeat(300)}/summary`,
    status: 400,
  },
  {
    name: 'name starting with a dash',
    method: 'get',
    url: `${E}/component/default/-api/budget/history`,
    status: 400,
  },
  {
    name: 'unknown entity',
    method: 'get',
    url: `${E}/component/default/ghost/summary`,
    status: 404,
    message: /component:default\/ghost is not known/,
  },
  {
    name: 'budget of an unknown entity',
    method: 'put',
    url: `${E}/component/default/ghost/budget`,
    body: budget,
    status: 400,
    message: /not in the catalog/,
  },
  {
    name: 'SQL in the namespace of a budget delete',
    method: 'delete',
    url: `${E}/component/${encodeURIComponent("x';--")}/api/budget`,
    status: 400,
    message: /entity namespace/,
  },
  {
    name: 'alerts of a text that is no entity ref',
    method: 'get',
    url: `/v1/alerts?entityRef=${encodeURIComponent('not a ref')}`,
    status: 400,
    message: /entityRef/,
  },
  {
    name: 'alerts of two entity refs',
    method: 'get',
    url: '/v1/alerts?entityRef=component:default/api&entityRef=group:default/team-a',
    status: 400,
    message: /entityRef/,
  },
  {
    name: 'alerts of an entity ref with a NUL byte',
    method: 'get',
    url: '/v1/alerts?entityRef=component:default/api%00',
    status: 400,
    message: /NUL character/,
  },
  {
    name: 'alerts of an entity ref with script',
    method: 'get',
    url: `/v1/alerts?entityRef=${encodeURIComponent(
      'component:default/<img src=x onerror=alert(1)>',
    )}`,
    status: 400,
    message: /entityRef/,
  },

  // Bad dates.
  {
    name: 'February 30th',
    method: 'get',
    url: `${API}/summary?from=2026-02-30`,
    status: 400,
    message: /from '2026-02-30' is not a calendar date/,
  },
  {
    name: 'a word for a date',
    method: 'get',
    url: `${API}/series?from=yesterday`,
    status: 400,
    message: /from must be a date in the form YYYY-MM-DD/,
  },
  {
    name: 'month 13',
    method: 'get',
    url: `${API}/resources?to=2026-13-01`,
    status: 400,
    message: /to '2026-13-01' is not a calendar date/,
  },
  {
    name: 'a timestamp for a date',
    method: 'get',
    url: `/v1/overview?from=2026-03-01T00:00:00Z`,
    status: 400,
  },
  {
    name: 'a date without dashes',
    method: 'get',
    url: `/v1/compliance?from=20260301`,
    status: 400,
  },
  {
    name: 'full-width digits',
    method: 'get',
    url: `/v1/chargeback?from=${encodeURIComponent('２０２６-０３-０１')}`,
    status: 400,
  },
  {
    name: 'a negative year',
    method: 'get',
    url: `${API}/compliance?from=-001-01-01`,
    status: 400,
  },
  {
    name: 'a date given twice',
    method: 'get',
    url: `${API}/summary?from=2026-03-01&from=2026-03-02`,
    status: 400,
    message: /from must be a single date/,
  },
  {
    name: 'a date as an object',
    method: 'get',
    url: `/v1/chargeback.csv?from[gt]=2026-01-01`,
    status: 400,
  },
  {
    name: 'a 10 kB date',
    method: 'get',
    url: `/v1/overview?to=${'9'.repeat(10_000)}`,
    status: 400,
  },

  // Reversed and huge ranges.
  {
    name: 'reversed range',
    method: 'get',
    url: `/v1/overview?from=2026-03-31&to=2026-03-01`,
    status: 400,
    message: /reversed/,
  },
  {
    name: 'reversed range of an entity',
    method: 'get',
    url: `${API}/compliance?from=2026-03-02&to=2026-03-01`,
    status: 400,
    message: /reversed/,
  },
  {
    name: 'reversed range of a chargeback',
    method: 'get',
    url: `/v1/chargeback?from=2026-12-01&to=2026-01-01`,
    status: 400,
    message: /reversed/,
  },
  {
    name: 'fifty-six years of series',
    method: 'get',
    url: `${API}/series?from=1970-01-01&to=2026-03-01`,
    status: 400,
    message: /at most 1200/,
  },
  {
    name: 'ten thousand years of chargeback CSV',
    method: 'get',
    url: `/v1/chargeback.csv?from=0001-01-01&to=9999-12-31`,
    status: 400,
    message: /at most 1200/,
  },
  {
    name: 'organisation compliance since 2000',
    method: 'get',
    url: `/v1/compliance?from=2000-01-01&to=2026-03-01`,
    status: 400,
    message: /at most 1200/,
  },

  // Bad limits and choices.
  {
    name: 'a million resources',
    method: 'get',
    url: `${API}/resources?limit=1000000`,
    status: 400,
    message: /limit must be an integer from 1 to 1000/,
  },
  {
    name: 'a limit beyond 2^64',
    method: 'get',
    url: `/v1/recommendations?limit=99999999999999999999`,
    status: 400,
    message: /limit/,
  },
  {
    name: 'a negative limit',
    method: 'get',
    url: `/v1/ingest-runs?limit=-1`,
    status: 400,
    message: /limit/,
  },
  {
    name: 'a fractional limit',
    method: 'get',
    url: `/v1/ingest-runs?limit=1.5`,
    status: 400,
    message: /limit/,
  },
  {
    name: 'a zero limit',
    method: 'get',
    url: `${BUDGET}/history?limit=0`,
    status: 400,
    message: /limit/,
  },
  {
    name: 'a limit in words',
    method: 'get',
    url: `/v1/alerts?limit=ten`,
    status: 400,
    message: /limit/,
  },
  {
    name: 'SQL as groupBy',
    method: 'get',
    url: `${API}/series?groupBy=${encodeURIComponent(
      'service; DROP TABLE costscope_facts',
    )}`,
    status: 400,
    message: /groupBy must be one of/,
  },
  {
    name: 'a Unicode look-alike groupBy',
    method: 'get',
    url: `${API}/series?groupBy=${encodeURIComponent('servİce')}`,
    status: 400,
    message: /groupBy/,
  },
  {
    name: 'a cost basis Costscope does not store',
    method: 'get',
    url: `${API}/summary?costBasis=amortised`,
    status: 400,
    message: /costBasis/,
  },
  {
    name: 'two cost bases',
    method: 'get',
    url: `/v1/overview?costBasis=billed&costBasis=effective`,
    status: 400,
    message: /costBasis/,
  },
  {
    name: 'an unknown chargeback owner',
    method: 'get',
    url: `/v1/chargeback?by=owner`,
    status: 400,
    message: /by must be one of group, costCenter/,
  },
  {
    name: 'chargeback by two owners',
    method: 'get',
    url: `/v1/chargeback.csv?by=group&by=costCenter`,
    status: 400,
    message: /by must be one of/,
  },

  // Negative and non-numeric money.
  {
    name: 'negative budget',
    method: 'put',
    url: BUDGET,
    body: { ...budget, amount: '-5' },
    status: 400,
    message: /amount must be greater than zero/,
  },
  {
    name: 'budget in words',
    method: 'put',
    url: BUDGET,
    body: { ...budget, amount: 'ten' },
    status: 400,
    message: /amount/,
  },
  {
    name: 'budget as a JSON number',
    method: 'put',
    url: BUDGET,
    body: { ...budget, amount: 12 },
    status: 400,
    message: /amount must be a decimal string/,
  },
  {
    name: 'budget NaN',
    method: 'put',
    url: BUDGET,
    body: { ...budget, amount: 'NaN' },
    status: 400,
    message: /amount/,
  },
  {
    name: 'budget Infinity',
    method: 'put',
    url: BUDGET,
    body: { ...budget, amount: 'Infinity' },
    status: 400,
    message: /amount/,
  },
  {
    name: 'budget in exponent notation',
    method: 'put',
    url: BUDGET,
    body: { ...budget, amount: '1e30' },
    status: 400,
    message: /exponent/,
  },
  {
    name: 'budget with a thousands separator',
    method: 'put',
    url: BUDGET,
    body: { ...budget, amount: '1,000' },
    status: 400,
    message: /amount/,
  },
  {
    name: 'empty budget',
    method: 'put',
    url: BUDGET,
    body: { ...budget, amount: '' },
    status: 400,
    message: /amount/,
  },
  {
    name: 'budget beyond a trillion',
    method: 'put',
    url: BUDGET,
    body: { ...budget, amount: '99999999999999999999999' },
    status: 400,
    message: /amount must be at most/,
  },
  {
    name: 'negative threshold',
    method: 'put',
    url: BUDGET,
    body: { ...budget, thresholds: [{ kind: 'actual', percent: -10 }] },
    status: 400,
    message: /percent/,
  },
  {
    name: 'threshold as a string',
    method: 'put',
    url: BUDGET,
    body: { ...budget, thresholds: [{ kind: 'actual', percent: '50' }] },
    status: 400,
    message: /percent/,
  },
  {
    name: 'emoji currency',
    method: 'put',
    url: BUDGET,
    body: { ...budget, currency: '💶' },
    status: 400,
    message: /currency/,
  },
  {
    name: 'script as period',
    method: 'put',
    url: BUDGET,
    body: { ...budget, period: '<script>alert(1)</script>' },
    status: 400,
    message: /period/,
  },
  {
    name: 'script as recipient',
    method: 'put',
    url: BUDGET,
    body: { ...budget, recipients: ['user:default/<script>'] },
    status: 400,
    message: /recipients/,
  },
  {
    name: 'budget with a __proto__ key',
    method: 'put',
    url: BUDGET,
    body: `{"amount":"10","period":"monthly","currency":"USD","__proto__":{"isAdmin":true}}`,
    contentType: 'application/json',
    status: 400,
  },

  // Bodies that are not what the route reads.
  {
    name: 'budget body over 16 kB',
    method: 'put',
    url: BUDGET,
    body: { ...budget, padding: 'x'.repeat(tooBig) },
    status: 413,
    message: /too large/,
  },
  {
    name: 'ingest body over 16 kB',
    method: 'post',
    url: '/v1/ingest',
    body: { sourceId: 'x'.repeat(tooBig) },
    status: 413,
    message: /too large/,
  },
  {
    name: 'truncated JSON',
    method: 'put',
    url: BUDGET,
    body: '{"amount":',
    contentType: 'application/json',
    status: 400,
  },
  {
    name: 'a JSON string for a body',
    method: 'put',
    url: BUDGET,
    body: '"just a string"',
    contentType: 'application/json',
    status: 400,
  },
  {
    name: 'a JSON array for a budget',
    method: 'put',
    url: BUDGET,
    body: [budget],
    status: 400,
  },
  {
    name: 'budget as text/plain',
    method: 'put',
    url: BUDGET,
    body: JSON.stringify(budget),
    contentType: 'text/plain',
    status: 415,
    message: /must be JSON/,
  },
  {
    name: 'ingest as a form',
    method: 'post',
    url: '/v1/ingest',
    body: 'sourceId=files',
    contentType: 'application/x-www-form-urlencoded',
    status: 415,
    message: /must be JSON/,
  },
  {
    name: 'recommendation state as XML',
    method: 'put',
    url: STATE,
    body: '<state>dismissed</state>',
    contentType: 'application/xml',
    status: 415,
    message: /must be JSON/,
  },
  {
    name: 'a NUL byte in a JSON key',
    method: 'post',
    url: '/v1/ingest',
    body: '{"source\\u0000Id":"files"}',
    contentType: 'application/json',
    status: 400,
    message: /NUL character/,
  },
  {
    name: 'SQL as a source id',
    method: 'post',
    url: '/v1/ingest',
    body: { sourceId: "files'; DROP TABLE costscope_facts; --" },
    status: 400,
    message: /unknown source/,
  },
  {
    name: 'a number as a source id',
    method: 'post',
    url: '/v1/ingest',
    body: { sourceId: 42 },
    status: 400,
    message: /invalid ingest request/,
  },
  {
    name: 'an unknown ingest field',
    method: 'post',
    url: '/v1/ingest',
    body: { sourceId: 'files', force: true },
    status: 400,
    message: /invalid ingest request/,
  },
  {
    name: 'an array for an ingest request',
    method: 'post',
    url: '/v1/ingest',
    body: [],
    status: 400,
    message: /invalid ingest request/,
  },

  // Bad recommendation ids and states.
  {
    name: 'unknown recommendation',
    method: 'put',
    url: `/v1/recommendations/${encodeURIComponent(
      'idle-instance:i-nope',
    )}/state`,
    body: { state: 'open' },
    status: 404,
    message: /no recommendation 'idle-instance:i-nope'/,
  },
  {
    name: 'recommendation id with a NUL byte',
    method: 'put',
    url: `/v1/recommendations/idle-instance%3Ai-api%00/state`,
    body: { state: 'open' },
    status: 400,
    message: /NUL character/,
  },
  {
    name: 'recommendation id with SQL',
    method: 'put',
    url: `/v1/recommendations/${encodeURIComponent("' OR 1=1 --")}/state`,
    body: { state: 'open' },
    status: 404,
    message: /no recommendation/,
  },
  {
    name: 'recommendation id of 4000 characters',
    method: 'put',
    url: `/v1/recommendations/${'x'.repeat(4000)}/state`,
    body: { state: 'open' },
    status: 404,
    message: /no recommendation/,
  },
  {
    name: 'recommendation id with broken percent-encoding',
    method: 'put',
    url: `/v1/recommendations/%E0%A4%A/state`,
    body: { state: 'open' },
    status: 400,
    message: /decode/,
  },
  {
    name: 'SQL as a recommendation state',
    method: 'put',
    url: STATE,
    body: { state: "open' OR 1=1 --" },
    status: 400,
    message: /state must be one of open, dismissed, snoozed/,
  },
  {
    name: 'a NUL byte in a dismissal reason',
    method: 'put',
    url: STATE,
    body: { state: 'dismissed', reason: 'ok\u0000' },
    status: 400,
    message: /NUL character/,
  },
  {
    name: 'a reason of 501 accented characters',
    method: 'put',
    url: STATE,
    body: { state: 'dismissed', reason: 'é'.repeat(501) },
    status: 400,
    message: /reason must be at most 500 characters/,
  },
  {
    name: 'a snooze until an impossible day',
    method: 'put',
    url: STATE,
    body: { state: 'snoozed', reason: 'later', until: '9999-99-99' },
    status: 400,
    message: /until/,
  },
];

describe('malformed requests', () => {
  it('covers at least 50 requests', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(50);
    expect(new Set(CASES.map(c => c.name)).size).toBe(CASES.length);
  });

  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('on %p', id => {
    let backend: TestBackend;
    beforeAll(async () => {
      backend = await startApiBackend(await databases.init(id));
    });
    afterAll(async () => {
      await backend?.stop();
    });

    it.each(CASES.map(c => [c.name, c] as const))(
      '%s: a 4xx with a message',
      async (_name, c) => {
        let call = request(backend.server)
          [c.method](`/api/costscope${c.url}`)
          .set('Authorization', as(MEMBER));
        if (c.contentType) call = call.set('Content-Type', c.contentType);
        const res = c.body === undefined ? await call : await call.send(c.body);
        expect({
          status: res.status,
          message: res.body.error?.message,
        }).toEqual({
          status: c.status,
          message: expect.stringMatching(c.message ?? /\S/),
        });
      },
    );

    it('stored nothing', async () => {
      const history = await request(backend.server)
        .get(`/api/costscope${BUDGET}/history`)
        .set('Authorization', as(MEMBER));
      expect(history.body.items).toEqual([]);
      const listed = await request(backend.server)
        .get(`/api/costscope${API}/recommendations`)
        .set('Authorization', as(MEMBER));
      expect(listed.body.items.map((t: any) => [t.id, t.state])).toEqual([
        [RECOMMENDATION_ID, 'open'],
      ]);
    });
  });
});
