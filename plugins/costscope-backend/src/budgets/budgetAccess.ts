import { Budget } from '@costscope/backstage-plugin-common';
import { SnapshotEntity } from '../allocation/catalogSnapshot';

/** Who is asking, as far as budget editing cares. */
export interface BudgetEditor {
  /** The user's own ref and the groups it belongs to; empty for services. */
  ownershipRefs: string[];
  /** Holds `costscope.admin`: may edit every budget. */
  isAdmin: boolean;
}

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
 * Members of the owning group and admins edit UI budgets; a budget declared as code is
 * changed where it is declared, so nobody edits it from the card.
 */
export function budgetEditAccess(
  entity: SnapshotEntity,
  editor: BudgetEditor,
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
  if (editor.isAdmin) return { canEdit: true };
  const owner = owningGroupOf(entity);
  const refs = editor.ownershipRefs.map(ref => ref.toLocaleLowerCase('en-US'));
  if (owner && refs.includes(owner)) return { canEdit: true };
  return {
    canEdit: false,
    readOnlyReason: owner
      ? `Only members of ${owner} and Costscope admins can change this budget.`
      : 'This entity has no owner; only Costscope admins can change its budget.',
  };
}
