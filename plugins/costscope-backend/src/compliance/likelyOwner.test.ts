import { KnownEntity, likelyOwner } from './likelyOwner';

const entities: KnownEntity[] = [
  { ref: 'group:default/payments', name: 'payments', kind: 'Group' },
  {
    ref: 'group:default/search',
    name: 'search',
    kind: 'Group',
    accountIds: ['222'],
  },
  { ref: 'user:default/alice', name: 'alice', kind: 'User' },
  {
    ref: 'component:default/checkout-api',
    name: 'checkout-api',
    kind: 'Component',
    ownerRef: 'group:default/payments',
  },
  {
    ref: 'component:default/checkout',
    name: 'checkout',
    kind: 'Component',
    ownerRef: 'group:default/search',
  },
  {
    ref: 'component:default/ui',
    name: 'ui',
    kind: 'Component',
    ownerRef: 'group:default/search',
  },
  {
    ref: 'system:default/billing',
    name: 'billing',
    kind: 'System',
    ownerRef: 'group:default/payments',
    accountIds: ['111'],
  },
  { ref: 'component:default/orphan', name: 'orphan', kind: 'Component' },
];

describe('likelyOwner', () => {
  it('finds the owner from an ownership tag naming a group', () => {
    expect(
      likelyOwner(
        { resourceId: 'i-1', tags: { Owner: ' Payments ' } },
        entities,
      ),
    ).toEqual({
      ownerRef: 'group:default/payments',
      evidence: [
        { kind: 'tag', detail: 'tag Owner=Payments matches group payments' },
      ],
      confidence: 'high',
    });
  });

  it('asks the owner of a component named by a service tag', () => {
    expect(
      likelyOwner(
        { resourceId: 'i-1', tags: { app: 'checkout-api' } },
        entities,
      ),
    ).toEqual({
      ownerRef: 'group:default/payments',
      entityRef: 'component:default/checkout-api',
      evidence: [
        {
          kind: 'tag',
          detail: 'tag app=checkout-api matches component checkout-api',
        },
      ],
      confidence: 'medium',
    });
  });

  it('accepts near matches that differ in punctuation and case', () => {
    expect(
      likelyOwner(
        { resourceId: 'i-1', tags: { service: 'Checkout_API' } },
        entities,
      ),
    ).toEqual(
      expect.objectContaining({
        ownerRef: 'group:default/payments',
        entityRef: 'component:default/checkout-api',
        confidence: 'low',
      }),
    );
  });

  it('reads the local part of an e-mail in an ownership tag', () => {
    expect(
      likelyOwner(
        { resourceId: 'i-1', tags: { contact: 'alice@example.com' } },
        entities,
      ),
    ).toEqual(expect.objectContaining({ ownerRef: 'user:default/alice' }));
  });

  it('matches Unicode names in any normal form', () => {
    const owner = likelyOwner(
      { resourceId: 'i-1', tags: { team: 'e\u0301quipe-données' } },
      [
        {
          ref: 'group:default/équipe-données',
          name: 'équipe-données',
          kind: 'Group',
        },
      ],
    );
    expect(owner?.ownerRef).toBe('group:default/équipe-données');
  });

  it('uses the account mapped to an entity', () => {
    expect(
      likelyOwner({ resourceId: 'i-1', accountId: '111', tags: {} }, entities),
    ).toEqual({
      ownerRef: 'group:default/payments',
      entityRef: 'system:default/billing',
      evidence: [
        { kind: 'account', detail: 'account 111 is mapped to system billing' },
      ],
      confidence: 'low',
    });
  });

  it('uses the longest component name the resource name starts with', () => {
    expect(
      likelyOwner(
        { resourceId: 'i-1', resourceName: 'checkout-api-worker-3', tags: {} },
        entities,
      ),
    ).toEqual({
      ownerRef: 'group:default/payments',
      entityRef: 'component:default/checkout-api',
      evidence: [
        {
          kind: 'name',
          detail:
            'name checkout-api-worker-3 starts with component checkout-api',
        },
      ],
      confidence: 'low',
    });
    // Whole words only, and very short names are ignored.
    expect(
      likelyOwner(
        { resourceId: 'i-1', resourceName: 'checkoutx', tags: {} },
        entities,
      ),
    ).toBeUndefined();
    expect(
      likelyOwner(
        { resourceId: 'i-1', resourceName: 'ui-assets', tags: {} },
        entities,
      ),
    ).toBeUndefined();
  });

  it('reads the name from the last segment of an ARN', () => {
    expect(
      likelyOwner(
        { resourceId: 'arn:aws:s3:::checkout-assets', tags: {} },
        entities,
      )?.entityRef,
    ).toBe('component:default/checkout');
  });

  it('adds up agreeing clues', () => {
    const owner = likelyOwner(
      {
        resourceId: 'i-1',
        resourceName: 'checkout-api-1',
        accountId: '111',
        tags: { app: 'checkout-api' },
      },
      entities,
    );
    expect(owner).toEqual({
      ownerRef: 'group:default/payments',
      entityRef: 'component:default/checkout-api',
      evidence: [
        {
          kind: 'tag',
          detail: 'tag app=checkout-api matches component checkout-api',
        },
        { kind: 'account', detail: 'account 111 is mapped to system billing' },
        {
          kind: 'name',
          detail: 'name checkout-api-1 starts with component checkout-api',
        },
      ],
      confidence: 'high',
    });
  });

  it('weighs disagreeing clues and lowers confidence', () => {
    // team says search (4), the account says payments (2).
    const owner = likelyOwner(
      { resourceId: 'i-1', accountId: '111', tags: { team: 'search' } },
      entities,
    );
    expect(owner?.ownerRef).toBe('group:default/search');
    expect(owner?.confidence).toBe('medium');
    const rival = likelyOwner(
      { resourceId: 'i-1', accountId: '222', tags: { project: 'billing' } },
      entities,
    );
    // project=billing names the system (3) owned by payments; account 222 is search's (2).
    expect(rival?.ownerRef).toBe('group:default/payments');
    expect(rival?.confidence).toBe('medium');
    const even = likelyOwner(
      { resourceId: 'i-1', accountId: '111', tags: { squad: 'Search' } },
      [
        { ref: 'group:default/search', name: 'search', kind: 'Group' },
        {
          ref: 'group:default/payments',
          name: 'payments',
          kind: 'Group',
          accountIds: ['111'],
        },
        {
          ref: 'group:default/other',
          name: 'other',
          kind: 'Group',
          accountIds: ['111'],
        },
      ],
      { ownerTagKeys: ['team'], entityTagKeys: ['squad'] },
    );
    // squad is now an entity key naming a group: weight 2, tied with two accounts; the first
    // ref wins, with low confidence.
    expect(even).toEqual(
      expect.objectContaining({
        ownerRef: 'group:default/other',
        confidence: 'low',
      }),
    );
  });

  it('skips entities without an owner and values that are not names', () => {
    expect(
      likelyOwner({ resourceId: 'i-1', tags: { service: 'orphan' } }, entities),
    ).toBeUndefined();
    expect(
      likelyOwner(
        {
          resourceId: 'i-1',
          tags: { team: '', owner: null, app: { x: 1 }, env: 'payments' },
        },
        entities,
      ),
    ).toBeUndefined();
    expect(
      likelyOwner({ resourceId: 'i-0abc', tags: {} }, entities),
    ).toBeUndefined();
  });

  it('accepts a full entity ref as a tag value', () => {
    expect(
      likelyOwner(
        { resourceId: 'i-1', tags: { owner: 'group:default/search' } },
        entities,
      )?.ownerRef,
    ).toBe('group:default/search');
  });
});
