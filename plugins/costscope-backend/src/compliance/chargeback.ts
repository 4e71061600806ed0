import { ChargebackOwnerBy } from '@costscope/backstage-plugin-common';
import { SnapshotEntity } from '../allocation/catalogSnapshot';
import { owningGroupOf } from '../budgets/budgetAccess';
import { COST_CENTER_ANNOTATION } from '@costscope/backstage-plugin-common';
import { compareBigInt } from '../lib/decimal';
import { ChargebackFactRow } from '../store/types';
import { ChargebackLine } from './chargebackCsv';
import { compareCodePoints } from './text';

/** Who pays for an entity's cost. */
export interface ChargebackOwner {
  /** A group ref or a cost center; empty when the catalog names none. */
  owner: string;
  ownerName?: string;
}

export interface ChargebackRules {
  /** Who pays for cost allocated to an entity. */
  ownerOf(entityRef: string): ChargebackOwner;
  /** Whether cost allocated to the entity is shared by every owner. */
  isShared(entityRef: string): boolean;
  /** `own-line`: shared and unallocated cost as lines of their own; `proportional`: split. */
  sharedCost: 'own-line' | 'proportional';
}

/**
 * Owners from a catalog snapshot. By group: the entity's owning group (a group pays for
 * itself). By cost center: that group's `costscope.io/cost-center`, else its nearest parent
 * group's. Shared entities are those listed and everything below them.
 */
export function chargebackRules(options: {
  entities: SnapshotEntity[];
  by: ChargebackOwnerBy;
  sharedEntities: string[];
  sharedCost: 'own-line' | 'proportional';
}): ChargebackRules {
  const byRef = new Map(options.entities.map(e => [e.ref, e]));
  const shared = new Set(
    options.sharedEntities.map(ref => ref.toLocaleLowerCase('en-US')),
  );
  const costCenterOf = (groupRef: string): string | undefined => {
    const seen = new Set<string>();
    for (
      let group = byRef.get(groupRef);
      group && !seen.has(group.ref);
      group = group.parentRef ? byRef.get(group.parentRef) : undefined
    ) {
      seen.add(group.ref);
      const costCenter = group.annotations[COST_CENTER_ANNOTATION]?.trim();
      if (costCenter) return costCenter;
    }
    return undefined;
  };
  const ownerOf = (entityRef: string): ChargebackOwner => {
    const entity = byRef.get(entityRef);
    const group = entity && owningGroupOf(entity);
    if (options.by === 'group') {
      if (!group) return { owner: '', ownerName: 'No owner in the catalog' };
      const owner = byRef.get(group);
      return { owner: group, ownerName: owner?.title ?? owner?.name };
    }
    const costCenter = group && costCenterOf(group);
    return costCenter
      ? { owner: costCenter }
      : { owner: '', ownerName: 'No cost center' };
  };
  const isShared = (entityRef: string): boolean => {
    const seen = new Set<string>();
    for (
      let entity = byRef.get(entityRef);
      entity && !seen.has(entity.ref);
      entity = entity.parentRef ? byRef.get(entity.parentRef) : undefined
    ) {
      if (shared.has(entity.ref)) return true;
      seen.add(entity.ref);
    }
    return shared.has(entityRef);
  };
  return { ownerOf, isShared, sharedCost: options.sharedCost };
}

/**
 * Splits `cost` over non-negative weights exactly (largest remainder): the parts add up to
 * `cost` to the nano, and the nanos lost to truncation go to the largest fractions.
 */
export function splitExactly(cost: bigint, weights: bigint[]): bigint[] {
  const total = weights.reduce((sum, w) => sum + w, 0n);
  const sign = cost < 0n ? -1n : 1n;
  const magnitude = cost * sign;
  const parts = weights.map(w => (magnitude * w) / total);
  const fractions = weights.map(
    (w, i) => [(magnitude * w) % total, i] as const,
  );
  fractions.sort((a, b) => compareBigInt(b[0], a[0]) || a[1] - b[1]);
  let rest = magnitude - parts.reduce((sum, p) => sum + p, 0n);
  for (let k = 0; rest > 0n; k++, rest--) parts[fractions[k][1]] += 1n;
  return parts.map(part => part * sign);
}

