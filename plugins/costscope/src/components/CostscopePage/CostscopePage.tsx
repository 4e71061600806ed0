import { Box, Grid, Paper } from '@material-ui/core';
import {
  Content,
  ContentHeader,
  Header,
  HeaderLabel,
  HeaderTabs,
  Page,
  SupportButton,
} from '@backstage/core-components';
import type { CostOverview } from '@costscope/backstage-plugin-common';
import {
  useAlerts,
  useBudgets,
  useCostBasis,
  useCostOverview,
  useIngestRuns,
  useRangePreset,
} from '../../hooks';
import { formatMoney, formatShare } from '../../utils/format';
import { csvFileName } from '../../utils/csv';
import { RangePicker } from '../RangePicker';
import { CostBasisPicker } from '../CostBasisPicker';
import { withBasis } from '../../utils/costBasis';
import { CostFigure } from '../CostFigure';
import { BreakdownTable } from '../BreakdownTable';
import { GroupCostTree } from '../GroupCostTree';
import { ResourcesTable } from '../ResourcesTable';
import { IngestRunsTable } from '../IngestRunsTable';
import { BudgetsTable } from '../BudgetsTable';
import { AlertsTable } from '../AlertsTable';
import { ComplianceOverview } from '../ComplianceOverview';
import { ChargebackReport } from '../ChargebackReport';
import { RecommendationsTable } from '../RecommendationsTable';
import { CommitmentsReport } from '../CommitmentsReport';
import { lastTwelveMonths } from '../../utils/dateRange';
import { AsyncContent, fullWidthGridItem } from '../AsyncContent';
import { useSearchParams } from 'react-router-dom';

/** The page's tabs; the selected one is kept in `?tab=` so that it can be linked to. */
const TABS = [
  { id: 'overview', label: 'Overview' },
  { id: 'compliance', label: 'Tag compliance' },
  { id: 'chargeback', label: 'Chargeback' },
  { id: 'savings', label: 'Savings' },
  { id: 'commitments', label: 'Commitments' },
];

function Figures(props: { overview: CostOverview }) {
  const { overview } = props;
  const unallocatedShare =
    overview.allocatedShare === null ? null : 1 - overview.allocatedShare;
  return (
    <Paper variant="outlined">
      <Box p={2} display="flex" flexWrap="wrap" style={{ gap: 48 }}>
        <CostFigure
          label={`${withBasis('Total', overview.costBasis)}, ${
            overview.from
          } – ${overview.to}`}
          value={formatMoney(overview.total, overview.currency)}
          testId="costscope-org-total"
          amount={overview.total}
          detail="The whole cloud bill"
        />
        <CostFigure
          label="Allocated"
          value={formatMoney(overview.allocated, overview.currency)}
          testId="costscope-org-allocated"
          amount={overview.allocated}
          detail={`${formatShare(overview.allocatedShare)} of the total`}
        />
        <CostFigure
          label="Unallocated"
          value={formatMoney(overview.unallocated, overview.currency)}
          testId="costscope-org-unallocated"
          amount={overview.unallocated}
          detail={`${formatShare(unallocatedShare)} of the total`}
        />
      </Box>
    </Paper>
  );
}

function Budgets() {
  const budgets = useBudgets();
  return (
    <AsyncContent state={budgets} errorTitle="Could not load budgets">
      {items => <BudgetsTable items={items} />}
    </AsyncContent>
  );
}

function AlertHistory() {
  const alerts = useAlerts({ limit: 50 });
  return (
    <AsyncContent state={alerts} errorTitle="Could not load alert history">
      {items => <AlertsTable alerts={items} />}
    </AsyncContent>
  );
}

function IngestRuns() {
  const runs = useIngestRuns(20);
  return (
    <AsyncContent state={runs}>
      {items => <IngestRunsTable runs={items} />}
    </AsyncContent>
  );
}

