import { useMemo } from 'react';
import { Box, Button, Typography } from '@material-ui/core';
import SaveAlt from '@material-ui/icons/SaveAlt';
import { SubvalueCell, Table, TableColumn } from '@backstage/core-components';
import { parseEntityRef } from '@backstage/catalog-model';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import type {
  Recommendation,
  RecommendationList,
} from '@costscope/backstage-plugin-common';
import { useRecommendations } from '../../hooks';
import { csvFileName, downloadCsv, toCsv } from '../../utils/csv';
import { compareMoney, formatMoney } from '../../utils/format';
import {
  CONFIDENCE_RANK,
  countedAfterOf,
  countedAfterText,
  kindLabel,
  resourceLabel,
} from '../../utils/recommendations';
import { denseTableOptions } from '../../utils/tableOptions';
import { CostFigure } from '../CostFigure';
import { AsyncContent } from '../AsyncContent';
import { RecommendationConfidenceChip } from '../RecommendationConfidenceChip';
import {
  PricesNotice,
  SavingsPlanPurchaseDetails,
} from '../SavingsPlanPurchase';

/** A flat copy of a recommendation with its rank: the table writes bookkeeping into its rows. */
type Row = Recommendation & { rank: number; name: string; kindText: string };

/**
 * The CSV of a recommendation list, in rank order: exact decimal amounts, one row each.
 */
export function recommendationsToCsv(items: Recommendation[]): string {
  return toCsv(
    [
      'rank',
      'id',
      'kind',
      'provider',
      'account',
      'region',
      'resource_id',
      'resource_name',
      'resource_kind',
      'entity_ref',
      'action',
      'current_type',
      'suggested_type',
      'current_monthly_cost',
      'monthly_saving',
      'currency',
      'confidence',
      'price_source',
      'state',
    ],
    items.map((recommendation, index) => [
      index + 1,
      recommendation.id,
      recommendation.kind,
      recommendation.provider,
      recommendation.accountId,
      recommendation.region,
      recommendation.resourceId,
      recommendation.resourceName,
      recommendation.resourceKind,
      recommendation.entityRef,
      recommendation.action,
      recommendation.currentType,
      recommendation.suggestedType,
      recommendation.currentMonthlyCost,
      recommendation.monthlySaving,
      recommendation.currency,
      recommendation.confidence,
      recommendation.priceSource,
      recommendation.state,
    ]),
  );
}

function EntityName(props: { entityRef?: string }) {
  if (!props.entityRef) {
    return (
      <Typography variant="body2" color="textSecondary" component="span">
        Unallocated
      </Typography>
    );
  }
  try {
    return <EntityRefLink entityRef={parseEntityRef(props.entityRef)} />;
  } catch {
    return <>{props.entityRef}</>;
  }
}

function EmptyRecommendations() {
  return (
    <Box p={2}>
      <Typography variant="body2" paragraph>
        No savings tips.
      </Typography>
      <Typography variant="body2">
        Costscope needs an inventory source (EC2 or the demo inventory) and CPU
        utilisation (CloudWatch) to judge resources: turn on the AWS module's
        inventory under <code>costscope.aws</code> in app-config. The rules'
        thresholds are under <code>costscope.recommendations</code>.
      </Typography>
    </Box>
  );
}

/** Props of {@link RecommendationListTable}. */
export interface RecommendationListTableProps {
  list: RecommendationList;
}

/**
 * The recommendations of a list ranked by monthly saving, with their total and a "Download CSV"
 * button.
 */
export function RecommendationListTable(props: RecommendationListTableProps) {
  const { list } = props;
  const rows = useMemo<Row[]>(
    () =>
      list.items.map((recommendation, index) => ({
        ...recommendation,
        rank: index + 1,
        name: resourceLabel(recommendation),
        kindText: kindLabel(recommendation.kind),
      })),
    [list.items],
  );
  const columns: TableColumn<Row>[] = [
    { title: 'Rank', field: 'rank', type: 'numeric', width: '64px' },
    {
      title: 'Resource',
      field: 'name',
      highlight: true,
      render: row =>
        row.resourceName && row.resourceName !== row.resourceId ? (
          <SubvalueCell value={row.resourceName} subvalue={row.resourceId} />
        ) : (
          row.resourceId
        ),
    },
    {
      title: 'Entity',
      field: 'entityRef',
      customSort: (a, b) =>
        (a.entityRef ?? '').localeCompare(b.entityRef ?? ''),
      render: row => <EntityName entityRef={row.entityRef} />,
    },
    { title: 'Kind', field: 'kindText' },
    {
      title: 'Action',
      field: 'action',
      render: row => {
        if (row.savingsPlan) {
          return (
            <>
              {row.action}
              <SavingsPlanPurchaseDetails recommendation={row} />
            </>
          );
        }
        const base = countedAfterOf(row, list.items);
        return base ? (
          <>
            {row.action}
            <Typography
              variant="caption"
              color="textSecondary"
              component="div"
              data-testid="costscope-tip-counted-after"
            >
              {countedAfterText(base)}
            </Typography>
          </>
        ) : (
          row.action
        );
      },
    },
    {
      title: 'Monthly saving',
      field: 'monthlySaving',
      type: 'numeric',
      customSort: (a, b) => compareMoney(a.monthlySaving, b.monthlySaving),
      render: row => formatMoney(row.monthlySaving, row.currency),
    },
    {
      title: 'Confidence',
      field: 'confidence',
      customSort: (a, b) =>
        CONFIDENCE_RANK[a.confidence] - CONFIDENCE_RANK[b.confidence],
      render: row => (
        <RecommendationConfidenceChip confidence={row.confidence} />
      ),
    },
  ];

  const count = list.items.length;
  const setAside = list.dismissed.length;
  return (
    <Box>
      <PricesNotice prices={list.prices} />
      <Box
        display="flex"
        justifyContent="space-between"
        alignItems="flex-end"
        flexWrap="wrap"
        mb={1}
        style={{ gap: 16 }}
      >
        <CostFigure
          label="Potential saving per month"
          value={formatMoney(list.totalMonthlySaving, list.currency)}
          testId="costscope-recommendations-total"
          amount={list.totalMonthlySaving}
          detail={`${count} open ${count === 1 ? 'tip' : 'tips'}${
            setAside > 0
              ? `; ${setAside} dismissed or snoozed, not counted`
              : ''
          }`}
        />
        <Button
          variant="outlined"
          size="small"
          startIcon={<SaveAlt />}
          disabled={count === 0}
          onClick={() =>
            downloadCsv(
              csvFileName('costscope-savings-tips'),
              recommendationsToCsv(list.items),
            )
          }
        >
          Download CSV
        </Button>
      </Box>
      <Table<Row>
        title="Savings tips"
        columns={columns}
        data={rows}
        options={denseTableOptions(rows.length, 20, {
          search: rows.length > 20,
          pageSizeOptions: [20, 50, 100],
        })}
        emptyContent={<EmptyRecommendations />}
      />
    </Box>
  );
}

/** Props of {@link RecommendationsTable}. */
export interface RecommendationsTableProps {
  /** At most this many recommendations, the largest savings; the backend's default when absent. */
  limit?: number;
}

/** The organisation's recommendations, ranked by monthly saving, for the Costscope page. */
export function RecommendationsTable(props: RecommendationsTableProps) {
  const recommendations = useRecommendations({ limit: props.limit });
  return (
    <AsyncContent
      state={recommendations}
      errorTitle="Could not load savings tips"
      keepValueWhileLoading
    >
      {list => <RecommendationListTable list={list} />}
    </AsyncContent>
  );
}