interface MonthAccumulator {
  month: string;
  /** `owner\nservice` → cost and name, allocated to owners. */
  allocated: Map<
    string,
    { owner: ChargebackOwner; service: string; cost: bigint }
  >;
  /** Per kind and service: cost no owner pays for directly. */
  unowned: Map<
    string,
    { kind: 'shared' | 'unallocated'; service: string; cost: bigint }
  >;
}

function* monthLines(
  month: MonthAccumulator,
  rules: ChargebackRules,
): Generator<ChargebackLine> {
  const allocated = [...month.allocated.values()];
  const weights = new Map<string, { owner: ChargebackOwner; weight: bigint }>();
  for (const line of allocated) {
    if (!line.owner.owner) continue;
    const entry = weights.get(line.owner.owner) ?? {
      owner: line.owner,
      weight: 0n,
    };
    entry.weight += line.cost;
    weights.set(line.owner.owner, entry);
  }
  const payers = [...weights.values()].filter(w => w.weight > 0n);
  const split = rules.sharedCost === 'proportional' && payers.length > 0;

  const lines: ChargebackLine[] = allocated.map(line => ({
    month: month.month,
    owner: line.owner.owner,
    ownerName: line.owner.ownerName,
    service: line.service,
    kind: 'allocated',
    costNanos: line.cost,
  }));
  for (const unowned of month.unowned.values()) {
    if (!split) {
      lines.push({
        month: month.month,
        owner: '',
        ownerName: unowned.kind === 'shared' ? 'Shared' : 'Unallocated',
        service: unowned.service,
        kind: unowned.kind,
        costNanos: unowned.cost,
      });
      continue;
    }
    const parts = splitExactly(
      unowned.cost,
      payers.map(p => p.weight),
    );
    payers.forEach((payer, index) =>
      lines.push({
        month: month.month,
        owner: payer.owner.owner,
        ownerName: payer.owner.ownerName,
        service: unowned.service,
        kind: 'shared',
        costNanos: parts[index],
      }),
    );
  }
  const kindOrder = {
    allocated: 0,
    shared: 1,
    unallocated: 2,
    'not-visible': 3,
  };
  lines.sort(
    (a, b) =>
      kindOrder[a.kind] - kindOrder[b.kind] ||
      (a.owner === '' ? 1 : 0) - (b.owner === '' ? 1 : 0) ||
      compareCodePoints(a.owner, b.owner) ||
      compareCodePoints(a.service, b.service),
  );
  yield* lines;
}

/**
 * Turns monthly facts (ordered by month) into chargeback lines, one month at a time: only
 * the current month's lines are held, so the report streams whatever the range.
 */
export async function* chargebackLines(
  rows: AsyncIterable<ChargebackFactRow>,
  rules: ChargebackRules,
): AsyncGenerator<ChargebackLine> {
  let current: MonthAccumulator | undefined;
  for await (const row of rows) {
    if (current && row.month !== current.month) {
      if (row.month < current.month) {
        throw new Error('chargeback facts must be ordered by month');
      }
      yield* monthLines(current, rules);
      current = undefined;
    }
    current ??= { month: row.month, allocated: new Map(), unowned: new Map() };
    let kind: 'unallocated' | 'shared' | undefined;
    if (row.entityRef === null) kind = 'unallocated';
    else if (rules.isShared(row.entityRef)) kind = 'shared';
    if (kind) {
      const key = `${kind}\n${row.service}`;
      const entry = current.unowned.get(key) ?? {
        kind,
        service: row.service,
        cost: 0n,
      };
      entry.cost += row.costNanos;
      current.unowned.set(key, entry);
      continue;
    }
    const owner = rules.ownerOf(row.entityRef!);
    const key = `${owner.owner}\n${owner.ownerName ?? ''}\n${row.service}`;
    const entry = current.allocated.get(key) ?? {
      owner,
      service: row.service,
      cost: 0n,
    };
    entry.cost += row.costNanos;
    current.allocated.set(key, entry);
  }
  if (current) yield* monthLines(current, rules);
}
