import { Fragment, ReactNode, useState } from 'react';
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
import useAsync from 'react-use/esm/useAsync';
import { InfoCard, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { RELATION_PARENT_OF } from '@backstage/catalog-model';
import {
  catalogApiRef,
  useEntityPresentation,
} from '@backstage/plugin-catalog-react';
import {
  CostBreakdownItem,
  CostQuery,
  EntityUnitCost,
  moneyToNanos,
  NOT_VISIBLE_KEY,
} from '@costscope/backstage-plugin-common';
import { useEntityCostSummary, useEntityUnitCost } from '../../hooks';
import { EntityName } from '../BreakdownTable/EntityName';
import { CostChange } from '../CostChange';
import { formatMoney, formatShare, formatUnitCost } from '../../utils/format';
import { errorMessage } from '../../utils/errorMessage';

/** Props of {@link GroupCostTree}. */
export interface GroupCostTreeProps {
  title: string;
  /** The top groups, with their cost and share of the organisation. */
  items: CostBreakdownItem[];
  currency: string;
  query: CostQuery;
}

const NO_WRAP = { whiteSpace: 'nowrap' } as const;
const indent = (depth: number) => ({ paddingLeft: 16 + depth * 24 });

interface RowProps {
  entityRef: string;
  depth: number;
  currency: string;
  query: CostQuery;
  /** The level above's total, for the share; the top level's share comes with `item`. */
  parentTotal?: string;
  /** What the overview already says of a top group. */
  item?: CostBreakdownItem;
}

function shareOf(total: string, parentTotal: string): number | null {
  const parent = moneyToNanos(parentTotal);
  if (parent === 0n) return null;
  return Number((moneyToNanos(total) * 1_000_000n) / parent) / 1_000_000;
}

/** The groups a group is the parent of, in the catalog (its teams), by ref. */
function useSubGroups(entityRef: string, open: boolean) {
  const catalog = useApi(catalogApiRef);
  return useAsync(async () => {
    if (!open) return undefined;
    const entity = await catalog.getEntityByRef(entityRef);
    return (entity?.relations ?? [])
      .filter(relation => relation.type === RELATION_PARENT_OF)
      .map(relation => relation.targetRef)
      .sort();
  }, [catalog, entityRef, open]);
}

function NoteRow(props: { depth: number; children: ReactNode }) {
  return (
    <TableRow>
      <TableCell colSpan={5} style={indent(props.depth)}>
        {props.children}
      </TableCell>
    </TableRow>
  );
}

/**
 * Groups hidden from the viewer: one line without names. The overview's top level gives
 * their summed cost; a team below whose summary answers 404 shows no figures.
 */
function NotVisibleRow(props: {
  depth: number;
  item?: CostBreakdownItem;
  currency?: string;
}) {
  const { depth, item, currency } = props;
  return (
    <TableRow data-testid="costscope-group-row" data-depth={depth}>
      {/* Indented past the open button the other rows have. */}
      <TableCell style={{ paddingLeft: 46 + depth * 24 }}>
        <EntityName entityRef={NOT_VISIBLE_KEY} />
      </TableCell>
      {item && currency ? (
        <>
          <TableCell align="right" data-amount={item.cost}>
            {formatMoney(item.cost, currency)}
          </TableCell>
          <TableCell align="right">{formatShare(item.share)}</TableCell>
          <TableCell />
          <TableCell />
        </>
      ) : (
        <TableCell colSpan={4} />
      )}
    </TableRow>
  );
}

/**
 * A team's cost per unit of the first metric reported below it, where known: the metric of
 * the entities that report it over their cost, not the whole team's (the title says so).
 */
function UnitCostCell(props: { unitCost?: EntityUnitCost }) {
  const { unitCost } = props;
  if (!unitCost?.hasValues || unitCost.total.unitCost === null) {
    return <TableCell align="right" />;
  }
  const n = unitCost.reportingEntities;
  return (
    <TableCell
      align="right"
      style={NO_WRAP}
      data-amount={unitCost.total.unitCost}
      title={`${unitCost.metric} of ${
        n === 1 ? 'the entity' : `the ${n} entities`
      } that report it, over their cost, not the whole team's`}
    >
      {formatUnitCost(unitCost.total.unitCost, unitCost.currency)} per{' '}
      {unitCost.unit}
    </TableCell>
  );
}

/**
 * One group: its cost, its share of the level above and its change, from its own summary,
 * and its teams below when open. A group the viewer may not see (its summary answers 404)
 * shows as "Not visible to you" without cost or teams.
 */
function GroupRow(props: RowProps) {
  const { entityRef, depth, currency, query, parentTotal, item } = props;
  const [open, setOpen] = useState(false);
  const summary = useEntityCostSummary(entityRef, query);
  const unitCost = useEntityUnitCost(entityRef, {
    from: query.from,
    to: query.to,
    costBasis: query.costBasis,
    granularity: 'month',
  });
  const subGroups = useSubGroups(entityRef, open);
  // The name the link shows (a group's display name), so that the button says the same.
  const { primaryTitle } = useEntityPresentation(entityRef);
  const name = item?.label ?? primaryTitle;
  const hidden =
    (summary.error as { statusCode?: number } | undefined)?.statusCode === 404;
  if (hidden) return <NotVisibleRow depth={depth} />;
  const total = item?.cost ?? summary.value?.total;
  let share: number | null | undefined = item?.share;
  if (share === undefined && total !== undefined && parentTotal !== undefined) {
    share = shareOf(total, parentTotal);
  }
  return (
    <Fragment>
      <TableRow data-testid="costscope-group-row" data-depth={depth}>
        <TableCell style={indent(depth)}>
          <Box display="flex" alignItems="center" style={NO_WRAP}>
            <IconButton
              size="small"
              aria-expanded={open}
              aria-label={`${open ? 'Hide' : 'Show'} the teams of ${name}`}
              onClick={() => setOpen(!open)}
            >
              {open ? <ExpandMore /> : <ChevronRight />}
            </IconButton>
            <EntityName entityRef={entityRef} label={item?.label} />
          </Box>
        </TableCell>
        <TableCell align="right" data-amount={total} style={NO_WRAP}>
          {total !== undefined ? formatMoney(total, currency) : ''}
        </TableCell>
        <TableCell align="right">{formatShare(share)}</TableCell>
        <TableCell align="right" style={NO_WRAP}>
          {summary.value && (
            <CostChange
              change={summary.value.change}
              changeRatio={summary.value.changeRatio}
              currency={currency}
            />
          )}
        </TableCell>
        <UnitCostCell unitCost={unitCost.value} />
      </TableRow>
      {open && subGroups.loading && (
        <NoteRow depth={depth + 1}>
          <Progress />
        </NoteRow>
      )}
      {open && subGroups.error && (
        <NoteRow depth={depth + 1}>
          <Typography variant="body2" color="error">
            Could not read the teams of {name}: {errorMessage(subGroups.error)}
          </Typography>
        </NoteRow>
      )}
      {open && subGroups.value?.length === 0 && (
        <NoteRow depth={depth + 1}>
          <Typography variant="body2" color="textSecondary">
            {name} has no teams below it.
          </Typography>
        </NoteRow>
      )}
      {open &&
        subGroups.value?.map(child => (
          <GroupRow
            key={child}
            entityRef={child}
            depth={depth + 1}
            currency={currency}
            query={query}
            parentTotal={total}
          />
        ))}
    </Fragment>
  );
}

/**
 * The organisation's cost by group as a tree: each group opens onto its teams (the groups it
 * is the catalog parent of), level by level, each with its rolled-up cost, its share of the
 * level above (the organisation for the top groups), its change against the previous
 * range of equal length, and its cost per unit where an entity below reports a metric.
 */
export function GroupCostTree(props: GroupCostTreeProps) {
  const { title, items, currency, query } = props;
  return (
    <InfoCard
      title={title}
      subheader="Open a group to see its teams; each share is of the level above."
      noPadding
    >
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
              <TableCell align="right">Share</TableCell>
              <TableCell align="right">Change</TableCell>
              <TableCell
                align="right"
                title="Of the entities below each team that report a business metric, over their cost"
              >
                Unit cost
              </TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {items.map(item =>
              item.key === NOT_VISIBLE_KEY ? (
                <NotVisibleRow
                  key={item.key}
                  depth={0}
                  item={item}
                  currency={currency}
                />
              ) : (
                <GroupRow
                  key={item.key}
                  entityRef={item.key}
                  item={item}
                  depth={0}
                  currency={currency}
                  query={query}
                />
              ),
            )}
          </TableBody>
        </Table>
      )}
    </InfoCard>
  );
}
