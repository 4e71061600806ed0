import { Box, Typography } from '@material-ui/core';
import type { Recommendation } from '@costscope/backstage-plugin-common';
import { formatPercent } from '../../utils/budgets';
import { formatMoney } from '../../utils/format';
import {
  formatCommitmentTerm,
  formatHourlyMoney,
  lookbackText,
  sizedAfterText,
} from '../../utils/recommendations';
import { Fact } from '../Fact';

/** Props of {@link SavingsPlanPurchaseDetails}. */
export interface SavingsPlanPurchaseDetailsProps {
  /** A `savings-plan-purchase` recommendation; nothing is shown for another kind. */
  recommendation: Recommendation;
}

/**
 * The Compute Savings Plan a purchase recommendation suggests: commitment per hour, term and
 * upfront, expected utilization and coverage, monthly saving, break-even, the usage it was sized
 * on and the rightsizing tips it was sized after; on an entity's page, the entity's share.
 */
export function SavingsPlanPurchaseDetails(
  props: SavingsPlanPurchaseDetailsProps,
) {
  const { recommendation } = props;
  const plan = recommendation.savingsPlan;
  if (!plan) return null;
  const { currency, share } = recommendation;
  return (
    <Box mt={1} data-testid="costscope-tip-savings-plan">
      <Box display="flex" flexWrap="wrap" style={{ gap: 16 }}>
        <Fact
          label="Commitment"
          value={`${formatHourlyMoney(
            plan.hourlyCommitment,
            currency,
          )} per hour`}
          testId="costscope-plan-commitment"
        />
        <Fact
          label="Term"
          value={`${formatCommitmentTerm(plan)}${
            plan.upfrontPercent > 0
              ? `, ${formatMoney(plan.upfrontPayment, currency)} at purchase`
              : ''
          }`}
        />
        <Fact
          label="Expected utilization"
          value={`${formatPercent(plan.expectedUtilizationPercent)}`}
        />
        <Fact
          label="Covers"
          value={`${formatPercent(
            plan.expectedCoveragePercent,
          )} of eligible usage`}
        />
        <Fact
          label="Saves"
          value={`${formatMoney(
            recommendation.monthlySaving,
            currency,
          )} per month at ${formatPercent(plan.discountPercent)} off`}
          testId="costscope-plan-saving"
        />
        <Fact label="Breaks even" value={`Month ${plan.breakEvenMonth}`} />
        <Fact label="Sized on" value={lookbackText(plan)} />
      </Box>
      <Typography
        variant="body2"
        color="textSecondary"
        style={{ marginTop: 8 }}
        data-testid="costscope-plan-sized-after"
      >
        {sizedAfterText(plan)}
        {plan.sizedAfter.length > 0
          ? ` (${formatHourlyMoney(
              plan.hourlyRightsizingSaving,
              currency,
            )} per hour off the floor of ${formatHourlyMoney(
              plan.hourlyOnDemandFloor,
              currency,
            )}), so the savings add up.`
          : '.'}
      </Typography>
      {share && (
        <Typography
          variant="body2"
          style={{ marginTop: 4 }}
          data-testid="costscope-plan-share"
          data-amount={share.monthlySaving}
        >
          This entity's share: {formatPercent(share.percent)} (
          {formatMoney(share.eligibleOnDemandCost, currency)} of{' '}
          {formatMoney(share.totalEligibleOnDemandCost, currency)} eligible
          on-demand usage), {formatMoney(share.monthlySaving, currency)} of the
          saving per month.
        </Typography>
      )}
    </Box>
  );
}
