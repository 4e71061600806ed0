import { Box, Typography } from '@material-ui/core';
import type { RecommendationSkip } from '@costscope/backstage-plugin-common';
import { kindLabel, resourceLabel } from '../../utils/recommendations';
import { Collapsible } from './Collapsible';

/** The resources that could not be judged and why, collapsed: why a recommendation is missing. */
export function SkippedResources(props: { skipped: RecommendationSkip[] }) {
  const { skipped } = props;
  if (skipped.length === 0) return null;
  return (
    <Collapsible
      id="costscope-savings-skipped"
      label={`Why no tip (${skipped.length})`}
    >
      <Typography variant="caption" color="textSecondary" component="p">
        Resources of this entity that no rule could judge.
      </Typography>
      <Box
        component="ul"
        m={0}
        pl={2}
        aria-label="Resources without a tip"
        style={{ listStyle: 'disc' }}
      >
        {skipped.map(skip => (
          <li key={`${skip.resourceId}|${skip.kind ?? ''}|${skip.code}`}>
            <Typography variant="body2" component="span">
              <strong>{resourceLabel(skip)}</strong>
              {skip.resourceName && skip.resourceName !== skip.resourceId && (
                <>
                  {' '}
                  (<code>{skip.resourceId}</code>)
                </>
              )}
              {skip.kind ? ` – ${kindLabel(skip.kind)}` : ''}: {skip.message}
            </Typography>
          </li>
        ))}
      </Box>
    </Collapsible>
  );
}
