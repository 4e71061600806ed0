import http from 'node:http';
import { AddressInfo } from 'node:net';
import { CostDigest } from '@costscope/backstage-plugin-common';
import {
  NotificationsDigestDelivery,
  WebhookDigestDelivery,
} from './digestDeliveries';

const digest: CostDigest = {
  entityRef: 'group:default/payments',
  title: 'Payments',
  period: 'week',
  from: '2026-11-30',
  to: '2026-12-06',
  currency: 'USD',
  costBasis: 'effective',
  dataThrough: '2026-12-05',
  total: '1234.5',
  previous: { from: '2026-11-23', to: '2026-11-29', total: '987.6' },
  change: '246.9',
  changeRatio: 0.25,
  lastYear: null,
  topEntities: [
    {
      key: 'component:default/checkout-api',
      label: 'Checkout API',
      cost: '1000',
      previousCost: '1100',
      change: '-100',
    },
    {
      key: '(not visible to you)',
      cost: '234.5',
      previousCost: '0',
      change: '234.5',
    },
  ],
  topServices: [
    {
      key: 'Amazon EC2',
      cost: '1234.5',
      previousCost: '1000',
      change: '234.5',
    },
  ],
  budgetsAtRisk: [
    {
      entityRef: 'component:default/checkout-api',
      title: 'Checkout API',
      state: 'forecast-over',
      amount: '4000',
      spent: '1000',
      forecast: '4100',
      percentUsed: 25,
      period: { from: '2026-12-01', to: '2027-01-01' },
    },
  ],
  alerts: [],
  unitCosts: [
    {
      entityRef: 'component:default/checkout-api',
      metric: 'orders',
      unit: 'order',
      unitCost: '0.104166667',
      previousUnitCost: '0.125000000',
      change: '-0.020833333',
    },
  ],
  savings: {
    openCount: 2,
    monthlySaving: '300',
    top: [
      {
        id: 'idle-instance:i-1',
        resourceId: 'i-1',
        action: 'Stop i-1',
        monthlySaving: '200',
      },
    ],
  },
  compliance: null,
};
const late = {
  dueAt: new Date('2026-12-07T08:00:00Z'),
  late: true,
  timeZone: 'Europe/Berlin',
};

