import {
  Budget,
  entityBudgetUpdatePermission,
} from '@costscope/backstage-plugin-common';
import { SnapshotEntity } from '../allocation/catalogSnapshot';

/** Whether an editor may change an entity's UI budget, and why not. */
export interface BudgetEditAccess {
  canEdit: boolean;
  readOnlyReason?: string;
}

/** The group whose members own an entity's budget: a group itself, else the entity's owner. */
export function owningGroupOf(entity: SnapshotEntity): string | undefined {
  return entity.kind === 'group' ? entity.ref : entity.ownerRef;
}

/**
 * Whether a UI budget can be changed from the card: the permission policy decides who may
 * (`costscope.entity.budget.update` for the entity); a budget declared as code is changed
 * where it is declared, so nobody edits it from the card.
 */
export function budgetEditAccess(
  mayEdit: boolean,
  declared: Budget | undefined,
): BudgetEditAccess {
  if (declared) {
    return {
      canEdit: false,
      readOnlyReason:
        declared.source === 'config'
          ? 'This budget is declared in app-config (costscope.budgets); change it there.'
          : "This budget is declared in the entity's annotations; change it in its catalog-info.yaml.",
    };
  }
  if (mayEdit) return { canEdit: true };
  return {
    canEdit: false,
    readOnlyReason: `Your permissions do not let you change this budget (permission ${entityBudgetUpdatePermission.name}).`,
  };
}
