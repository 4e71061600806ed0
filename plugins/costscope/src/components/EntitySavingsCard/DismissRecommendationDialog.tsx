import { FormEvent, useState } from 'react';
import {
  Box,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
  FormControl,
  FormControlLabel,
  FormLabel,
  Radio,
  RadioGroup,
  TextField,
} from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import { useApi } from '@backstage/core-plugin-api';
import type {
  Recommendation,
  RecommendationStateInput,
} from '@costscope/backstage-plugin-common';
import { costscopeApiRef } from '../../api';
import { formatMoney } from '../../utils/format';
import {
  MAX_REASON_LENGTH,
  nextDay,
  resourceLabel,
  todayUtc,
} from '../../utils/recommendations';
import { errorMessage } from '../../utils/errorMessage';

type SetAsideState = 'dismissed' | 'snoozed';

/** What the form holds, as typed. */
export interface DismissRecommendationForm {
  state: SetAsideState;
  reason: string;
  /** `YYYY-MM-DD`, for a snooze. */
  until: string;
}

/** Messages of a form that does not validate. */
export interface DismissRecommendationFormErrors {
  reason?: string;
  until?: string;
}

/**
 * Checks a form and builds the body to send. The server validates again (and answers 400
 * naming the field); this only gives quicker, field-level messages.
 */
export function validateDismissRecommendationForm(
  form: DismissRecommendationForm,
  today: string,
): {
  input?: RecommendationStateInput;
  errors: DismissRecommendationFormErrors;
} {
  const errors: DismissRecommendationFormErrors = {};
  const reason = form.reason.trim();
  if (!reason) errors.reason = 'Enter a reason.';
  // Characters as the server counts them (code points, not UTF-16 units).
  else if ([...reason].length > MAX_REASON_LENGTH) {
    errors.reason = `The reason may have at most ${MAX_REASON_LENGTH} characters.`;
  }
  if (form.state === 'snoozed') {
    if (!form.until) errors.until = 'Pick the day the tip comes back.';
    else if (!/^\d{4}-\d{2}-\d{2}$/.test(form.until)) {
      errors.until = 'Enter a date such as 2024-06-30.';
    } else if (form.until <= today) {
      errors.until = 'Pick a day after today.';
    }
  }
  if (errors.reason || errors.until) return { errors };
  return {
    errors,
    input:
      form.state === 'snoozed'
        ? { state: 'snoozed', reason, until: form.until }
        : { state: 'dismissed', reason },
  };
}

/** Props of {@link DismissRecommendationDialog}. */
export interface DismissRecommendationDialogProps {
  recommendation: Recommendation;
  onClose: () => void;
  onSaved: (recommendation: Recommendation) => void;
}

/** Dismisses a recommendation for good, or snoozes it until a day; a reason is required. */
export function DismissRecommendationDialog(
  props: DismissRecommendationDialogProps,
) {
  const { recommendation, onClose, onSaved } = props;
  const api = useApi(costscopeApiRef);
  const [state, setState] = useState<SetAsideState>('dismissed');
  const [reason, setReason] = useState('');
  const [until, setUntil] = useState('');
  // Field messages appear once the user tried to save, not while typing.
  const [errors, setErrors] = useState<
    DismissRecommendationFormErrors | undefined
  >();
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<string | undefined>();
  const today = todayUtc();

  const save = async (event: FormEvent) => {
    event.preventDefault();
    const result = validateDismissRecommendationForm(
      { state, reason, until },
      today,
    );
    setErrors(result.errors);
    if (!result.input) return;
    setSaving(true);
    setSaveError(undefined);
    try {
      onSaved(
        await api.setRecommendationState(recommendation.id, result.input),
      );
    } catch (error) {
      setSaveError(errorMessage(error));
      setSaving(false);
    }
  };

  const verb = state === 'snoozed' ? 'snooze' : 'dismiss';
  const titleId = 'costscope-tip-dismiss-title';
  return (
    <Dialog
      open
      onClose={saving ? undefined : onClose}
      maxWidth="sm"
      fullWidth
      aria-labelledby={titleId}
    >
      <form onSubmit={save} noValidate>
        <DialogTitle id={titleId}>Dismiss savings tip</DialogTitle>
        <DialogContent>
          {saveError && (
            <Alert severity="error" style={{ marginBottom: 16 }}>
              Could not {verb} the tip: {saveError}
            </Alert>
          )}
          <DialogContentText>
            {resourceLabel(recommendation)}: {recommendation.action} (
            {formatMoney(recommendation.monthlySaving, recommendation.currency)}{' '}
            per month). A dismissed or snoozed tip no longer counts in the
            total.
          </DialogContentText>
          <FormControl component="fieldset">
            <FormLabel component="legend">Set it aside</FormLabel>
            <RadioGroup
              name="costscope-tip-state"
              value={state}
              onChange={e => setState(e.target.value as SetAsideState)}
            >
              <FormControlLabel
                value="dismissed"
                control={<Radio />}
                label="Dismiss: it comes back only if its evidence changes a lot"
              />
              <FormControlLabel
                value="snoozed"
                control={<Radio />}
                label="Snooze until a date"
              />
            </RadioGroup>
          </FormControl>
          {state === 'snoozed' && (
            <Box mt={2}>
              <TextField
                id="costscope-tip-until"
                label="Snooze until"
                type="date"
                value={until}
                onChange={e => setUntil(e.target.value)}
                error={Boolean(errors?.until)}
                helperText={
                  errors?.until ?? 'The tip comes back on this day (UTC).'
                }
                InputLabelProps={{ shrink: true }}
                inputProps={{ min: nextDay(today) }}
                required
              />
            </Box>
          )}
          <Box mt={2}>
            <TextField
              id="costscope-tip-reason"
              label="Reason"
              value={reason}
              onChange={e => setReason(e.target.value)}
              error={Boolean(errors?.reason)}
              helperText={
                errors?.reason ??
                `Why, for your team and for later (${reason.length}/${MAX_REASON_LENGTH}).`
              }
              inputProps={{ maxLength: MAX_REASON_LENGTH }}
              multiline
              minRows={2}
              required
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
            disabled={saving}
          >
            {state === 'snoozed' ? 'Snooze' : 'Dismiss'}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
