import { isCostscopeAvailable } from './isCostscopeAvailable';

const entity = (kind: string, annotations?: Record<string, string>) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind,
  metadata: { name: 'x', annotations },
});

describe('isCostscopeAvailable', () => {
  it('is true for the kinds cost rolls up to', () => {
    for (const kind of ['Component', 'System', 'Domain', 'Group']) {
      expect(isCostscopeAvailable(entity(kind))).toBe(true);
    }
  });

  it('is false for other kinds without a mapping annotation', () => {
    expect(isCostscopeAvailable(entity('API'))).toBe(false);
    expect(isCostscopeAvailable(entity('Resource', { other: 'x' }))).toBe(
      false,
    );
  });

  it('is true for any entity with a mapping annotation', () => {
    expect(
      isCostscopeAvailable(
        entity('Resource', { 'costscope.io/aws-account-ids': '111122223333' }),
      ),
    ).toBe(true);
    expect(
      isCostscopeAvailable(
        entity('API', { 'costscope.io/cost-tags': 'service=x' }),
      ),
    ).toBe(true);
  });
});
