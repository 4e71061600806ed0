import { Budget } from '@costscope/backstage-plugin-common';
import { SnapshotEntity } from '../allocation/catalogSnapshot';
import { budgetEditAccess, owningGroupOf } from './budgetAccess';

const component: SnapshotEntity = {
  ref: 'component:default/api',
  kind: 'component',
  name: 'api',
  ownerRef: 'group:default/team-a',
  annotations: {},
};
const group: SnapshotEntity = {
  ref: 'group:default/team-a',
  kind: 'group',
  name: 'team-a',
  annotations: {},
};

describe('owningGroupOf', () => {
  it("is a group itself, else the entity's owner", () => {
    expect(owningGroupOf(component)).toBe('group:default/team-a');
    expect(owningGroupOf(group)).toBe('group:default/team-a');
    expect(owningGroupOf({ ...component, ownerRef: undefined })).toBeUndefined();
  });
});

describe('budgetEditAccess', () => {
  it("follows the policy's answer for UI budgets, saying why not", () => {
    expect(budgetEditAccess(true, undefined)).toEqual({ canEdit: true });
    expect(budgetEditAccess(false, undefined)).toEqual({
      canEdit: false,
      readOnlyReason:
        'Your permissions do not let you change this budget (permission costscope.entity.budget.update).',
    });
  });

  it('keeps declared budgets read-only for everyone the policy allows', () => {
    expect(budgetEditAccess(true, { source: 'config' } as Budget)).toEqual({
      canEdit: false,
      readOnlyReason:
        'This budget is declared in app-config (costscope.budgets); change it there.',
    });
    expect(
      budgetEditAccess(true, { source: 'annotation' } as Budget),
    ).toMatchObject({ canEdit: false });
  });
});
