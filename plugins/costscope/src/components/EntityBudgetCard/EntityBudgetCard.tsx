import { ReactNode, useState } from 'react';
import {
  Box,
  Button,
  LinearProgress,
  Typography,
  makeStyles,
  useTheme,
} from '@material-ui/core';
import { alpha } from '@material-ui/core/styles';
import Alert from '@material-ui/lab/Alert';
import { InfoCard } from '@backstage/core-components';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import type {
  Budget,
  BudgetStatus,
  EntityBudgetResponse,
} from '@costscope/backstage-plugin-common';
import { useBillingCurrency, useEntityBudget } from '../../hooks';
import {
  BUDGET_MONTHLY_ANNOTATION,
  BUDGET_PERIOD_LABELS,
  BUDGET_PERIOD_UNITS,
  BUDGET_SOURCE_LABELS,
  formatPercent,
  formatThreshold,
  lastDayOf,
} from '../../utils/budgets';
import { formatDateTime, formatMoney } from '../../utils/format';
import { BudgetStateChip, budgetStateColor } from '../BudgetStateChip';
import { CostFigure } from '../CostFigure';
import { AsyncContent } from '../AsyncContent';
import { withBasis } from '../../utils/costBasis';
import { BudgetEditDialog } from './BudgetEditDialog';
import { BudgetHistory } from './BudgetHistory';
import { DeleteBudgetDialog } from './DeleteBudgetDialog';

const useProgressStyles = makeStyles({
  root: (props: { color: string }) => ({
    height: 10,
    borderRadius: 5,
    backgroundColor: alpha(props.color, 0.2),
  }),
  bar: (props: { color: string }) => ({
    borderRadius: 5,
    backgroundColor: props.color,
  }),
});

/** Spent against the budget, as a bar in the state's colour (capped at full). */
function BudgetProgress(props: { status: BudgetStatus }) {
  const { status } = props;
  const theme = useTheme();
  const classes = useProgressStyles({
    color: budgetStateColor(theme, status.state),
  });
  const { currency } = status.budget;
  return (
    <Box>
      <LinearProgress
        variant="determinate"
        value={Math.min(100, Math.max(0, status.percentUsed))}
        classes={{ root: classes.root, bar: classes.bar }}
        aria-label="Budget used"
        aria-valuetext={`${formatPercent(status.percentUsed)} used`}
      />
      <Typography variant="body2" style={{ marginTop: 4 }}>
        <span data-testid="costscope-budget-percent">
          {formatPercent(status.percentUsed)}
        </span>{' '}
        used: {formatMoney(status.spent, currency)} of{' '}
        {formatMoney(status.budget.amount, currency)}
      </Typography>
    </Box>
  );
}

/** A small labelled value. */
function Fact(props: { label: string; value: ReactNode; testId?: string }) {
  return (
    <Box minWidth={120}>
      <Typography variant="caption" color="textSecondary" component="div">
        {props.label}
      </Typography>
      <Typography variant="body1" component="div" data-testid={props.testId}>
        {props.value}
      </Typography>
    </Box>
  );
}

function BudgetFigures(props: { status: BudgetStatus }) {
  const { status } = props;
  const { budget, forecast } = status;
  const { currency } = budget;
  return (
    <>
      <Box display="flex" flexWrap="wrap" style={{ gap: 32 }}>
        <CostFigure
          label="Budget"
          value={formatMoney(budget.amount, currency)}
          testId="costscope-budget-amount"
          amount={budget.amount}
          detail={BUDGET_PERIOD_UNITS[budget.period] ?? budget.period}
        />
        <CostFigure
          label={withBasis('Spent so far', status.costBasis)}
          value={formatMoney(status.spent, currency)}
          testId="costscope-budget-spent"
          amount={status.spent}
        />
        <CostFigure
          label="Forecast at period end"
          value={formatMoney(forecast.amount, currency)}
          testId="costscope-budget-forecast"
          amount={forecast.amount}
          detail={
            <span data-testid="costscope-budget-interval">
              80% interval: {formatMoney(forecast.low, currency)} –{' '}
              {formatMoney(forecast.high, currency)}
            </span>
          }
        />
      </Box>
      <Box display="flex" flexWrap="wrap" mt={2} style={{ gap: 32 }}>
        <Fact
          label="Burn rate"
          value={`${formatMoney(status.dailyRate, currency)} per day`}
          testId="costscope-budget-rate"
        />
        <Fact
          label="Days left"
          value={status.daysLeft}
          testId="costscope-budget-days-left"
        />
        <Fact
          label="Data through"
          value={status.dataThrough ?? '–'}
          testId="costscope-budget-data-through"
        />
      </Box>
    </>
  );
}

/** Where the overriding budget is declared, for a sentence. */
const DECLARED_IN: Record<string, string> = {
  annotation: "the entity's annotations",
  config: 'app-config',
};