function Overview(props: { overview: CostOverview }) {
  const { overview } = props;
  return (
    <>
      <Grid item xs={12}>
        <Figures overview={overview} />
      </Grid>
      <Grid item xs={12} lg={7}>
        <GroupCostTree
          title={withBasis('Cost by group', overview.costBasis)}
          items={overview.byGroup}
          currency={overview.currency}
          query={{
            from: overview.from,
            to: overview.to,
            costBasis: overview.costBasis,
          }}
        />
      </Grid>
      <Grid item xs={12} lg={5}>
        <BreakdownTable
          title={withBasis('Unallocated cost by service', overview.costBasis)}
          nameTitle="Service"
          items={overview.unallocatedByService}
          currency={overview.currency}
          emptyText="All cost in this range is allocated."
        />
      </Grid>
      <Grid item xs={12} lg={5}>
        <BreakdownTable
          title={withBasis('Cost by charge category', overview.costBasis)}
          nameTitle="Charge category"
          items={overview.byChargeCategory}
          currency={overview.currency}
          emptyText="No cost in this range."
        />
      </Grid>
      <Grid item xs={12}>
        <ResourcesTable
          title={withBasis('Top unallocated resources', overview.costBasis)}
          resources={overview.topUnallocatedResources}
          currency={overview.currency}
          fileName={csvFileName(
            'costscope-unallocated',
            overview.from,
            overview.to,
          )}
        />
      </Grid>
    </>
  );
}

/** The organisation cost overview page. */
export function CostscopePage() {
  const { preset, setPreset, range } = useRangePreset();
  const { costBasis, setCostBasis } = useCostBasis();
  const overviewState = useCostOverview({ ...range, costBasis });
  const overview = overviewState.value;
  const [searchParams, setSearchParams] = useSearchParams();
  const tabIndex = Math.max(
    0,
    TABS.findIndex(tab => tab.id === searchParams.get('tab')),
  );
  const tab = TABS[tabIndex].id;
  const selectTab = (index: number) => {
    const next = new URLSearchParams(searchParams);
    if (index === 0) next.delete('tab');
    else next.set('tab', TABS[index].id);
    setSearchParams(next, { replace: true });
  };

  return (
    <Page themeId="tool">
      <Header title="Costscope" subtitle="Cloud cost across the organisation">
        {overview?.dataThrough && (
          <HeaderLabel label="Data through" value={overview.dataThrough} />
        )}
        {overview && <HeaderLabel label="Currency" value={overview.currency} />}
      </Header>
      <HeaderTabs tabs={TABS} selectedIndex={tabIndex} onChange={selectTab} />
      <Content>
        <ContentHeader title={TABS[tabIndex].label}>
          <SupportButton>
            Cloud cost mapped to the catalog. Unallocated cost matched no
            mapping rule: tag the resources or annotate their entities.
          </SupportButton>
        </ContentHeader>
        <Grid container spacing={3}>
          <Grid item xs={12}>
            <Box
              display="flex"
              alignItems="center"
              flexWrap="wrap"
              style={{ gap: 16 }}
            >
              {tab !== 'commitments' && (
                <RangePicker
                  value={preset}
                  onChange={setPreset}
                  range={range}
                />
              )}
              {/* The chargeback has its own switch; savings and commitments have no basis. */}
              {(tab === 'overview' || tab === 'compliance') && (
                <CostBasisPicker value={costBasis} onChange={setCostBasis} />
              )}
            </Box>
          </Grid>
          {tab === 'overview' && (
            <>
              <AsyncContent state={overviewState} frame={fullWidthGridItem}>
                {value => <Overview overview={value} />}
              </AsyncContent>
              {/* Budgets cover their current period and alerts their own dates: the range does not apply. */}
              <Grid item xs={12}>
                <Budgets />
              </Grid>
              <Grid item xs={12}>
                <AlertHistory />
              </Grid>
              <Grid item xs={12}>
                <IngestRuns />
              </Grid>
            </>
          )}
          {tab === 'compliance' && (
            <Grid item xs={12}>
              <ComplianceOverview range={{ ...range, costBasis }} />
            </Grid>
          )}
          {tab === 'chargeback' && (
            <Grid item xs={12}>
              <ChargebackReport range={range} />
            </Grid>
          )}
          {/* Recommendations are about now (the latest inventory): the range does not apply. */}
          {tab === 'savings' && (
            <Grid item xs={12}>
              <RecommendationsTable />
            </Grid>
          )}
          {/* Commitments are judged month by month: always the last 12 months. */}
          {tab === 'commitments' && (
            <Grid item xs={12}>
              <CommitmentsReport range={lastTwelveMonths()} />
            </Grid>
          )}
        </Grid>
      </Content>
    </Page>
  );
}
