import { render, screen } from '@testing-library/react';
import {
  idleRecommendation,
  orgPurchaseRecommendation,
} from '../../__testUtils__/recommendationFixtures';
import { formatMoney } from '../../utils/format';
import { SavingsPlanPurchaseDetails } from './SavingsPlanPurchaseDetails';

describe('SavingsPlanPurchaseDetails', () => {
  it('shows what is paid at purchase, and a window shorter than asked for', () => {
    // all upfront: 1.3824 x 730 x 12 = 12109.824 at purchase; month 9
    render(
      <SavingsPlanPurchaseDetails
        recommendation={{
          ...orgPurchaseRecommendation,
          savingsPlan: {
            ...orgPurchaseRecommendation.savingsPlan!,
            upfrontPercent: 100,
            upfrontPayment: '12109.824000000',
            breakEvenMonth: 9,
            window: { from: '2024-05-01', to: '2024-05-14' },
            sizedAfter: [],
            hourlyRightsizingSaving: '0',
          },
        }}
      />,
    );
    const plan = screen.getByTestId('costscope-tip-savings-plan');
    expect(plan).toHaveTextContent(
      `12 months, all upfront, ${formatMoney('12109.824', 'USD')} at purchase`,
    );
    expect(plan).toHaveTextContent('Breaks evenMonth 9');
    expect(plan).toHaveTextContent('14 of 30 days (2024-05-01 to 2024-05-14)');
    expect(screen.getByTestId('costscope-plan-sized-after')).toHaveTextContent(
      /^No rightsizing tip to act on first\.$/,
    );
  });

  it('shows nothing for another kind of tip', () => {
    const { container } = render(
      <SavingsPlanPurchaseDetails recommendation={idleRecommendation} />,
    );
    expect(container).toBeEmptyDOMElement();
  });
});
