import { useMemo } from 'react';
import { Box, Grid, Paper, Typography } from '@material-ui/core';
import { InfoCard } from '@backstage/core-components';
import type { Entity } from '@backstage/catalog-model';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import type {
  CostQuery,
  EntityCostSummary,
} from '@costscope/backstage-plugin-common';
import {
  useCostBasis,
  useEntityCostSeries,
  useEntityCostSummary,
  useEntityResources,
  useRangePreset,
} from '../../hooks';
import { rangeLengthInDays } from '../../utils/dateRange';
import { formatMoney, formatShare, isZeroMoney } from '../../utils/format';
import { csvFileName } from '../../utils/csv';
import { RangePicker } from '../RangePicker';
import { CostBasisPicker } from '../CostBasisPicker';
import { withBasis } from '../../utils/costBasis';
import { CostFigure } from '../CostFigure';
import { CostChange } from '../CostChange';
import { CostChart } from '../CostChart';
import { BreakdownTable } from '../BreakdownTable';
import { ResourceListTable } from '../ResourcesTable';
import { EntityTagComplianceCard } from '../EntityTagComplianceCard';
import { EntitySavingsCard } from '../EntitySavingsCard';
import { CostExplanation } from '../CostExplanation';
import { CostMappingHelp } from '../CostMappingHelp';
import { AsyncContent, fullWidthGridItem } from '../AsyncContent';
import { KubernetesCostCard } from '../KubernetesCostCard';
import { EntityCostReview } from '../EntityCostReview';
import { UnitCostCard } from '../UnitCostCard';

const ROLLED_UP_KINDS = new Set(['system', 'domain', 'group']);
/** Kinds that scheduled digests go to (`costscope.digests.kinds`), so their tab shows the review. */
const REVIEWED_KINDS = new Set(['group', 'system']);

function byEntityTitle(kind: string): string {
  switch (kind) {
    case 'system':
      return 'Cost by component';
    case 'domain':
      return 'Cost by system';
    case 'group':
      return 'Cost by owned entity and sub-group';
    default:
      return 'Cost by entity';
  }
}

/** True when nothing maps cost to the entity: a zero total and no rule that matched anything. */
export function isUnmapped(summary: EntityCostSummary): boolean {
  return (
    isZeroMoney(summary.total) &&
    summary.mappingRules.every(rule => isZeroMoney(rule.cost))
  );
}

function Figures(props: { summary: EntityCostSummary }) {
  const { summary } = props;
  const days = rangeLengthInDays(summary);
  const topService = summary.byService[0];
  return (
    <Paper variant="outlined">
      <Box p={2} display="flex" flexWrap="wrap" style={{ gap: 48 }}>
        <CostFigure
          label={`${withBasis('Total', summary.costBasis)}, ${summary.from} – ${
            summary.to
          }`}
          value={formatMoney(summary.total, summary.currency)}
          testId="costscope-total"
          amount={summary.total}
          detail={`${days} day${days === 1 ? '' : 's'}`}
        />
        <CostFigure
          label="Change vs previous period"
          value={
            <CostChange
              change={summary.change}
              changeRatio={summary.changeRatio}
              currency={summary.currency}
            />
          }
          detail={`Previous: ${formatMoney(
            summary.previous.total,
            summary.currency,
          )} (${summary.previous.from} – ${summary.previous.to})`}
        />
        {topService && (
          <CostFigure
            label="Top service"
            value={topService.label ?? topService.key}
            detail={`${formatMoney(
              topService.cost,
              summary.currency,
            )} · ${formatShare(topService.share)}`}
          />
        )}
      </Box>
    </Paper>
  );
}

function DailyChart(props: { entityRef: string; range: CostQuery }) {
  const series = useEntityCostSeries(props.entityRef, props.range, 'service');
  return (
    <InfoCard
      title={
        props.range.costBasis
          ? withBasis('Daily cost by service', props.range.costBasis)
          : 'Daily cost by service'
      }
    >
      <AsyncContent state={series}>
        {value => <CostChart series={value} dimension="service" />}
      </AsyncContent>
    </InfoCard>
  );
}

function Resources(props: {
  entityRef: string;
  entityName: string;
  range: CostQuery;
}) {
  const resources = useEntityResources(props.entityRef, props.range);
  return (
    <AsyncContent state={resources}>
      {list => (
        <ResourceListTable
          title={withBasis('Resources', list.costBasis)}
          list={list}
          showEntity={list.resources.some(
            r => r.entityRef && r.entityRef !== props.entityRef,
          )}
          fileName={csvFileName(
            'costscope-resources',
            props.entityName,
            list.from,
            list.to,
          )}
        />
      )}
    </AsyncContent>
  );
}

