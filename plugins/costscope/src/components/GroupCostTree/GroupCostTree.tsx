import { Fragment, useState } from 'react';
import {
  Box,
  IconButton,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@material-ui/core';
import ChevronRight from '@material-ui/icons/ChevronRight';
import ExpandMore from '@material-ui/icons/ExpandMore';
import { InfoCard, Progress } from '@backstage/core-components';
import { useEntityPresentation } from '@backstage/plugin-catalog-react';
import {
  CostBreakdownItem,
  CostQuery,
  NOT_VISIBLE_KEY,
} from '@costscope/backstage-plugin-common';
import { useEntityCostSummary } from '../../hooks';
import { EntityName } from '../BreakdownTable/EntityName';
import { CostChange } from '../CostChange';
import { formatMoney, formatShare } from '../../utils/format';
import { errorMessage } from '../../utils/errorMessage';

/** Props of {@link GroupCostTree}. */
export interface GroupCostTreeProps {
  title: string;
  /** The top groups, with their cost and share of the organisation. */
  items: CostBreakdownItem[];
  currency: string;
  query: CostQuery;
}

const isGroupRef = (key: string) =>
  key.toLocaleLowerCase('en-US').startsWith('group:');

interface RowProps {
  item: CostBreakdownItem;
  depth: number;
  currency: string;
  query: CostQuery;
}

/** The sub-groups of an open group, read from its summary (owned entities left out). */
function SubGroups(props: RowProps & { childItems: CostBreakdownItem[] }) {
  const { childItems, depth, currency, query } = props;
  if (childItems.length === 0) {
    return (
      <TableRow>
        <TableCell colSpan={4} style={{ paddingLeft: 16 + (depth + 1) * 24 }}>
          <Typography variant="body2" color="textSecondary">
            No sub-team with cost in this range.
          </Typography>
        </TableCell>
      </TableRow>
    );
  }
  return (
    <>
      {childItems.map(child => (
        <GroupRow
          key={child.key}
          item={child}
          depth={depth + 1}
          currency={currency}
          query={query}
        />
      ))}
    </>
  );
}

/** The line for sub-groups hidden from the viewer: their sum, nothing to open. */
function HiddenRow(props: RowProps) {
  const { item, depth, currency } = props;
  return (
    <TableRow data-testid="costscope-group-row" data-depth={depth}>
      <TableCell style={{ paddingLeft: 16 + depth * 24 + 30 }}>
        <EntityName entityRef={item.key} />
      </TableCell>
      <TableCell align="right" data-amount={item.cost}>
        {formatMoney(item.cost, currency)}
      </TableCell>
      <TableCell align="right">{formatShare(item.share)}</TableCell>
      <TableCell />
    </TableRow>
  );
}

function GroupRow(props: RowProps) {
  return props.item.key === NOT_VISIBLE_KEY ? (
    <HiddenRow {...props} />
  ) : (
    <VisibleGroupRow {...props} />
  );
}

/** One group: its cost and share, its change read from its own summary, and its sub-groups when open. */
function VisibleGroupRow(props: RowProps) {
  const { item, depth, currency, query } = props;
  const [open, setOpen] = useState(false);
  const summary = useEntityCostSummary(item.key, query);
  const childItems =
    summary.value?.byEntity.filter(
      child => isGroupRef(child.key) || child.key === NOT_VISIBLE_KEY,
    ) ?? [];
  // The name the link shows (a group's display name), so that the button says the same.
  const { primaryTitle } = useEntityPresentation(item.key);
  const name = item.label ?? primaryTitle;
  return (
    <Fragment>
      <TableRow data-testid="costscope-group-row" data-depth={depth}>
        <TableCell style={{ paddingLeft: 16 + depth * 24 }}>
          <Box display="flex" alignItems="center">
            <IconButton
              size="small"
              aria-expanded={open}
              aria-label={`${open ? 'Hide' : 'Show'} the teams of ${name}`}
              onClick={() => setOpen(!open)}
            >
              {open ? <ExpandMore /> : <ChevronRight />}
            </IconButton>
            <EntityName entityRef={item.key} label={item.label} />
          </Box>
        </TableCell>
        <TableCell align="right" data-amount={item.cost}>
          {formatMoney(item.cost, currency)}
        </TableCell>
        <TableCell align="right">{formatShare(item.share)}</TableCell>
        <TableCell align="right">
          {summary.value && (
            <CostChange
              change={summary.value.change}
              changeRatio={summary.value.changeRatio}
              currency={currency}
            />
          )}
        </TableCell>
      </TableRow>
      {open && summary.loading && (
        <TableRow>
          <TableCell colSpan={4}>
            <Progress />
          </TableCell>
        </TableRow>
      )}
      {open && summary.error && (
        <TableRow>
          <TableCell colSpan={4}>
            <Typography variant="body2" color="error">
              Could not read the teams of {name}: {errorMessage(summary.error)}
            </Typography>
          </TableCell>
        </TableRow>
      )}
      {open && summary.value && (
        <SubGroups {...props} childItems={childItems} />
      )}
    </Fragment>
  );
}

/**
 * The organisation's cost by group as a tree: each group opens onto its sub-groups, level by
 * level, with its cost, its share of the level above (the organisation for the top groups)
 * and its change against the previous range of equal length.
 */
export function GroupCostTree(props: GroupCostTreeProps) {
  const { title, items, currency, query } = props;
  return (
    <InfoCard title={title} noPadding>
      {items.length === 0 ? (
        <Box p={2}>
          <Typography variant="body2" color="textSecondary">
            No group has cost in this range.
          </Typography>
        </Box>
      ) : (
        <Table size="small" aria-label={title}>
          <TableHead>
            <TableRow>
              <TableCell>Group</TableCell>
              <TableCell align="right">Cost</TableCell>
              <TableCell align="right">Share of level above</TableCell>
              <TableCell align="right">Change</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {items.map(item => (
              <GroupRow
                key={item.key}
                item={item}
                depth={0}
                currency={currency}
                query={query}
              />
            ))}
          </TableBody>
        </Table>
      )}
    </InfoCard>
  );
}