describe('digest deliveries', () => {
  it('notify the team with totals and counts, no entity names', async () => {
    const send = jest.fn();
    await new NotificationsDigestDelivery({ send }).deliver(
      digest,
      ['group:default/payments'],
      late,
    );
    expect(send).toHaveBeenCalledWith({
      recipients: { type: 'entity', entityRef: ['group:default/payments'] },
      payload: {
        title: 'Weekly cost digest: Payments',
        description:
          '$1,234.50 (effective) in the week of 30 Nov – 6 Dec 2026, +25.0 % against the week before. ' +
          '1 budget(s) at risk. 2 open savings tip(s) worth $300.00 a month. ' +
          'Cost data reaches 5 Dec only. ' +
          'Sent late: it was due Mon 7 Dec, 09:00 (Europe/Berlin) while Costscope was not running.',
        link: '/catalog/default/group/payments/cost?review=week&date=2026-11-30',
        severity: 'normal',
        topic: 'Costscope digests',
        scope: 'costscope:digest:group:default/payments:week:2026-11-30',
      },
    });
    expect(JSON.stringify(send.mock.calls)).not.toContain('checkout');
  });

  // A month with the team's own cost per order and the March commitments worked by hand in
  // service/commitments.test.ts: coverage 15/17, rate 3/17, utilization 10.80/12.00.
  const month: CostDigest = {
    ...digest,
    period: 'month',
    from: '2026-11-01',
    to: '2026-11-30',
    dataThrough: undefined,
    previous: { from: '2026-10-01', to: '2026-10-31', total: '987.6' },
    budgetsAtRisk: [],
    savings: { openCount: 0, monthlySaving: '0', top: [] },
    ownUnitCosts: [
      {
        entityRef: 'group:default/payments',
        metric: 'orders',
        unit: 'order',
        unitCost: '0.104166667',
        previousUnitCost: '0.125000000',
        change: '-0.020833333',
        reportingEntities: 3,
      },
      {
        entityRef: 'group:default/payments',
        metric: 'streams',
        unit: 'stream',
        unitCost: null,
        previousUnitCost: null,
        change: null,
        reportingEntities: 1,
      },
    ],
    commitments: {
      month: '2026-11',
      eligibleListCost: '17.000000000',
      coveredListCost: '15.000000000',
      eligibleEffectiveCost: '12.800000000',
      coverage: 0.882352,
      effectiveSavingsRate: 0.17647,
      organisation: {
        coverage: 0.882352,
        utilization: 0.9,
        usedCommitmentCost: '10.800000000',
        unusedCommitmentCost: '1.200000000',
        effectiveSavingsRate: 0.17647,
      },
    },
  };
  const commitmentLine =
    'Commitments covered 88.2 % of eligible usage ($15.00 of $17.00 at list price), ' +
    'effective savings rate 17.6 %; organisation utilization 90.0 %, $1.20 unused.';
  const ownLine =
    '$0.1042 per order (-$0.0208), over the 3 entities reporting orders and their cost';

  it("tell a month's own unit cost and commitments, and nothing of commitments when unknown", async () => {
    const send = jest.fn();
    const delivery = new NotificationsDigestDelivery({ send });
    await delivery.deliver(month, ['group:default/payments'], {
      ...late,
      late: false,
    });
    expect(send.mock.calls[0][0].payload.description).toBe(
      '$1,234.50 (effective) in November 2026, +25.0 % against the month before. ' +
        `Cost per unit: ${ownLine}. ${commitmentLine}`,
    );
    const { commitments: _none, ...unknown } = month;
    await delivery.deliver(unknown, ['group:default/payments'], {
      ...late,
      late: false,
    });
    expect(send.mock.calls[1][0].payload.description).not.toContain(
      'Commitments',
    );
    // As scheduled digests are built: the team's own figures, nothing of the organisation.
    const { organisation: _org, ...own } = month.commitments!;
    await delivery.deliver(
      { ...month, commitments: own },
      ['group:default/payments'],
      { ...late, late: false },
    );
    expect(send.mock.calls[2][0].payload.description).toContain(
      'Commitments covered 88.2 % of eligible usage ($15.00 of $17.00 at list price), ' +
        'effective savings rate 17.6 %.',
    );
    expect(send.mock.calls[2][0].payload.description).not.toContain(
      'organisation',
    );
  });

  it('refuses an entity without recipients', async () => {
    await expect(
      new NotificationsDigestDelivery({ send: jest.fn() }).deliver(
        digest,
        [],
        late,
      ),
    ).rejects.toThrow(
      'group:default/payments has no owner to send its digest to',
    );
  });

  it('post Slack blocks to the webhook, and fail on its error', async () => {
    const received: Array<{ headers: http.IncomingHttpHeaders; body: any }> =
      [];
    let status = 200;
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', chunk => (body += chunk));
      req.on('end', () => {
        received.push({ headers: req.headers, body: JSON.parse(body) });
        res.statusCode = status;
        res.end();
      });
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const webhook = new WebhookDigestDelivery(
        {
          url: `http://127.0.0.1:${port}/hook`,
          headers: { authorization: 'Bearer t' },
          timeoutMs: 2000,
        },
        'https://portal.example.com',
      );
      await webhook.deliver(digest, [], { ...late, late: false });
      expect(received).toHaveLength(1);
      const { headers, body } = received[0];
      expect(headers.authorization).toBe('Bearer t');
      const texts = body.blocks.map((block: any) =>
        block.text ? block.text.text : block.elements[0].text,
      );
      expect(texts).toEqual([
        expect.stringMatching(/^\*Weekly cost digest: Payments\*\n\$1,234\.50/),
        '*Top entities*\n• Checkout API: $1,000.00 (-$100.00)\n• (not visible to you): $234.50 (+$234.50)',
        '*Top services*\n• Amazon EC2: $1,234.50 (+$234.50)',
        '*Budgets at risk*\n• Checkout API: $1,000.00 of $4,000.00, forecast $4,100.00',
        '*Cost per unit*\n• checkout-api: $0.1042 per order (-$0.0208)',
        '*Top savings tips*\n• Stop i-1: $200.00 a month',
        'group:default/payments · <https://portal.example.com/catalog/default/group/payments/cost?review=week&date=2026-11-30|Open the review>',
      ]);
      expect(body.text).not.toContain('Sent late');

      await webhook.deliver(month, [], { ...late, late: false });
      const monthTexts = received[1].body.blocks.map((block: any) =>
        block.text ? block.text.text : block.elements[0].text,
      );
      expect(monthTexts.slice(3, 5)).toEqual([
        `*Cost per unit*\n• Payments: ${ownLine}\n• checkout-api: $0.1042 per order (-$0.0208)`,
        `*Commitments*\n${commitmentLine}`,
      ]);
      expect(monthTexts).toHaveLength(6);

      status = 500;
      await expect(webhook.deliver(digest, [], late)).rejects.toThrow(
        'webhook answered 500 Internal Server Error',
      );
    } finally {
      server.close();
    }
  });
});
