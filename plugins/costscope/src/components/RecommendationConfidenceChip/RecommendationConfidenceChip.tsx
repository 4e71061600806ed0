import { Chip, Theme, useTheme } from '@material-ui/core';
import type { RecommendationConfidence } from '@costscope/backstage-plugin-common';
import { CONFIDENCE_LABELS } from '../../utils/recommendations';

/** The colour of a confidence: green when sure, blue, then amber. */
export function confidenceColor(
  theme: Theme,
  confidence: RecommendationConfidence,
): string {
  switch (confidence) {
    case 'high':
      return theme.palette.success.main;
    case 'medium':
      return theme.palette.info.main;
    case 'low':
      return theme.palette.warning.main;
    default:
      return theme.palette.grey[500];
  }
}

/** A chip with how sure a recommendation is, as text ("High confidence"), tinted by it. */
export function RecommendationConfidenceChip(props: {
  confidence: RecommendationConfidence;
}) {
  const theme = useTheme();
  const color = confidenceColor(theme, props.confidence);
  return (
    <Chip
      size="small"
      label={CONFIDENCE_LABELS[props.confidence] ?? props.confidence}
      data-confidence={props.confidence}
      style={{
        backgroundColor: color,
        color: theme.palette.getContrastText(color),
      }}
    />
  );
}
