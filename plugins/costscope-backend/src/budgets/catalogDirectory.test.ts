import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { BUDGET_MONTHLY_ANNOTATION } from '@costscope/backstage-plugin-common';
import { entity } from '../__testUtils__/entities';
import {
  ANNOTATED_ENTITIES_TTL_MS,
  catalogDirectory,
} from './catalogDirectory';

describe('catalogDirectory', () => {
  const catalog = catalogServiceMock({
    entities: [
      entity(
        'Component',
        'api',
        { owner: 'team-a' },
        {
          [BUDGET_MONTHLY_ANNOTATION]: '100',
        },
      ),
      entity('Component', 'web', { owner: 'team-a' }),
    ],
  });
  const getEntities = jest.spyOn(catalog, 'getEntities');
  let clock = 0;
  const directory = catalogDirectory(catalog, mockServices.auth(), () => clock);

  beforeEach(() => getEntities.mockClear());

  it('keeps the annotated entities for a while, then asks the catalog again', async () => {
    clock = 1_000;
    const first = await directory.listEntitiesWithBudgetAnnotations();
    expect(first.map(e => e.ref)).toEqual(['component:default/api']);
    clock += ANNOTATED_ENTITIES_TTL_MS - 1;
    await Promise.all([
      directory.listEntitiesWithBudgetAnnotations(),
      directory.listEntitiesWithBudgetAnnotations(),
    ]);
    expect(getEntities).toHaveBeenCalledTimes(1);
    clock += 1;
    expect(
      (await directory.listEntitiesWithBudgetAnnotations()).map(e => e.ref),
    ).toEqual(['component:default/api']);
    expect(getEntities).toHaveBeenCalledTimes(2);
  });

  it('does not keep a failed read', async () => {
    clock = 10 * ANNOTATED_ENTITIES_TTL_MS;
    getEntities.mockRejectedValueOnce(new Error('catalog down'));
    await expect(directory.listEntitiesWithBudgetAnnotations()).rejects.toThrow(
      'catalog down',
    );
    expect(
      (await directory.listEntitiesWithBudgetAnnotations()).map(e => e.ref),
    ).toEqual(['component:default/api']);
    expect(getEntities).toHaveBeenCalledTimes(2);
  });
});