/** The Cost tab's content below the range picker, as grid items. */
function SummaryItems(props: {
  entity: Entity;
  entityRef: string;
  summary: EntityCostSummary;
  range: CostQuery;
}) {
  const { entity, entityRef, summary, range } = props;
  const kind = entity.kind.toLocaleLowerCase('en-US');
  if (isUnmapped(summary)) {
    return (
      <Grid item xs={12}>
        <Typography variant="body2" color="textSecondary" paragraph>
          Total for {summary.from} – {summary.to}:{' '}
          <span data-testid="costscope-total" data-amount={summary.total}>
            {formatMoney(summary.total, summary.currency)}
          </span>
        </Typography>
        <CostMappingHelp entity={entity} rules={summary.mappingRules} />
      </Grid>
    );
  }
  const showByEntity = ROLLED_UP_KINDS.has(kind) || summary.byEntity.length > 0;
  return (
    <>
      <Grid item xs={12}>
        <Figures summary={summary} />
      </Grid>
      <Grid item xs={12} lg={7}>
        <DailyChart entityRef={entityRef} range={range} />
      </Grid>
      <Grid item xs={12} lg={5}>
        <UnitCostCard entityRef={entityRef} range={range} />
      </Grid>
      {REVIEWED_KINDS.has(kind) && (
        <Grid item xs={12}>
          <EntityCostReview entityRef={entityRef} costBasis={range.costBasis} />
        </Grid>
      )}
      {summary.mappingRules.some(
        rule => rule.origin === 'kubernetes' && !isZeroMoney(rule.cost),
      ) && (
        <Grid item xs={12}>
          <KubernetesCostCard entityRef={entityRef} range={range} />
        </Grid>
      )}
      <Grid item xs={12} md={showByEntity ? 6 : 12}>
        <BreakdownTable
          title={withBasis('Cost by service', summary.costBasis)}
          nameTitle="Service"
          items={summary.byService}
          currency={summary.currency}
          emptyText="No service has cost in this range."
        />
      </Grid>
      {showByEntity && (
        <Grid item xs={12} md={6}>
          <BreakdownTable
            title={withBasis(byEntityTitle(kind), summary.costBasis)}
            nameTitle="Entity"
            items={summary.byEntity}
            currency={summary.currency}
            entityRefs
            emptyText="No entity below this one has cost in this range."
          />
        </Grid>
      )}
      {/* Tax, credits and purchases apart from usage, where the entity has any. */}
      {summary.byChargeCategory.some(line => line.key !== 'Usage') && (
        <Grid item xs={12} md={6}>
          <BreakdownTable
            title={withBasis('Cost by charge category', summary.costBasis)}
            nameTitle="Charge category"
            items={summary.byChargeCategory}
            currency={summary.currency}
            emptyText="No cost in this range."
          />
        </Grid>
      )}
      <Grid item xs={12}>
        <Resources
          entityRef={entityRef}
          entityName={entity.metadata.name}
          range={range}
        />
      </Grid>
      <Grid item xs={12}>
        <EntitySavingsCard maxItems={20} />
      </Grid>
      <Grid item xs={12}>
        <EntityTagComplianceCard range={range} />
      </Grid>
      <Grid item xs={12}>
        <CostExplanation
          mappingRules={summary.mappingRules}
          overlaps={summary.overlaps}
          currency={summary.currency}
        />
      </Grid>
    </>
  );
}

/** The Cost tab of an entity page. */
export function EntityCostContent() {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const { preset, setPreset, range: days } = useRangePreset();
  const { costBasis, setCostBasis } = useCostBasis();
  const range = useMemo(() => ({ ...days, costBasis }), [days, costBasis]);
  const summary = useEntityCostSummary(entityRef, range);

  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <Box
          display="flex"
          alignItems="center"
          flexWrap="wrap"
          style={{ gap: 16 }}
        >
          <RangePicker value={preset} onChange={setPreset} range={days} />
          <CostBasisPicker value={costBasis} onChange={setCostBasis} />
        </Box>
      </Grid>
      <AsyncContent state={summary} frame={fullWidthGridItem}>
        {value => (
          <SummaryItems
            entity={entity}
            entityRef={entityRef}
            summary={value}
            range={range}
          />
        )}
      </AsyncContent>
    </Grid>
  );
}
