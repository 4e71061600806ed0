import { FormEvent, useRef, useState } from 'react';
import {
  Box,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  IconButton,
  InputAdornment,
  TextField,
  Typography,
} from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import DeleteIcon from '@material-ui/icons/Delete';
import AddIcon from '@material-ui/icons/Add';
import { useApi } from '@backstage/core-plugin-api';
import {
  Budget,
  BudgetInput,
  BudgetPeriod,
  BudgetThreshold,
  COST_BASES,
  CostBasis,
  EntityBudgetResponse,
  moneyToNanos,
} from '@costscope/backstage-plugin-common';
import { costscopeApiRef } from '../../api';
import { useConfiguredCostBasis } from '../../hooks/useCostBasis';
import { BUDGET_PERIOD_LABELS, trimAmount } from '../../utils/budgets';
import { COST_BASIS_TEXT } from '../../utils/costBasis';
import { errorMessage } from '../../utils/errorMessage';

/** The backend's limit (parseBudgetInput). */
const MAX_THRESHOLDS = 10;

/** Thresholds of a new budget: what the backend applies when none are sent. */
const DEFAULT_THRESHOLDS: BudgetThreshold[] = [
  { kind: 'actual', percent: 50 },
  { kind: 'actual', percent: 80 },
  { kind: 'actual', percent: 100 },
  { kind: 'forecast', percent: 100 },
];

const RECIPIENT =
  /^(user|group):([a-z0-9][a-z0-9._-]*\/)?[a-z0-9][a-z0-9._-]*$/i;

interface ThresholdRow {
  /** Stable React key: rows are removed from the middle. */
  key: number;
  kind: BudgetThreshold['kind'];
  percent: string;
}

/** What the form holds: text as typed, so that invalid input can be shown and fixed. */
export interface BudgetForm {
  amount: string;
  period: BudgetPeriod;
  thresholds: Array<Omit<ThresholdRow, 'key'>>;
  recipients: string;
  /** Empty: the budget follows the configured basis (`costscope.costBasis`). */
  costBasis?: CostBasis | '';
}

/** Messages of a form that does not validate. */
export interface BudgetFormErrors {
  amount?: string;
  thresholds: Record<number, string>;
  recipients?: string;
}

function amountError(text: string): string | undefined {
  const amount = text.trim();
  if (!amount) return 'Enter the budget amount.';
  if (!/^\d+(\.\d+)?$/.test(amount)) {
    return 'The amount must be a positive number such as 1200 or 1200.50.';
  }
  if (/\.\d{10,}$/.test(amount)) {
    return 'The amount may have at most 9 decimal places.';
  }
  if (moneyToNanos(amount) === 0n) return 'The amount must be greater than 0.';
  return undefined;
}

function percentError(text: string): string | undefined {
  const percent = text.trim();
  if (!/^\d+(\.\d{1,2})?$/.test(percent)) {
    return 'Enter a percentage such as 80 or 99.5.';
  }
  const value = Number(percent);
  if (!(value > 0 && value <= 1000)) {
    return 'The percentage must be greater than 0 and at most 1000.';
  }
  return undefined;
}

/**
 * Checks a form and builds the budget to send. The server validates again; this only gives
 * quicker, field-level messages.
 */
export function validateBudgetForm(
  form: BudgetForm,
  currency: string,
): { input?: BudgetInput; errors: BudgetFormErrors } {
  const errors: BudgetFormErrors = {
    amount: amountError(form.amount),
    thresholds: {},
  };
  const seen = new Set<string>();
  form.thresholds.forEach((row, index) => {
    const message = percentError(row.percent);
    const key = `${row.kind} ${Number(row.percent)}`;
    if (message) errors.thresholds[index] = message;
    else if (seen.has(key))
      errors.thresholds[index] = 'This threshold repeats.';
    seen.add(key);
  });
  const recipients = form.recipients
    .split(',')
    .map(r => r.trim())
    .filter(Boolean);
  const bad = recipients.filter(r => !RECIPIENT.test(r));
  if (bad.length > 0) {
    errors.recipients = `Not a user or group ref: ${bad.join(
      ', ',
    )}. Use refs such as group:default/team-a.`;
  }
  if (
    errors.amount ||
    errors.recipients ||
    Object.keys(errors.thresholds).length > 0
  ) {
    return { errors };
  }
  return {
    errors,
    input: {
      amount: form.amount.trim(),
      period: form.period,
      currency,
      thresholds: form.thresholds.map(row => ({
        kind: row.kind,
        percent: Number(row.percent),
      })),
      recipients,
      ...(form.costBasis ? { costBasis: form.costBasis } : {}),
    },
  };
}

