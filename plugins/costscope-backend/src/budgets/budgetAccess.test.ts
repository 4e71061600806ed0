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
const member = {
  ownershipRefs: ['user:default/dana', 'Group:default/Team-A'],
  isAdmin: false,
};
const outsider = {
  ownershipRefs: ['user:default/olli', 'group:default/team-b'],
  isAdmin: false,
};

describe('budgetEditAccess', () => {
  it('lets members of the owning group edit, whatever the case of refs', () => {
    expect(owningGroupOf(component)).toBe('group:default/team-a');
    expect(owningGroupOf(group)).toBe('group:default/team-a');
    expect(budgetEditAccess(component, member, undefined)).toEqual({
      canEdit: true,
    });
    expect(budgetEditAccess(group, member, undefined)).toEqual({
      canEdit: true,
    });
  });

  it('says why others may not', () => {
    expect(budgetEditAccess(component, outsider, undefined)).toEqual({
      canEdit: false,
      readOnlyReason:
        'Only members of group:default/team-a and Costscope admins can change this budget.',
    });
    expect(
      budgetEditAccess(
        { ...component, ownerRef: undefined },
        outsider,
        undefined,
      ),
    ).toMatchObject({
      canEdit: false,
      readOnlyReason: expect.stringContaining('no owner'),
    });
    expect(
      budgetEditAccess(
        component,
        { ownershipRefs: [], isAdmin: true },
        undefined,
      ),
    ).toEqual({ canEdit: true });
  });

  it('keeps declared budgets read-only for everyone, admins included', () => {
    const declared = { source: 'config' } as Budget;
    expect(
      budgetEditAccess(
        component,
        { ownershipRefs: [], isAdmin: true },
        declared,
      ),
    ).toEqual({
      canEdit: false,
      readOnlyReason:
        'This budget is declared in app-config (costscope.budgets); change it there.',
    });
  });
});
