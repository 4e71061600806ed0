import { Box, Button, Divider, Typography } from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import type { Recommendation } from '@costscope/backstage-plugin-common';
import { formatDateTime, formatMoney } from '../../utils/format';
import { resourceLabel } from '../../utils/recommendations';
import { Collapsible } from './Collapsible';
import { ResourceHeading } from './SavingsTip';

function setAsideText(tip: Recommendation): string {
  const d = tip.dismissal;
  const state =
    tip.state === 'snoozed'
      ? `Snoozed${d?.until ? ` until ${d.until}` : ''}`
      : 'Dismissed';
  if (!d) return state;
  return `${state} by ${d.by} on ${formatDateTime(d.at)}`;
}

/** Props of {@link DismissedTips}. */
export interface DismissedTipsProps {
  tips: Recommendation[];
  /** The id of the tip being restored, if any. */
  restoring?: string;
  /** Why the last restore failed (the server's message). */
  restoreError?: string;
  onRestore: (tip: Recommendation) => void;
}

/** The dismissed and snoozed tips, collapsed: who set each aside, when, why; and "Restore". */
export function DismissedTips(props: DismissedTipsProps) {
  const { tips, restoring, restoreError, onRestore } = props;
  if (tips.length === 0) return null;
  return (
    <Collapsible
      id="costscope-savings-dismissed"
      label={`Dismissed (${tips.length})`}
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
        {tips.map((tip, index) => (
          <Box
            component="li"
            key={tip.id}
            data-testid="costscope-dismissed-tip"
            data-tip-id={tip.id}
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
                <ResourceHeading item={tip} />
                <Typography variant="body2">
                  {tip.action} ({formatMoney(tip.monthlySaving, tip.currency)}{' '}
                  per month)
                </Typography>
                <Typography variant="body2" color="textSecondary">
                  {setAsideText(tip)}
                </Typography>
                {tip.dismissal?.reason && (
                  <Typography variant="body2" color="textSecondary">
                    Reason: {tip.dismissal.reason}
                  </Typography>
                )}
              </Box>
              <Button
                size="small"
                variant="outlined"
                aria-label={`Restore the tip for ${resourceLabel(tip)}`}
                disabled={restoring !== undefined}
                onClick={() => onRestore(tip)}
              >
                {restoring === tip.id ? 'Restoring…' : 'Restore'}
              </Button>
            </Box>
          </Box>
        ))}
      </Box>
    </Collapsible>
  );
}
