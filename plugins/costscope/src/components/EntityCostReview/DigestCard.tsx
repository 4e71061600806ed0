import { ReactNode } from 'react';
import {
  Box,
  List,
  ListItem,
  ListItemText,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@material-ui/core';
import { InfoCard, Link } from '@backstage/core-components';
import type {
  CostDigest,
  DigestChangeItem,
} from '@costscope/backstage-plugin-common';
import { CostChange } from '../CostChange';
import { CostFigure } from '../CostFigure';
import { EntityName } from '../BreakdownTable/EntityName';
import { BudgetStateChip } from '../BudgetStateChip';
import { withBasis } from '../../utils/costBasis';
import { formatMoney, formatShare, formatUnitCost } from '../../utils/format';
import { digestPeriodTitle, previousPeriodText } from './digestText';

function Section(props: { title: string; children: ReactNode }) {
  return (
    <Box mt={2}>
      <Typography variant="subtitle2" component="h3" gutterBottom>
        {props.title}
      </Typography>
      {props.children}
    </Box>
  );
}

/** The change relative to the period before; null (shown as new) without cost before. */
function changeRatioOf(item: DigestChangeItem): number | null {
  const before = Number(item.previousCost);
  // Display only: the amounts themselves stay exact strings.
  return before === 0 ? null : Number(item.change) / before;
}

function ChangeTable(props: {
  caption: string;
  nameTitle: string;
  items: DigestChangeItem[];
  currency: string;
  entityRefs?: boolean;
}) {
  const { caption, nameTitle, items, currency, entityRefs } = props;
  return (
    <Table size="small" aria-label={caption}>
      <TableHead>
        <TableRow>
          <TableCell>{nameTitle}</TableCell>
          <TableCell align="right">Cost</TableCell>
          <TableCell align="right">Change</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {items.map(item => (
          <TableRow key={item.key}>
            <TableCell>
              {entityRefs ? (
                <EntityName entityRef={item.key} label={item.label} />
              ) : (
                item.label ?? item.key
              )}
            </TableCell>
            <TableCell align="right" data-amount={item.cost}>
              {formatMoney(item.cost, currency)}
            </TableCell>
            <TableCell align="right">
              <CostChange
                change={item.change}
                changeRatio={changeRatioOf(item)}
                currency={currency}
              />
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

function lastYearText(digest: CostDigest): string {
  if (!digest.lastYear) return 'No cost data from a year before.';
  return `A year before: ${formatMoney(
    digest.lastYear.total,
    digest.currency,
  )} (${formatMoney(digest.lastYear.change, digest.currency, {
    signed: true,
  })} since).`;
}

/** Whose cost an own unit cost divides: the reporting entities', not the whole team's. */
function ownScopeText(
  digest: CostDigest,
  item: NonNullable<CostDigest['ownUnitCosts']>[number],
): string {
  const whole = digest.entityRef.startsWith('system:') ? 'system' : 'team';
  const n = item.reportingEntities;
  return `${item.metric} of the ${
    n === 1 ? 'entity' : `${n} entities`
  } below that report it, over their cost (not the whole ${whole}'s).`;
}

/** One digest: what a team is told of a week or a month, as the scheduled digest says it. */
export function DigestCard(props: { digest: CostDigest }) {
  const { digest } = props;
  const money = (amount: string) => formatMoney(amount, digest.currency);
  const periodTitle = digestPeriodTitle(digest);
  return (
    <InfoCard
      title={periodTitle}
      subheader={withBasis(
        digest.period === 'week' ? 'Weekly review' : 'Monthly review',
        digest.costBasis,
      )}
    >
      <Box
        data-testid={`costscope-review-${digest.period}`}
        display="flex"
        flexWrap="wrap"
        style={{ gap: 32 }}
      >
        <CostFigure
          label="Total"
          value={money(digest.total)}
          amount={digest.total}
          testId={`costscope-review-${digest.period}-total`}
          detail={`${digest.from} – ${digest.to}`}
        />
        <CostFigure
          label={`Change vs ${previousPeriodText(digest)}`}
          value={
            <CostChange
              change={digest.change}
              changeRatio={digest.changeRatio}
              currency={digest.currency}
            />
          }
          detail={`Before: ${money(digest.previous.total)}`}
        />
        {digest.chargeback && (
          <CostFigure
            label="Chargeback"
            value={money(digest.chargeback.total)}
            amount={digest.chargeback.total}
            detail="Own cost plus share of shared cost"
          />
        )}
      </Box>
      <Typography variant="body2" color="textSecondary">
        {lastYearText(digest)}
        {digest.dataThrough && ` Cost data reaches ${digest.dataThrough} only.`}
      </Typography>

      {digest.topEntities.length > 0 && (
        <Section title="Top entities">
          <ChangeTable
            caption={`Top entities, ${periodTitle}`}
            nameTitle="Entity"
            items={digest.topEntities}
            currency={digest.currency}
            entityRefs
          />
        </Section>
      )}
      {digest.topServices.length > 0 && (
        <Section title="Top services">
          <ChangeTable
            caption={`Top services, ${periodTitle}`}
            nameTitle="Service"
            items={digest.topServices}
            currency={digest.currency}
          />
        </Section>
      )}

      {(digest.unitCosts.length > 0 ||
        (digest.ownUnitCosts ?? []).length > 0) && (
        <Section title="Cost per unit">
          <List dense disablePadding>
            {(digest.ownUnitCosts ?? []).map(item => (
              <ListItem
                key={`own:${item.metric}`}
                disableGutters
                data-testid="costscope-review-own-unit-cost"
              >
                <ListItemText
                  primary={`${digest.title ?? 'This team'}, all in: ${
                    item.unitCost === null
                      ? `no ${item.metric} in this period`
                      : `${formatUnitCost(
                          item.unitCost,
                          digest.currency,
                        )} per ${item.unit}`
                  }`}
                  secondary={`${ownScopeText(digest, item)}${
                    item.previousUnitCost === null
                      ? ''
                      : ` ${formatUnitCost(
                          item.previousUnitCost,
                          digest.currency,
                        )} ${previousPeriodText(digest)}.`
                  }`}
                />
              </ListItem>
            ))}
            {digest.unitCosts.map(item => (
              <ListItem key={`${item.entityRef}:${item.metric}`} disableGutters>
                <ListItemText
                  primary={
                    <>
                      <EntityName entityRef={item.entityRef} />:{' '}
                      {item.unitCost === null
                        ? `no ${item.metric} in this period`
                        : `${formatUnitCost(
                            item.unitCost,
                            digest.currency,
                          )} per ${item.unit}`}
                    </>
                  }
                  secondary={
                    item.previousUnitCost === null
                      ? `No ${item.metric} ${previousPeriodText(digest)}`
                      : `${formatUnitCost(
                          item.previousUnitCost,
                          digest.currency,
                        )} ${previousPeriodText(digest)}`
                  }
                />
              </ListItem>
            ))}
          </List>
        </Section>
      )}

      <Section title="Budgets at risk">
        {digest.budgetsAtRisk.length === 0 ? (
          <Typography variant="body2" color="textSecondary">
            No budget at risk.
          </Typography>
        ) : (
          <List dense disablePadding>
            {digest.budgetsAtRisk.map(budget => (
              <ListItem key={budget.entityRef} disableGutters>
                <ListItemText
                  primary={
                    <>
                      <EntityName
                        entityRef={budget.entityRef}
                        label={budget.title}
                      />{' '}
                      <BudgetStateChip state={budget.state} />
                    </>
                  }
                  secondary={`${money(budget.spent)} of ${money(
                    budget.amount,
                  )} spent, forecast ${money(budget.forecast)} (${
                    budget.period.from
                  } – ${budget.period.to})`}
                />
              </ListItem>
            ))}
          </List>
        )}
      </Section>

      <Section title="Alerts">
        {digest.alerts.length === 0 ? (
          <Typography variant="body2" color="textSecondary">
            No alert in this period.
          </Typography>
        ) : (
          <List dense disablePadding>
            {digest.alerts.map(alert => (
              <ListItem key={alert.id} disableGutters>
                <ListItemText
                  primary={<Link to={alert.link}>{alert.title}</Link>}
                  secondary={alert.createdAt.slice(0, 10)}
                />
              </ListItem>
            ))}
          </List>
        )}
      </Section>

      <Section title="Savings">
        <Typography variant="body2" data-testid="costscope-review-savings">
          {digest.savings.openCount === 0
            ? 'No open savings tip.'
            : `${digest.savings.openCount} open tip${
                digest.savings.openCount === 1 ? '' : 's'
              } worth ${money(digest.savings.monthlySaving)} a month.`}
        </Typography>
        {digest.savings.top.length > 0 && (
          <List dense disablePadding>
            {digest.savings.top.map(tip => (
              <ListItem key={tip.id} disableGutters>
                <ListItemText
                  primary={tip.action}
                  secondary={`${money(tip.monthlySaving)} a month`}
                />
              </ListItem>
            ))}
          </List>
        )}
      </Section>

      {digest.commitments && (
        <Section title="Commitments">
          <Typography
            variant="body2"
            data-testid="costscope-review-commitments"
          >
            {formatShare(digest.commitments.coverage)} of eligible usage covered
            by Savings Plans or reservations (
            {money(digest.commitments.coveredListCost)} of{' '}
            {money(digest.commitments.eligibleListCost)} at list price),
            effective savings rate{' '}
            {formatShare(digest.commitments.effectiveSavingsRate)}.
          </Typography>
          {digest.commitments.organisation && (
            <Typography variant="body2" color="textSecondary">
              Organisation: utilization{' '}
              {formatShare(digest.commitments.organisation.utilization)},{' '}
              {money(digest.commitments.organisation.unusedCommitmentCost)} of
              commitment unused.
            </Typography>
          )}
        </Section>
      )}

      {digest.compliance && (
        <Section title="Tag compliance by cost">
          <Typography variant="body2">
            {formatShare(digest.compliance.shareByCost)} of cost compliant (
            {formatShare(digest.compliance.previousShareByCost)}{' '}
            {previousPeriodText(digest)}).
          </Typography>
        </Section>
      )}
    </InfoCard>
  );
}