/** Where the budget comes from, and the UI budget it overrides if any. */
function BudgetSource(props: { status: BudgetStatus }) {
  const { budget, overridden } = props.status;
  const by =
    budget.source === 'ui' && budget.updatedBy
      ? `, last changed by ${budget.updatedBy} on ${formatDateTime(
          budget.updatedAt,
        )}`
      : '';
  return (
    <Box mt={2}>
      <Typography variant="body2" data-testid="costscope-budget-source">
        {BUDGET_SOURCE_LABELS[budget.source] ?? budget.source}
        {by}.
      </Typography>
      {overridden && (
        <Alert severity="info" style={{ marginTop: 8 }}>
          A budget of {formatMoney(overridden.amount, overridden.currency)}{' '}
          {BUDGET_PERIOD_UNITS[overridden.period] ?? overridden.period} set in
          Costscope is overridden by this one, declared in{' '}
          {DECLARED_IN[budget.source] ?? budget.source}.
        </Alert>
      )}
    </Box>
  );
}

function ReadOnlyReason(props: { reason?: string }) {
  if (!props.reason) return null;
  return (
    <Typography
      variant="caption"
      color="textSecondary"
      component="p"
      data-testid="costscope-budget-read-only"
    >
      {props.reason}
    </Typography>
  );
}

function NoBudget(props: {
  response: EntityBudgetResponse;
  onCreate: () => void;
}) {
  const { response, onCreate } = props;
  return (
    <Box>
      <Typography variant="h6">No budget</Typography>
      {response.canEdit ? (
        <>
          <Typography variant="body2" paragraph>
            Set a budget to follow spend against it and be alerted before it
            runs over.
          </Typography>
          <Button variant="contained" color="primary" onClick={onCreate}>
            Create budget
          </Button>
        </>
      ) : (
        <>
          <ReadOnlyReason reason={response.readOnlyReason} />
          <Typography variant="body2">
            Declare one as code in the entity's <code>catalog-info.yaml</code>,
            for example <code>{`${BUDGET_MONTHLY_ANNOTATION}: "1200"`}</code>{' '}
            under <code>metadata.annotations</code>.
          </Typography>
        </>
      )}
    </Box>
  );
}

function BudgetBody(props: {
  response: EntityBudgetResponse;
  status: BudgetStatus;
  onEdit: () => void;
  onDelete?: () => void;
}) {
  const { response, status, onEdit, onDelete } = props;
  return (
    <Box>
      <BudgetProgress status={status} />
      <Box mt={2}>
        <BudgetFigures status={status} />
      </Box>
      {status.crossed.length > 0 && (
        <Typography variant="body2" style={{ marginTop: 16 }}>
          Crossed this period: {status.crossed.map(formatThreshold).join(', ')}
        </Typography>
      )}
      <BudgetSource status={status} />
      <Box mt={2} display="flex" style={{ gap: 8 }}>
        {response.canEdit ? (
          <>
            <Button variant="outlined" color="primary" onClick={onEdit}>
              Edit
            </Button>
            {onDelete && (
              <Button variant="outlined" onClick={onDelete}>
                Delete
              </Button>
            )}
          </>
        ) : (
          <ReadOnlyReason reason={response.readOnlyReason} />
        )}
      </Box>
    </Box>
  );
}

/** The UI budget of a status: the budget itself, or the one a declared budget overrides. */
function uiBudgetOf(status: BudgetStatus | null): Budget | undefined {
  if (!status) return undefined;
  return status.budget.source === 'ui' ? status.budget : status.overridden;
}

/** A card with an entity's budget: spend, burn rate, forecast and state; edits the UI budget. */
export function EntityBudgetCard() {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const budget = useEntityBudget(entityRef);
  const { value, retry } = budget;
  const [dialog, setDialog] = useState<'edit' | 'delete' | undefined>();
  // Bumped after each change, so that an open history reloads.
  const [revision, setRevision] = useState(0);
  const status = value?.status ?? null;
  // An existing budget is in the billing currency; a first one takes the cost summary's.
  const billing = useBillingCurrency(entityRef, dialog === 'edit' && !status);
  const currency = status?.budget.currency ?? billing.value;
  const uiBudget = uiBudgetOf(status);

  const changed = () => {
    setDialog(undefined);
    setRevision(r => r + 1);
    retry();
  };

  return (
    <InfoCard
      title="Budget"
      subheader={
        status
          ? `${BUDGET_PERIOD_LABELS[status.budget.period]}, ${
              status.period.from
            } – ${lastDayOf(status.period)}`
          : undefined
      }
      action={status ? <BudgetStateChip state={status.state} /> : undefined}
    >
      {/* A refresh keeps the previous answer on screen instead of flashing a spinner. */}
      <AsyncContent state={budget} keepValueWhileLoading>
        {response =>
          response.status ? (
            <BudgetBody
              response={response}
              status={response.status}
              onEdit={() => setDialog('edit')}
              onDelete={uiBudget ? () => setDialog('delete') : undefined}
            />
          ) : (
            <NoBudget response={response} onCreate={() => setDialog('edit')} />
          )
        }
      </AsyncContent>
      {value && <BudgetHistory entityRef={entityRef} revision={revision} />}
      {dialog === 'edit' && (
        <BudgetEditDialog
          entityRef={entityRef}
          budget={uiBudget}
          currency={currency}
          currencyError={billing.error}
          onClose={() => setDialog(undefined)}
          onSaved={changed}
        />
      )}
      {dialog === 'delete' && (
        <DeleteBudgetDialog
          entityRef={entityRef}
          onClose={() => setDialog(undefined)}
          onDeleted={changed}
        />
      )}
    </InfoCard>
  );
}