/** Props of {@link BudgetEditDialog}. */
export interface BudgetEditDialogProps {
  entityRef: string;
  /** The budget to edit; none to create one. */
  budget?: Budget;
  /** The billing currency; saving waits for it. */
  currency: string | undefined;
  /** Why the billing currency is unknown, if reading it failed. */
  currencyError?: Error;
  onClose: () => void;
  onSaved: (response: EntityBudgetResponse) => void;
}

/** Creates or edits an entity's UI budget. */
export function BudgetEditDialog(props: BudgetEditDialogProps) {
  const { entityRef, budget, currency, currencyError, onClose, onSaved } =
    props;
  const api = useApi(costscopeApiRef);
  const configuredBasis = useConfiguredCostBasis();
  const nextKey = useRef(0);
  const row = (threshold: BudgetThreshold): ThresholdRow => ({
    key: nextKey.current++,
    kind: threshold.kind,
    percent: String(threshold.percent),
  });

  const [amount, setAmount] = useState(budget ? trimAmount(budget.amount) : '');
  const [period, setPeriod] = useState<BudgetPeriod>(
    budget?.period ?? 'monthly',
  );
  const [thresholds, setThresholds] = useState<ThresholdRow[]>(() =>
    (budget?.thresholds ?? DEFAULT_THRESHOLDS).map(row),
  );
  const [recipients, setRecipients] = useState(
    budget?.recipients.join(', ') ?? '',
  );
  const [costBasis, setCostBasis] = useState<CostBasis | ''>(
    budget?.costBasis ?? '',
  );
  // Field messages appear once the user tried to save, not while typing the first digit.
  const [errors, setErrors] = useState<BudgetFormErrors | undefined>();
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<string | undefined>();

  const updateThreshold = (key: number, change: Partial<ThresholdRow>) =>
    setThresholds(rows =>
      rows.map(r => (r.key === key ? { ...r, ...change } : r)),
    );

  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (!currency) return;
    const result = validateBudgetForm(
      { amount, period, thresholds, recipients, costBasis },
      currency,
    );
    setErrors(result.errors);
    if (!result.input) return;
    setSaving(true);
    setSaveError(undefined);
    try {
      const response = await api.putEntityBudget(entityRef, result.input);
      onSaved(response);
    } catch (error) {
      setSaveError(errorMessage(error));
      setSaving(false);
    }
  };

  const titleId = 'costscope-budget-edit-title';
  return (
    <Dialog
      open
      onClose={saving ? undefined : onClose}
      maxWidth="sm"
      fullWidth
      aria-labelledby={titleId}
    >
      <form onSubmit={save} noValidate>
        <DialogTitle id={titleId}>
          {budget ? 'Edit budget' : 'Create budget'}
        </DialogTitle>
        <DialogContent>
          {currencyError && (
            <Alert severity="error" style={{ marginBottom: 16 }}>
              Could not read the billing currency: {errorMessage(currencyError)}
            </Alert>
          )}
          {saveError && (
            <Alert severity="error" style={{ marginBottom: 16 }}>
              Could not save the budget: {saveError}
            </Alert>
          )}
          <Box display="flex" style={{ gap: 16 }}>
            <TextField
              id="costscope-budget-amount"
              label="Amount"
              value={amount}
              onChange={e => setAmount(e.target.value)}
              error={Boolean(errors?.amount)}
              helperText={errors?.amount}
              inputProps={{ inputMode: 'decimal' }}
              required
              fullWidth
            />
            <TextField
              id="costscope-budget-currency"
              label="Currency"
              value={currency ?? (currencyError ? 'Unknown' : 'Loading…')}
              InputProps={{ readOnly: true }}
              helperText="The billing currency"
            />
            <TextField
              id="costscope-budget-period"
              select
              label="Period"
              value={period}
              onChange={e => setPeriod(e.target.value as BudgetPeriod)}
              SelectProps={{ native: true }}
            >
              {Object.entries(BUDGET_PERIOD_LABELS).map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </TextField>
            <TextField
              id="costscope-budget-cost-basis"
              select
              label="Counts"
              value={costBasis}
              onChange={e => setCostBasis(e.target.value as CostBasis | '')}
              SelectProps={{ native: true }}
              helperText="The cost basis spend is counted on"
            >
              <option value="">
                As configured ({COST_BASIS_TEXT[configuredBasis].adjective})
              </option>
              {COST_BASES.map(basis => (
                <option key={basis} value={basis}>
                  {COST_BASIS_TEXT[basis].label} cost
                </option>
              ))}
            </TextField>
          </Box>

          <Box mt={3}>
            <Typography variant="subtitle2">Alert thresholds</Typography>
            <Typography variant="caption" color="textSecondary">
              Percent of the budget reached by actual spend or by the forecast
              at period end.
            </Typography>
            {thresholds.length === 0 && (
              <Typography variant="body2">
                No thresholds: this budget sends no alerts.
              </Typography>
            )}
            {thresholds.map((threshold, index) => (
              <Box
                key={threshold.key}
                display="flex"
                alignItems="flex-start"
                mt={1}
                style={{ gap: 16 }}
              >
                <TextField
                  select
                  value={threshold.kind}
                  onChange={e =>
                    updateThreshold(threshold.key, {
                      kind: e.target.value as BudgetThreshold['kind'],
                    })
                  }
                  SelectProps={{ native: true }}
                  inputProps={{ 'aria-label': `Threshold ${index + 1} kind` }}
                >
                  <option value="actual">Actual spend</option>
                  <option value="forecast">Forecast</option>
                </TextField>
                <TextField
                  value={threshold.percent}
                  onChange={e =>
                    updateThreshold(threshold.key, { percent: e.target.value })
                  }
                  error={Boolean(errors?.thresholds[index])}
                  helperText={errors?.thresholds[index]}
                  inputProps={{
                    inputMode: 'decimal',
                    'aria-label': `Threshold ${index + 1} percent`,
                  }}
                  InputProps={{
                    endAdornment: (
                      <InputAdornment position="end">%</InputAdornment>
                    ),
                  }}
                />
                <IconButton
                  aria-label={`Remove threshold ${index + 1}`}
                  size="small"
                  onClick={() =>
                    setThresholds(rows =>
                      rows.filter(r => r.key !== threshold.key),
                    )
                  }
                >
                  <DeleteIcon fontSize="small" />
                </IconButton>
              </Box>
            ))}
            <Button
              size="small"
              startIcon={<AddIcon />}
              disabled={thresholds.length >= MAX_THRESHOLDS}
              onClick={() =>
                setThresholds(rows => [
                  ...rows,
                  row({ kind: 'actual', percent: 100 }),
                ])
              }
              style={{ marginTop: 8 }}
            >
              Add threshold
            </Button>
          </Box>

          <Box mt={3}>
            <TextField
              id="costscope-budget-recipients"
              label="Recipients"
              value={recipients}
              onChange={e => setRecipients(e.target.value)}
              error={Boolean(errors?.recipients)}
              helperText={
                errors?.recipients ??
                'Comma-separated user or group refs, such as group:default/team-a. Empty: the owning group.'
              }
              fullWidth
            />
          </Box>
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose} disabled={saving}>
            Cancel
          </Button>
          <Button
            type="submit"
            color="primary"
            variant="contained"
            disabled={saving || !currency}
          >
            {saving ? 'Saving…' : 'Save'}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
