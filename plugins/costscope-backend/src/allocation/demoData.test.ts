import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { FocusFileSource } from '../sources/focus/FocusFileSource';
import { parseDecimal } from '@costscope/backstage-plugin-common';
import { WORK_SCALE } from '../lib/decimal';
import { createTestDatabases } from '../__testUtils__/databases';
import { demoCatalog } from '../__testUtils__/demoCatalog';
import { createPipeline } from '../__testUtils__/pipeline';
import { checkRollupInvariants } from '../__testUtils__/rollupInvariants';

/** These tests compare with the bill's `BilledCost`. */
const BILLED_USD = { currency: 'USD', costBasis: 'billed' } as const;

// The demo generator is plain CommonJS in examples/, shared with `npm start`.
const {
  generateDemoBilling,
  // eslint-disable-next-line @backstage/no-relative-monorepo-imports
} = require('../../../../examples/billing/generate.js');

jest.setTimeout(120_000);

describe('allocation of the demo organisation', () => {
  const databases = createTestDatabases();
  let billingDir: string;
  let manifest: { totals: { billedCost: string; effectiveCost: string } };

  beforeAll(async () => {
    billingDir = await fs.mkdtemp(path.join(os.tmpdir(), 'costscope-demo-'));
    manifest = generateDemoBilling({
      outDir: billingDir,
      endDate: '2026-11-22',
    });
  });

  it.each(databases.eachSupportedId())(
    'matches the bill exactly at every level on %p',
    async id => {
      const knex = await databases.init(id);
      const pipeline = await createPipeline(knex, await demoCatalog());
      for (const provider of ['aws', 'gcp']) {
        const run = await pipeline.ingest.run(
          new FocusFileSource({
            id: `demo-${provider}`,
            paths: [path.join(billingDir, provider)],
            currency: 'USD',
          }),
          'manual',
        );
        expect(run).toMatchObject({
          status: 'succeeded',
          rowsRejected: 0,
          filesRead: 13,
        });
      }

      const { mismatches, factsTotal, direct, unallocated } =
        await checkRollupInvariants(knex);
      expect(mismatches).toEqual([]);
      // Each basis is a partition of its own.
      const effective = await checkRollupInvariants(knex, 'effective');
      expect(effective.mismatches).toEqual([]);

      // Stored totals (sum of facts rounded once each) within 1e-6 of the source's exact
      // sums, on each basis.
      const withinMicro = (storedNanos: bigint, sourceText: string) => {
        const difference =
          storedNanos * 1_000_000_000n - parseDecimal(sourceText, WORK_SCALE)!;
        return (
          (difference < 0n ? -difference : difference) <= 1_000_000_000_000n
        );
      };
      expect(withinMicro(factsTotal, manifest.totals.billedCost)).toBe(true);
      expect(
        withinMicro(effective.factsTotal, manifest.totals.effectiveCost),
      ).toBe(true);

      expect(unallocated).toBeGreaterThan(0n);
      expect(direct.get('component:default/legacy-reports') ?? 0n).toBe(0n);
      for (const name of [
        'checkout-api',
        'checkout-web',
        'cart-service',
        'fraud-detector',
        'feature-store',
        'ci-runners',
        'event-pipeline',
      ]) {
        expect({
          name,
          allocated: (direct.get(`component:default/${name}`) ?? 0n) > 0n,
        }).toEqual({ name, allocated: true });
      }
      expect(direct.get('system:default/analytics') ?? 0n).toBeGreaterThan(0n);
      expect(direct.get('group:default/platform-team') ?? 0n).toBeGreaterThan(
        0n,
      );

      const range = { from: '2026-10-01', to: '2026-10-31' };
      const web = await pipeline.queries.summary(
        'component:default/checkout-web',
        range,
        BILLED_USD,
      );
      expect(web.overlaps.map(o => o.others)).toContainEqual([
        'component:default/checkout-api',
      ]);

      // The AND rule app=feature-store,env=prod must leave the env=dev table unallocated.
      const unallocatedResources = await pipeline.queries.resources(
        '*',
        range,
        1000,
        BILLED_USD,
      );
      expect(unallocatedResources.resources.map(r => r.resourceId)).toContain(
        'arn:aws:dynamodb:us-east-1:222233334444:table/feature-store-online-dev',
      );

      // The overview of the whole bill reconciles with the source on each basis.
      const everything = { from: '2000-01-01', to: '2099-12-31' };
      const billedOverview = await pipeline.queries.overview(
        everything,
        BILLED_USD,
      );
      const effectiveOverview = await pipeline.queries.overview(everything, {
        currency: 'USD',
        costBasis: 'effective',
      });
      expect(billedOverview.costBasis).toBe('billed');
      expect(effectiveOverview.costBasis).toBe('effective');
      const nanosOf = (money: string) => parseDecimal(money, 9)!;
      expect(
        withinMicro(nanosOf(billedOverview.total), manifest.totals.billedCost),
      ).toBe(true);
      expect(
        withinMicro(
          nanosOf(effectiveOverview.total),
          manifest.totals.effectiveCost,
        ),
      ).toBe(true);
      // The Savings Plan's fee is cash on the invoice with no owner (unallocated when
      // billed); amortized, it is carried by the usage it covers, whose owners are known,
      // and by its unused part (4 % of the fee in the demo), which has no owner.
      const planLine = (overview: typeof billedOverview) =>
        nanosOf(
          overview.unallocatedByService.find(
            line => line.key === 'AWS Savings Plans for Compute usage',
          )?.cost ?? '0',
        );
      const fee = planLine(billedOverview);
      const unused = planLine(effectiveOverview);
      expect(fee).toBeGreaterThan(0n);
      expect((unused * 1000n) / fee).toBeGreaterThanOrEqual(39n);
      expect((unused * 1000n) / fee).toBeLessThanOrEqual(41n);
      expect(
        nanosOf(billedOverview.unallocated) -
          nanosOf(effectiveOverview.unallocated),
      ).toBe(fee - unused);
    },
  );
});
