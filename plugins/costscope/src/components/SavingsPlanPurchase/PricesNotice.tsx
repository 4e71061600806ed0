import { Box, Typography } from '@material-ui/core';
import type { RecommendationPriceStatus } from '@costscope/backstage-plugin-common';
import { pricesProblems } from '../../utils/recommendations';

/** Props of {@link PricesNotice}. */
export interface PricesNoticeProps {
  prices?: RecommendationPriceStatus[];
}

/**
 * Says when on-demand prices could not be refreshed and which prices the tips use instead;
 * nothing when every refresh went well.
 */
export function PricesNotice(props: PricesNoticeProps) {
  const problems = pricesProblems(props.prices);
  if (problems.length === 0) return null;
  return (
    <Box role="status" mb={1} data-testid="costscope-prices-notice">
      {problems.map(problem => (
        <Typography key={problem} variant="body2" color="error">
          {problem}
        </Typography>
      ))}
    </Box>
  );
}
