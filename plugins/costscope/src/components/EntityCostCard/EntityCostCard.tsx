import {
  Box,
  Grid,
  List,
  ListItem,
  ListItemText,
  Typography,
} from '@material-ui/core';
import { InfoCard } from '@backstage/core-components';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity, useEntityRefLink } from '@backstage/plugin-catalog-react';
import type {
  CostBreakdownItem,
  EntityCostSummary,
} from '@costscope/backstage-plugin-common';
import {
  useCostBasis,
  useEntityCostSummary,
  useRangePreset,
} from '../../hooks';
import { COST_BASIS_TEXT } from '../../utils/costBasis';
import { CostBasisPicker } from '../CostBasisPicker';
import { formatMoney, formatShare, isZeroMoney } from '../../utils/format';
import { CostChange } from '../CostChange';
import { CostFigure } from '../CostFigure';
import { AsyncContent } from '../AsyncContent';
import { EntityName } from '../BreakdownTable/EntityName';
import { COST_TAB_PATH } from '../../routes';

function TopList(props: {
  title: string;
  items: CostBreakdownItem[];
  currency: string;
  entityRefs?: boolean;
}) {
  const { title, items, currency, entityRefs } = props;
  if (items.length === 0) return null;
  return (
    <Box>
      <Typography variant="subtitle2">{title}</Typography>
      <List dense disablePadding aria-label={title}>
        {items.map(item => (
          <ListItem key={item.key} disableGutters>
            <ListItemText
              primary={
                entityRefs ? (
                  <EntityName entityRef={item.key} label={item.label} />
                ) : (
                  item.label ?? item.key
                )
              }
            />
            <Typography variant="body2" style={{ whiteSpace: 'nowrap' }}>
              {formatMoney(item.cost, currency)}{' '}
              <Typography
                component="span"
                variant="caption"
                color="textSecondary"
              >
                {formatShare(item.share)}
              </Typography>
            </Typography>
          </ListItem>
        ))}
      </List>
    </Box>
  );
}

function CardBody(props: { summary: EntityCostSummary; entityRef: string }) {
  const { summary, entityRef } = props;
  // A leaf entity (most components) is its own only entry: a list of itself says nothing.
  const rollsUp = summary.byEntity.some(
    item =>
      item.key.toLocaleLowerCase('en-US') !==
      entityRef.toLocaleLowerCase('en-US'),
  );
  if (isZeroMoney(summary.total) && isZeroMoney(summary.previous.total)) {
    return (
      <Typography color="textSecondary">
        No cloud cost is mapped to this entity in the last 30 days. Map
        resources with the <code>costscope.io/cost-tags</code> annotation or the{' '}
        <code>service</code> tag convention.
      </Typography>
    );
  }
  return (
    <Grid container spacing={2}>
      <Grid item xs={12}>
        <Box display="flex" flexWrap="wrap" style={{ gap: 32 }}>
          <CostFigure
            label={`${summary.from} – ${summary.to}`}
            value={formatMoney(summary.total, summary.currency)}
            testId="costscope-card-total"
            amount={summary.total}
          />
          <CostFigure
            label="vs previous 30 days"
            value={
              <CostChange
                change={summary.change}
                changeRatio={summary.changeRatio}
                currency={summary.currency}
                showAmount={false}
              />
            }
          />
        </Box>
      </Grid>
      {rollsUp && (
        <Grid item xs={12} md={6}>
          <TopList
            title="Top entities"
            items={summary.byEntity.slice(0, 5)}
            currency={summary.currency}
            entityRefs
          />
        </Grid>
      )}
      <Grid item xs={12} md={rollsUp ? 6 : 12}>
        <TopList
          title="Top services"
          items={summary.byService.slice(0, 5)}
          currency={summary.currency}
        />
      </Grid>
    </Grid>
  );
}

/**
 * A card with the cost of the last 30 days, its change, the top services, the top entities
 * when others roll up into this one (systems, domains, groups), and a link to the Cost tab.
 */
export function EntityCostCard() {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const entityLink = useEntityRefLink();
  const { range } = useRangePreset('last30');
  const { costBasis, setCostBasis } = useCostBasis();
  const summary = useEntityCostSummary(entityRef, { ...range, costBasis });

  return (
    <InfoCard
      title="Cloud cost"
      subheader={`Last 30 days, ${COST_BASIS_TEXT[costBasis].adjective}`}
      action={<CostBasisPicker value={costBasis} onChange={setCostBasis} />}
      deepLink={{
        title: 'View cost',
        link: `${entityLink(entity)}/${COST_TAB_PATH}`,
      }}
    >
      <AsyncContent state={summary}>
        {value => <CardBody summary={value} entityRef={entityRef} />}
      </AsyncContent>
    </InfoCard>
  );
}
