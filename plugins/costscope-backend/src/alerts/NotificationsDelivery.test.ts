import { CostAlert } from '@costscope/backstage-plugin-common';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { NotificationsDelivery } from './NotificationsDelivery';

function budgetAlertOn(entityRef: string): CostAlert {
  return {
    id: 'a1',
    entityRef,
    kind: 'budget',
    period: '2026-11-01',
    threshold: { kind: 'actual', percent: 80 },
    amount: '850.000000000',
    reference: '1000.000000000',
    currency: 'USD',
    title: 'Budget reached 80 %',
    description:
      'Spent $850.00 of $1,000.00 (85 %) from 2026-11-01. Top drivers against the previous period: i-0secret +$200.00.',
    drivers: [
      {
        serviceName: 'Amazon EC2',
        resourceId: 'i-0secret',
        amount: '600.000000000',
        change: '200.000000000',
      },
    ],
    link: '/catalog/default/group/web/cost',
    createdAt: '2026-11-20T00:00:00.000Z',
    deliveredTo: [],
  };
}

function sentBy(alert: CostAlert) {
  const send = jest.fn(async () => {});
  const delivery = new NotificationsDelivery({
    send,
  } as unknown as NotificationService);
  return delivery
    .deliver(alert, ['group:default/web'])
    .then(() => (send.mock.calls[0] as any[])[0]);
}

describe('NotificationsDelivery', () => {
  it("names a component's own drivers", async () => {
    const sent = await sentBy(budgetAlertOn('component:default/api'));
    expect(sent.recipients).toEqual({
      type: 'entity',
      entityRef: ['group:default/web'],
    });
    expect(sent.payload.description).toContain('i-0secret');
  });

  it.each([
    'group:default/web',
    'system:default/shop',
    'Domain:default/commerce',
  ])(
    'leaves the drivers of a rollup (%s) to the portal, where each reader sees what they may',
    async entityRef => {
      const sent = await sentBy(budgetAlertOn(entityRef));
      expect(JSON.stringify(sent)).not.toContain('i-0secret');
      expect(sent.payload.description).toBe(
        'Spent $850.00 of $1,000.00 (85 %) from 2026-11-01. Open it in the portal to see what drove it.',
      );
      expect(sent.payload.link).toBe('/catalog/default/group/web/cost');
    },
  );

  it('refuses an alert with nobody to send it to', async () => {
    await expect(
      new NotificationsDelivery({
        send: jest.fn(),
      } as unknown as NotificationService).deliver(
        budgetAlertOn('group:default/web'),
        [],
      ),
    ).rejects.toThrow(/no recipients/);
  });
});
