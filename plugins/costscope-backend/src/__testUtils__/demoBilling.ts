import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ConfigReader } from '@backstage/config';
import { IngestRun } from '@costscope/backstage-plugin-common';
import { CostSource } from '@costscope/backstage-plugin-node';
import { parse } from 'yaml';
import { readTagPolicy, TagPolicy } from '../compliance/tagPolicy';
import { FocusFileSource } from '../sources/focus/FocusFileSource';
import { InventoryStore } from '../store/InventoryStore';

const REPO = path.resolve(__dirname, '../../../..');
// The demo generator is plain CommonJS in examples/, shared with `npm start`.
const {
  generateDemoBilling,
  // eslint-disable-next-line @backstage/no-relative-monorepo-imports
} = require('../../../../examples/billing/generate.js');

const {
  demoInventoryWithUtilisation,
  // eslint-disable-next-line @backstage/no-relative-monorepo-imports
} = require('../../../../examples/billing/inventory.js');

/** The demo's last day of billing data, as the tests read it. */
export const DEMO_END_DATE = '2026-11-22';

/**
 * Stores the demo's inventory (`demo-inventory`, with utilisation) as observed at `at`
 * (default: the day after the demo's last day), as `npm start` does.
 */
export async function writeDemoInventory(
  inventory: Pick<InventoryStore, 'replaceSnapshot'>,
  at = '2026-11-23T00:00:00Z',
): Promise<void> {
  await inventory.replaceSnapshot(
    'demo-inventory',
    demoInventoryWithUtilisation({ endDate: DEMO_END_DATE }),
    at,
  );
}

/** Writes the demo's billing files into a new temporary directory, and answers it. */
export async function writeDemoBilling(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'costscope-demo-'));
  generateDemoBilling({ outDir: dir, endDate: DEMO_END_DATE });
  return dir;
}

/**
 * Reads the demo's AWS and GCP FOCUS files (written by the demo generator into `billingDir`)
 * as `npm start` does; answers the runs, one per provider.
 */
export async function ingestDemoBilling(
  ingest: { run(source: CostSource, trigger: 'manual'): Promise<IngestRun> },
  billingDir: string,
): Promise<IngestRun[]> {
  const runs: IngestRun[] = [];
  for (const provider of ['aws', 'gcp']) {
    runs.push(
      await ingest.run(
        new FocusFileSource({
          id: `demo-${provider}`,
          paths: [path.join(billingDir, provider)],
          currency: 'USD',
        }),
        'manual',
      ),
    );
  }
  return runs;
}

/** The tag policy the demo portal runs with: app-config.yaml's own. */
export async function demoPolicy(): Promise<TagPolicy> {
  const appConfig = parse(
    await fs.readFile(path.join(REPO, 'app-config.yaml'), 'utf8'),
  );
  return readTagPolicy(new ConfigReader(appConfig))!;
}
