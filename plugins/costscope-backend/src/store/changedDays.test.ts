import { createTestDatabases } from '../__testUtils__/databases';
import {
  clearChangedDays,
  markDaysChanged,
  readChangedDays,
} from './changedDays';
import { FactStore } from './FactStore';
import { applyMigrations } from './migrations';
import { CostFact } from './types';

jest.setTimeout(60_000);

function fact(usageDate: string, billingPeriod: string): CostFact {
  return {
    billingPeriod,
    usageDate,
    provider: 'AWS',
    billingAccountId: '1',
    subAccountId: '1',
    region: 'us-east-1',
    serviceName: 'EC2',
    resourceId: 'i-1',
    chargeCategory: 'Usage',
    currency: 'USD',
    allocKey: 'k',
    billedNanos: 1n,
    effectiveNanos: 1n,
    listNanos: 1n,
    lineCount: 1,
  };
}

describe('changed days', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'widens the recorded days and clears only what was read on %p',
    async id => {
      const knex = await databases.init(id);
      await applyMigrations(knex);
      const read = () => knex.transaction(tx => readChangedDays(tx));
      expect(await read()).toBeUndefined();
      await knex.transaction(tx =>
        markDaysChanged(tx, { first: '2026-04-03', last: '2026-04-10' }),
      );
      await knex.transaction(tx =>
        markDaysChanged(tx, undefined, {
          first: '2026-04-05',
          last: '2026-04-20',
        }),
      );
      await knex.transaction(tx =>
        markDaysChanged(tx, { first: '2026-03-31', last: '2026-04-01' }),
      );
      expect(await read()).toEqual({ first: '2026-03-31', last: '2026-04-20' });

      // An ingest widened the last day after the rebuild read the record: that bound stays,
      // and alone it reads as unknown.
      await knex.transaction(tx =>
        markDaysChanged(tx, { first: '2026-04-25', last: '2026-04-25' }),
      );
      await knex.transaction(tx =>
        clearChangedDays(tx, { first: '2026-03-31', last: '2026-04-20' }),
      );
      expect(await read()).toBeUndefined();
      expect(
        await knex('costscope_state').where('key', 'like', 'facts_changed%'),
      ).toEqual([{ key: 'facts_changed_last_day', value: '2026-04-25' }]);
      await knex.transaction(tx => clearChangedDays(tx, undefined));
      expect(
        await knex('costscope_state').where('key', 'like', 'facts_changed%'),
      ).toEqual([]);
    },
  );

  it.each(databases.eachSupportedId())(
    'records the days of the facts a replacement removed and wrote on %p',
    async id => {
      const knex = await databases.init(id);
      await applyMigrations(knex);
      const store = new FactStore(knex);
      const read = () => knex.transaction(tx => readChangedDays(tx));
      await store.replaceBillingPeriod('s', '2026-04-01', [
        fact('2026-03-30', '2026-04-01'),
        fact('2026-04-02', '2026-04-01'),
      ]);
      expect(await read()).toEqual({ first: '2026-03-30', last: '2026-04-02' });
      await knex.transaction(tx => clearChangedDays(tx, undefined));

      // The old facts' March 30 changed too, though no new fact is of that day.
      await store.replaceBillingPeriod('s', '2026-04-01', [
        fact('2026-04-07', '2026-04-01'),
      ]);
      expect(await read()).toEqual({ first: '2026-03-30', last: '2026-04-07' });
      await knex.transaction(tx => clearChangedDays(tx, undefined));

      await store.replaceDays(
        's',
        { from: '2026-04-05', to: '2026-04-10' },
        [fact('2026-04-06', '2026-04-01')],
        undefined,
      );
      expect(await read()).toEqual({ first: '2026-04-06', last: '2026-04-07' });
    },
  );
});
