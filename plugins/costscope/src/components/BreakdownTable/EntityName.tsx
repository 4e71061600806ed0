import { Tooltip, Typography } from '@material-ui/core';
import { parseEntityRef } from '@backstage/catalog-model';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { NOT_VISIBLE_KEY } from '@costscope/backstage-plugin-common';

/**
 * The name of a breakdown line keyed by entity ref: a link to the entity, or, for the line
 * that sums the entities hidden from the viewer, that line's explanation.
 */
export function EntityName(props: { entityRef: string; label?: string }) {
  if (props.entityRef === NOT_VISIBLE_KEY) {
    return (
      <Tooltip title="The cost of entities you may not see, summed: the total stays whole, their names and split stay hidden.">
        <Typography
          component="span"
          variant="inherit"
          color="textSecondary"
          style={{ fontStyle: 'italic' }}
        >
          Not visible to you
        </Typography>
      </Tooltip>
    );
  }
  try {
    const ref = parseEntityRef(props.entityRef);
    return <EntityRefLink entityRef={ref} title={props.label} />;
  } catch {
    return <>{props.label ?? props.entityRef}</>;
  }
}
