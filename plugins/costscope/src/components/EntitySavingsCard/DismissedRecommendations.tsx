import { Box, Button, Divider, Typography } from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import type { Recommendation } from '@costscope/backstage-plugin-common';
import { formatDateTime, formatMoney } from '../../utils/format';
import { resourceLabel } from '../../utils/recommendations';
import { Collapsible } from './Collapsible';
import { ResourceHeading } from './RecommendationItem';

function setAsideText(recommendation: Recommendation): string {
  const d = recommendation.dismissal;
  const state =
    recommendation.state === 'snoozed'
      ? `Snoozed${d?.until ? ` until ${d.until}` : ''}`
      : 'Dismissed';
  if (!d) return state;
  return `${state} by ${d.by} on ${formatDateTime(d.at)}`;
}

/** Props of {@link DismissedRecommendations}. */
export interface DismissedRecommendationsProps {
  recommendations: Recommendation[];
  /** The id of the recommendation being restored, if any. */
  restoring?: string;
  /** Why the last restore failed (the server's message). */
  restoreError?: string;
  onRestore: (recommendation: Recommendation) => void;
}

/**
 * The dismissed and snoozed recommendations, collapsed: who set each aside, when, why; and
 * "Restore".
 */
export function DismissedRecommendations(props: DismissedRecommendationsProps) {
  const { recommendations, restoring, restoreError, onRestore } = props;
  if (recommendations.length === 0) return null;
  return (
    <Collapsible
      id="costscope-savings-dismissed"
      label={`Dismissed (${recommendations.length})`}
    >
      {restoreError && (
        <Alert severity="error" style={{ marginBottom: 8 }}>
          Could not restore the tip: {restoreError}
        </Alert>
      )}
      <Box
        component="ul"
        m={0}
        p={0}
        style={{ listStyle: 'none' }}
        aria-label="Dismissed savings tips"
      >
        {recommendations.map((recommendation, index) => (
          <Box
            component="li"
            key={recommendation.id}
            data-testid="costscope-dismissed-tip"
            data-tip-id={recommendation.id}
          >
            {index > 0 && <Divider />}
            <Box
              py={1}
              display="flex"
              justifyContent="space-between"
              alignItems="flex-start"
              style={{ gap: 16 }}
            >
              <Box minWidth={0}>
                <ResourceHeading item={recommendation} />
                <Typography variant="body2">
                  {recommendation.action} (
                  {formatMoney(
                    recommendation.monthlySaving,
                    recommendation.currency,
                  )}{' '}
                  per month)
                </Typography>
                <Typography variant="body2" color="textSecondary">
                  {setAsideText(recommendation)}
                </Typography>
                {recommendation.dismissal?.reason && (
                  <Typography variant="body2" color="textSecondary">
                    Reason: {recommendation.dismissal.reason}
                  </Typography>
                )}
              </Box>
              <Button
                size="small"
                variant="outlined"
                aria-label={`Restore the tip for ${resourceLabel(
                  recommendation,
                )}`}
                disabled={restoring !== undefined}
                onClick={() => onRestore(recommendation)}
              >
                {restoring === recommendation.id ? 'Restoring…' : 'Restore'}
              </Button>
            </Box>
          </Box>
        ))}
      </Box>
    </Collapsible>
  );
}
