import { useState } from 'react';
import {
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
} from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import { useApi } from '@backstage/core-plugin-api';
import { costscopeApiRef } from '../../api';
import { errorMessage } from '../../utils/errorMessage';

/** Props of {@link DeleteBudgetDialog}. */
export interface DeleteBudgetDialogProps {
  entityRef: string;
  onClose: () => void;
  onDeleted: () => void;
}

/** Asks before deleting an entity's UI budget, then deletes it. */
export function DeleteBudgetDialog(props: DeleteBudgetDialogProps) {
  const { entityRef, onClose, onDeleted } = props;
  const api = useApi(costscopeApiRef);
  const [deleting, setDeleting] = useState(false);
  const [error, setError] = useState<string | undefined>();

  const confirm = async () => {
    setDeleting(true);
    setError(undefined);
    try {
      await api.deleteEntityBudget(entityRef);
      onDeleted();
    } catch (e) {
      setError(errorMessage(e));
      setDeleting(false);
    }
  };

  const titleId = 'costscope-budget-delete-title';
  return (
    <Dialog
      open
      onClose={deleting ? undefined : onClose}
      aria-labelledby={titleId}
    >
      <DialogTitle id={titleId}>Delete budget?</DialogTitle>
      <DialogContent>
        {error && (
          <Alert severity="error" style={{ marginBottom: 16 }}>
            Could not delete the budget: {error}
          </Alert>
        )}
        <DialogContentText>
          Costscope stops tracking the budget of {entityRef} and sends no more
          alerts for it. Its change history is kept.
        </DialogContentText>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} disabled={deleting}>
          Cancel
        </Button>
        <Button
          onClick={confirm}
          color="secondary"
          variant="contained"
          disabled={deleting}
        >
          {deleting ? 'Deleting…' : 'Delete'}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
