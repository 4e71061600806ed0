import { SnapshotEntity } from '../allocation/catalogSnapshot';
import { loadEntityResources } from './entityResource';
import { costscopeEntityRules } from './rules';

const entities: SnapshotEntity[] = [
  { ref: 'group:default/org', kind: 'group', name: 'org', annotations: {} },
  {
    ref: 'group:default/team-a',
    kind: 'group',
    name: 'team-a',
    parentRef: 'group:default/org',
    annotations: {},
  },
  {
    ref: 'domain:default/shop',
    kind: 'domain',
    name: 'shop',
    ownerRef: 'group:default/org',
    annotations: {},
  },
  {
    ref: 'system:default/store',
    kind: 'system',
    name: 'store',
    ownerRef: 'group:default/team-a',
    parentRef: 'domain:default/shop',
    annotations: {},
  },
  {
    ref: 'component:default/api',
    kind: 'component',
    name: 'api',
    ownerRef: 'user:default/dana',
    parentRef: 'system:default/store',
    annotations: {},
  },
];

async function resource(ref: string) {
  const [loaded] = await loadEntityResources(
    async r => entities.find(e => e.ref === r),
    [ref],
  );
  return loaded!;
}

describe('Costscope entity rules', () => {
  it('IS_ENTITY_KIND matches kinds case-insensitively', async () => {
    const { isEntityKind } = costscopeEntityRules;
    const team = await resource('group:default/team-a');
    expect(isEntityKind.apply(team, { kinds: ['Group'] })).toBe(true);
    expect(isEntityKind.apply(team, { kinds: ['component'] })).toBe(false);
  });

  it('IS_IN_DOMAIN matches the domain and what is in it, not groups', async () => {
    const { isInDomain } = costscopeEntityRules;
    for (const ref of [
      'domain:default/shop',
      'system:default/store',
      'component:default/api',
    ]) {
      expect(isInDomain.apply(await resource(ref), { domain: 'shop' })).toBe(
        true,
      );
    }
    expect(
      isInDomain.apply(await resource('group:default/team-a'), {
        domain: 'domain:default/shop',
      }),
    ).toBe(false);
    expect(
      isInDomain.apply(await resource('component:default/api'), {
        domain: 'other',
      }),
    ).toBe(false);
  });

  it('IS_ENTITY_OR_ANCESTOR_OWNER follows the system and parent groups only with ancestors', async () => {
    const { isEntityOrAncestorOwner } = costscopeEntityRules;
    const api = await resource('component:default/api');
    const claims = ['group:default/org'];
    expect(isEntityOrAncestorOwner.apply(api, { claims })).toBe(true);
    expect(
      isEntityOrAncestorOwner.apply(api, { claims, ancestors: false }),
    ).toBe(false);
    expect(
      isEntityOrAncestorOwner.apply(api, {
        claims: ['User:default/Dana'],
        ancestors: false,
      }),
    ).toBe(true);
  });
});
