import http from 'node:http';
import { AddressInfo } from 'node:net';
import { CostAlert } from '@costscope/backstage-plugin-common';
import { slackBodyOf, WebhookDelivery } from './WebhookDelivery';

const alert: CostAlert = {
  id: 'a1',
  entityRef: 'component:default/api',
  kind: 'budget',
  period: '2026-11-01',
  threshold: { kind: 'actual', percent: 80 },
  amount: '850.000000000',
  reference: '1000.000000000',
  currency: 'USD',
  title: 'api reached 80 % of its monthly budget',
  description: 'Spent $850.00 of $1,000.00 (85 %) from 2026-11-01.',
  drivers: [
    {
      serviceName: 'Amazon EC2',
      amount: '600.000000000',
      change: '200.000000000',
    },
  ],
  link: '/catalog/default/component/api/cost',
  createdAt: '2026-11-20T00:00:00.000Z',
  deliveredTo: [],
};

async function receiver(status: number) {
  const received: Array<{ headers: http.IncomingHttpHeaders; body: any }> = [];
  const server = http.createServer((req, res) => {
    let text = '';
    req.on('data', chunk => (text += chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, body: JSON.parse(text) });
      res.writeHead(status).end(status === 200 ? 'ok' : 'invalid_payload');
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return { url, received, close: () => new Promise(r => server.close(r)) };
}

describe('WebhookDelivery', () => {
  it('posts a Slack-compatible body with an absolute link and the configured headers', async () => {
    const hook = await receiver(200);
    try {
      await new WebhookDelivery(
        {
          url: hook.url,
          headers: { authorization: 'Bearer t' },
          timeoutMs: 2000,
        },
        'https://portal.example.com',
      ).deliver(alert);
      expect(hook.received).toHaveLength(1);
      expect(hook.received[0].headers.authorization).toBe('Bearer t');
      expect(hook.received[0].body).toEqual(
        slackBodyOf(alert, 'https://portal.example.com'),
      );
      const { text, blocks } = hook.received[0].body;
      expect(text).toContain(
        'https://portal.example.com/catalog/default/component/api/cost',
      );
      expect(blocks[1].text.text).toBe(
        '*Top drivers*\n• Amazon EC2: 600.000000000 USD (+200.000000000)',
      );
    } finally {
      await hook.close();
    }
  });

  it('fails when the receiver refuses, so the alert records no delivery', async () => {
    const hook = await receiver(400);
    try {
      await expect(
        new WebhookDelivery(
          { url: hook.url, headers: {}, timeoutMs: 2000 },
          'http://localhost:3000',
        ).deliver(alert),
      ).rejects.toThrow('webhook answered 400');
    } finally {
      await hook.close();
    }
  });
});
