/**
 * `bench:api --rebuild`: what an allocation rebuild costs on the loaded organisation.
 *
 * 1. full: the backend's AllocationStore rewrites the allocation and the whole rollup table
 *    from the facts, as after a catalog change.
 * 2. period: the latest month's days are recorded as changed, as replacing that billing
 *    period's facts records them (FactStore), and the same store rebuilds only their rollups,
 *    as after an ingest of that period under the same catalog. The facts are not replaced:
 *    the ingest is not what is measured.
 * 3. owner-change: one component moves to another team's ownership, and the same store
 *    rebuilds only the rollups of its rules, as after that catalog change; then it moves back
 *    (not timed), so that the database holds the organisation as loaded.
 * Each rebuild but the move must leave as many rollup rows as the load wrote.
 */
import { Knex } from 'knex';
import { AllocationStore } from '../../plugins/costscope-backend/src/store/AllocationStore';
import { markDaysChanged } from '../../plugins/costscope-backend/src/store/changedDays';
import { ALLOCATION_FINGERPRINT_KEY } from '../../plugins/costscope-backend/src/store/EntitySnapshotStore';
import {
  computeAncestors,
  SnapshotEntity,
} from '../../plugins/costscope-backend/src/allocation/catalogSnapshot';
import { BenchOrg } from './org';

export interface RebuildResult {
  fullSeconds: number;
  periodSeconds: number;
  period: { first: string; last: string };
  ownerChangeSeconds: number;
  /** The rules whose rollups the owner change rebuilt. */
  ownerChangeRules: number;
}

/** The allocation of these catalog entities, with the organisation's rules and keys. */
function allocationOf(org: BenchOrg, snapshots: SnapshotEntity[]) {
  return {
    entities: [...snapshots].sort((a, b) => a.ref.localeCompare(b.ref)),
    ancestors: computeAncestors(new Map(snapshots.map(e => [e.ref, e]))),
    rules: org.rules,
    keys: org.allocations,
  };
}

async function rollupRows(knex: Knex): Promise<number> {
  const row = await knex('costscope_rollup_daily').count('* as n').first();
  return Number(row?.n);
}

export async function benchRebuild(
  knex: Knex,
  org: BenchOrg,
  log: (message: string) => void,
): Promise<RebuildResult> {
  const store = new AllocationStore(knex);
  const fingerprint = (
    await knex('costscope_state')
      .where({ key: ALLOCATION_FINGERPRINT_KEY })
      .first('value')
  )?.value;
  if (!fingerprint) throw new Error('the organisation has no allocation');
  const allocation = allocationOf(org, org.snapshots);
  const loaded = await rollupRows(knex);
  const check = async (what: string) => {
    const rows = await rollupRows(knex);
    if (rows !== loaded) {
      throw new Error(
        `${what} rebuild left ${rows} rollup rows, the load wrote ${loaded}`,
      );
    }
  };

  let started = Date.now();
  const full = await store.writeAllocation(allocation, fingerprint);
  const fullSeconds = (Date.now() - started) / 1000;
  if (full.rebuilt !== 'full') throw new Error('the full rebuild was not full');
  await check('the full');
  log(`full rebuild: ${loaded} rollup rows in ${fullSeconds.toFixed(1)} s`);

  const month = org.days[org.days.length - 1].slice(0, 7);
  const monthDays = org.days.filter(day => day.startsWith(month));
  const period = { first: monthDays[0], last: monthDays[monthDays.length - 1] };
  await knex.transaction(tx => markDaysChanged(tx, period));
  started = Date.now();
  const outcome = await store.writeAllocation(allocation, fingerprint, {
    incremental: true,
  });
  const periodSeconds = (Date.now() - started) / 1000;
  if (outcome.rebuilt !== 'days') {
    throw new Error('the rebuild of one period rebuilt everything');
  }
  await check('the period');
  log(
    `period rebuild of ${period.first}..${
      period.last
    } in ${periodSeconds.toFixed(1)} s`,
  );

  // The first component moves to the owner of the last (another team: teams are of 50).
  const components = org.snapshots.filter(e => e.kind === 'component');
  const moving = components[0];
  const newOwner = components[components.length - 1].ownerRef;
  if (newOwner === moving.ownerRef) throw new Error('no other team to move to');
  const moved = allocationOf(
    org,
    org.snapshots.map(e => (e === moving ? { ...e, ownerRef: newOwner } : e)),
  );
  started = Date.now();
  const change = await store.writeAllocation(moved, `${fingerprint}:moved`, {
    incremental: true,
  });
  const ownerChangeSeconds = (Date.now() - started) / 1000;
  if (change.rebuilt !== 'rules') {
    throw new Error(`the owner change rebuilt ${change.rebuilt}`);
  }
  const back = await store.writeAllocation(allocation, fingerprint, {
    incremental: true,
  });
  if (back.rebuilt !== 'rules') {
    throw new Error(`the move back rebuilt ${back.rebuilt}`);
  }
  await check('the move back');
  log(
    `owner change of ${moving.ref}: ${
      change.rules
    } rule(s) rebuilt in ${ownerChangeSeconds.toFixed(1)} s`,
  );
  return {
    fullSeconds,
    periodSeconds,
    period,
    ownerChangeSeconds,
    ownerChangeRules: change.rules,
  };
}
