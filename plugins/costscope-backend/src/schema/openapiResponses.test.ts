import { createResponseChecker } from '../__testUtils__/openApiResponses';

// The checker the route suites run every real response through must itself refuse what the
// spec does not allow, or those suites would pass on anything.

const json = 'application/json; charset=utf-8';
const overview = {
  currency: 'USD',
  total: '12.000000000',
  allocated: '10.000000000',
  unallocated: '2.000000000',
  allocatedShare: 0.8333,
  unallocatedByService: [{ key: 'EC2', cost: '2.000000000', share: 1 }],
  topUnallocatedResources: [],
  byGroup: [],
  dataThrough: '2026-03-31',
};

describe('the response checker', () => {
  let check: Awaited<ReturnType<typeof createResponseChecker>>;
  beforeAll(async () => {
    check = await createResponseChecker();
  });

  it('passes a response that matches its schema', async () => {
    expect(
      await check('get', '/v1/overview?from=2026-03-01', {
        status: 200,
        body: overview,
        type: json,
      }),
    ).toBeUndefined();
  });

  it('refuses money sent as a JSON number', async () => {
    expect(
      await check('get', '/v1/overview', {
        status: 200,
        body: { ...overview, total: 12 },
        type: json,
      }),
    ).toMatch(/total must be string/);
  });

  it('refuses a null where the spec has no null', async () => {
    expect(
      await check('get', '/v1/entities/component/default/api/budget', {
        status: 200,
        body: { status: null, canEdit: null },
        type: json,
      }),
    ).toMatch(/canEdit/);
  });

  it('refuses a status the operation does not document', async () => {
    expect(
      await check('get', '/v1/overview', {
        status: 418,
        body: {},
        type: json,
      }),
    ).toMatch(/status 418/);
  });

  it('refuses a route the spec does not have', async () => {
    expect(
      await check('get', '/v1/everything', {
        status: 200,
        body: {},
        type: json,
      }),
    ).toMatch(/not in the spec/);
  });
});
