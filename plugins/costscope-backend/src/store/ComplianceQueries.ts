import { Knex } from 'knex';
import { CostBasis, DateRange } from '@costscope/backstage-plugin-common';
import { monthsOf } from '../lib/dates';
import { ORG_REF } from './AllocationStore';
import { costColumn } from './costSums';
import { readEntitiesBelow } from './entitiesBelow';
import { withoutParallelWorkers } from './withoutParallelWorkers';
import { ChargebackFactRow, ComplianceResourceInput } from './types';

/** A fact's exact cost on a basis, summed as text: both databases sum BIGINT exactly. */
const sumCost = (basis: CostBasis) =>
  `CAST(SUM(${costColumn('f', basis)}) AS TEXT) as cost`;
/** 1 for lines no entity was allocated (their key matched no rule), else 0. */
const UNALLOCATED = 'CASE WHEN k.rule_id IS NULL THEN 1 ELSE 0 END';

interface FactGroupRow {
  resource_id: string;
  provider: string;
  sub_account_id: string;
  service_name: string;
  resource_name: string | null;
  resource_type: string | null;
  tags: string;
  last_day: string;
  cost: string | number | null;
  /** 1 when no entity was allocated the lines (read only when asked for). */
  unallocated?: number | string;
}

interface ResourceAccumulator {
  input: ComplianceResourceInput;
  lastDay: string;
  /** Cost per service, to name the resource's main service. */
  byService: Map<string, bigint>;
}

/** Which facts a compliance read covers. */
type FactScope =
  | {
      kind: 'entity';
      entityRef: string;
      /** Entities below it left out (hidden from the caller). */
      without?: ReadonlySet<string>;
    }
  | {
      kind: 'all';
      /** Entities left out (hidden from the caller); unallocated lines stay. */
      without?: ReadonlySet<string>;
    };

/** Largest list bound into one NOT IN (...). */
const IN_CHUNK = 500;

/**
 * The resources of every entity in a range ({@link ComplianceQueries.everyEntityResources}):
 * each entity's are those of the entities below it, itself included, merged as one read of
 * its facts would sum them.
 */
export class ResourcesByEntity {
  constructor(
    private readonly byEntity: ReadonlyMap<
      string,
      ReadonlyMap<string, ResourceAccumulator>
    >,
    /** The entities below each entity (`costscope_entity_ancestors`), itself included. */
    private readonly below: ReadonlyMap<string, string[]>,
    private readonly inventory: Map<string, Record<string, string>>,
  ) {}

  /** What {@link ComplianceQueries.entityResources} answers for the entity. */
  of(entityRef: string): ComplianceResourceInput[] {
    const merged = new Map<string, ResourceAccumulator>();
    for (const ref of this.below.get(entityRef) ?? []) {
      for (const [key, part] of this.byEntity.get(ref) ?? []) {
        addInto(merged, key, part);
      }
    }
    return resourceInputs(merged, this.inventory);
  }
}

/**
 * Reads what tag compliance judges: each resource with cost in a range, its cost, the tags of
 * its most recent billing line, and the current tags an inventory source holds for it.
 */
export class ComplianceQueries {
  constructor(private readonly knex: Knex) {}

  /** Resources whose cost reached the entity (rolled up over its children). */
  entityResources(
    entityRef: string,
    range: DateRange,
    basis: CostBasis,
    without?: ReadonlySet<string>,
  ) {
    return this.resources({ kind: 'entity', entityRef, without }, range, basis);
  }

  /**
   * {@link entityResources} of every entity at once, nothing hidden: one read of the range's
   * facts by the entity whose rule brought them, merged per entity from the entities below it
   * in memory. A scheduled run asks for every group's compliance; read one by one, the facts
   * of a department are read again for each level above a team. Background work: read
   * without parallel workers.
   */
  async everyEntityResources(
    range: DateRange,
    basis: CostBasis,
  ): Promise<ResourcesByEntity> {
    const rows = await withoutParallelWorkers(this.knex, db =>
      this.selectResourceGroups<FactGroupRow & { entity_ref: string }>(
        db('costscope_cost_facts as f')
          .join('costscope_alloc_keys as k', 'k.alloc_key', 'f.alloc_key')
          .join('costscope_alloc_rules as ru', 'ru.id', 'k.rule_id')
          .whereBetween('f.usage_date', [range.from, range.to])
          .whereNot('f.resource_id', '')
          .select('ru.entity_ref')
          .groupBy('ru.entity_ref'),
        basis,
      ),
    );
    const byEntity = new Map<string, Map<string, ResourceAccumulator>>();
    const resourceIds = new Set<string>();
    for (const row of rows) {
      let groups = byEntity.get(row.entity_ref);
      if (!groups) byEntity.set(row.entity_ref, (groups = new Map()));
      addInto(groups, resourceKey(row), partOf(row));
      resourceIds.add(row.resource_id);
    }
    return new ResourcesByEntity(
      byEntity,
      await readEntitiesBelow(this.knex),
      await this.inventoryTags([...resourceIds]),
    );
  }

  /**
   * How many resources of these entities reached the entity in the range, and their cost
   * (lines with a resource only, as compliance counts them).
   */
  async resourcesOf(
    /** The rollup they reached; undefined for the whole organisation. */
    entityRef: string | undefined,
    range: DateRange,
    basis: CostBasis,
    entityRefs: ReadonlySet<string>,
  ): Promise<{ resources: number; costNanos: bigint }> {
    const refs = [...entityRefs];
    const ids = new Set<string>();
    let costNanos = 0n;
    for (let i = 0; i < refs.length; i += IN_CHUNK) {
      let query = this.knex('costscope_cost_facts as f')
        .join('costscope_alloc_keys as k', 'k.alloc_key', 'f.alloc_key')
        .join('costscope_alloc_rules as ru', 'ru.id', 'k.rule_id');
      if (entityRef !== undefined) {
        query = query
          .join(
            'costscope_entity_ancestors as a',
            'a.entity_ref',
            'ru.entity_ref',
          )
          .where('a.ancestor_ref', entityRef);
      }
      const rows = await query
        .whereIn('ru.entity_ref', refs.slice(i, i + IN_CHUNK))
        .whereBetween('f.usage_date', [range.from, range.to])
        .whereNot('f.resource_id', '')
        .select('f.provider', 'f.resource_id')
        .select(this.knex.raw(sumCost(basis)))
        .groupBy('f.provider', 'f.resource_id');
      for (const row of rows) {
        ids.add(`${row.provider}\n${row.resource_id}`);
        costNanos += BigInt(row.cost ?? 0);
      }
    }
    return { resources: ids.size, costNanos };
  }

  /**
   * What the organisation's compliance page judges, from one read of each month of the
   * range: every resource with cost in the range, the same for each month, and the
   * resources with cost no entity was allocated. The months partition the range, so the
   * range is their sum, instead of reading the range's facts twice more (once for all
   * resources, once for the unallocated ones).
   */
  async organisationResourcesByMonth(
    range: DateRange,
    basis: CostBasis,
    without?: ReadonlySet<string>,
  ): Promise<{
    resources: ComplianceResourceInput[];
    months: Array<{ month: string; resources: ComplianceResourceInput[] }>;
    unallocated: ComplianceResourceInput[];
  }> {
    const whole = new Map<string, ResourceAccumulator>();
    const unallocated = new Map<string, ResourceAccumulator>();
    const months: Array<{
      month: string;
      groups: Map<string, ResourceAccumulator>;
    }> = [];
    for (const month of monthsOf(range.from, range.to)) {
      const groups = await this.resourceGroups(
        { kind: 'all', without },
        month,
        basis,
        { unallocatedInto: unallocated },
      );
      for (const [key, entry] of groups) addInto(whole, key, entry);
      months.push({ month: month.month, groups });
    }
    const inventory = await this.inventoryTags(
      [...whole.values()].map(entry => entry.input.resourceId),
    );
    return {
      resources: resourceInputs(whole, inventory),
      months: months.map(({ month, groups }) => ({
        month,
        resources: resourceInputs(groups, inventory),
      })),
      unallocated: resourceInputs(unallocated, inventory),
    };
  }

  /** All unallocated cost in the range, including lines without a resource (tax, fees). */
  async unallocatedCost(range: DateRange, basis: CostBasis): Promise<bigint> {
    const row = await this.knex('costscope_rollup_daily as r')
      .where({ 'r.entity_ref': ORG_REF })
      .whereNull('r.rule_id')
      .whereBetween('r.usage_date', [range.from, range.to])
      .first(
        this.knex.raw(`CAST(SUM(${costColumn('r', basis)}) AS TEXT) as cost`),
      );
    return BigInt(row?.cost ?? 0);
  }

  /** The bill's total for the range on a basis, nano-units. */
  async billTotal(range: DateRange, basis: CostBasis): Promise<bigint> {
    const row = await this.knex('costscope_rollup_daily as r')
      .where({ 'r.entity_ref': ORG_REF })
      .whereBetween('r.usage_date', [range.from, range.to])
      .first(
        this.knex.raw(`CAST(SUM(${costColumn('r', basis)}) AS TEXT) as cost`),
      );
    return BigInt(row?.cost ?? 0);
  }

  /**
   * The bill by month, allocated entity and service, one month per query: a report over
   * years holds one month's rows at a time.
   */
  async *chargebackFacts(
    range: DateRange,
    basis: CostBasis,
  ): AsyncGenerator<ChargebackFactRow> {
    for (const month of monthsOf(range.from, range.to)) {
      const rows = await this.knex('costscope_rollup_daily as r')
        .leftJoin('costscope_alloc_rules as ru', 'ru.id', 'r.rule_id')
        .where('r.entity_ref', ORG_REF)
        .whereBetween('r.usage_date', [month.from, month.to])
        .select({ entity_ref: 'ru.entity_ref', service: 'r.service_name' })
        .select(
          this.knex.raw(`CAST(SUM(${costColumn('r', basis)}) AS TEXT) as cost`),
        )
        .groupBy('ru.entity_ref', 'r.service_name');
      for (const row of rows) {
        yield {
          month: month.month,
          entityRef: row.entity_ref ?? null,
          service: row.service,
          costNanos: BigInt(row.cost ?? 0),
        };
      }
    }
  }

  /** Account names are not stored; the ids are shown. Kept as a seam for a future name source. */
  async accountNames(): Promise<Record<string, string>> {
    return {};
  }

  private async resources(
    scope: FactScope,
    range: DateRange,
    basis: CostBasis,
  ): Promise<ComplianceResourceInput[]> {
    const groups = await this.resourceGroups(scope, range, basis);
    const inventory = await this.inventoryTags(
      [...groups.values()].map(entry => entry.input.resourceId),
    );
    return resourceInputs(groups, inventory);
  }

  /**
   * The scope's facts in the range, summed per resource (keyed by provider and id).
   * `unallocatedInto` also gets the sums of the lines no entity was allocated.
   */
  private async resourceGroups(
    scope: FactScope,
    range: DateRange,
    basis: CostBasis,
    options: { unallocatedInto?: Map<string, ResourceAccumulator> } = {},
  ): Promise<Map<string, ResourceAccumulator>> {
    let query = this.knex('costscope_cost_facts as f')
      .join('costscope_alloc_keys as k', 'k.alloc_key', 'f.alloc_key')
      .whereBetween('f.usage_date', [range.from, range.to])
      // Lines without a resource (tax, support, commitment fees) cannot carry tags.
      .whereNot('f.resource_id', '');
    if (scope.kind === 'entity') {
      query = query
        .join('costscope_alloc_rules as ru', 'ru.id', 'k.rule_id')
        .join(
          'costscope_entity_ancestors as a',
          'a.entity_ref',
          'ru.entity_ref',
        )
        .where('a.ancestor_ref', scope.entityRef);
      const without = [...(scope.without ?? [])];
      for (let i = 0; i < without.length; i += IN_CHUNK) {
        query = query.whereNotIn(
          'ru.entity_ref',
          without.slice(i, i + IN_CHUNK),
        );
      }
    } else if (scope.without && scope.without.size > 0) {
      const without = [...scope.without];
      query = query.leftJoin(
        'costscope_alloc_rules as ru',
        'ru.id',
        'k.rule_id',
      );
      for (let i = 0; i < without.length; i += IN_CHUNK) {
        const chunk = without.slice(i, i + IN_CHUNK);
        // Unallocated lines have no rule: NOT IN alone would drop them (NULL).
        query = query.where(q =>
          q.whereNull('ru.entity_ref').orWhereNotIn('ru.entity_ref', chunk),
        );
      }
    }
    if (options.unallocatedInto) {
      query = query
        .select(this.knex.raw(`${UNALLOCATED} as unallocated`))
        .groupByRaw(UNALLOCATED);
    }
    const rows = await this.selectResourceGroups(query, basis);
    const byResource = new Map<string, ResourceAccumulator>();
    for (const row of rows) {
      const key = resourceKey(row);
      const part = partOf(row);
      addInto(byResource, key, part);
      if (options.unallocatedInto && Number(row.unallocated) === 1) {
        addInto(options.unallocatedInto, key, part);
      }
    }
    return byResource;
  }

  /** The query's facts summed per resource, account, service and billing tags. */
  private selectResourceGroups<Row extends FactGroupRow = FactGroupRow>(
    query: Knex.QueryBuilder,
    basis: CostBasis,
  ): Promise<Row[]> {
    return query
      .select(
        'f.resource_id',
        'f.provider',
        'f.sub_account_id',
        'f.service_name',
        'k.tags',
      )
      .select(
        this.knex.raw(
          'MAX(f.resource_name) as resource_name, MAX(f.resource_type) as resource_type, MAX(f.usage_date) as last_day',
        ),
      )
      .select(this.knex.raw(sumCost(basis)))
      .groupBy(
        'f.resource_id',
        'f.provider',
        'f.sub_account_id',
        'f.service_name',
        'k.tags',
      ) as Promise<Row[]>;
  }

  /** Current tags by resource id; the latest observation wins when two sources hold one. */
  private async inventoryTags(
    resourceIds: string[],
  ): Promise<Map<string, Record<string, string>>> {
    const result = new Map<
      string,
      { at: string; tags: Record<string, string> }
    >();
    // Chunked: SQLite limits bound parameters per statement.
    for (let i = 0; i < resourceIds.length; i += 500) {
      const rows = await this.knex('costscope_inventory')
        .whereIn('resource_id', resourceIds.slice(i, i + 500))
        .select('resource_id', 'tags', 'observed_at');
      for (const row of rows) {
        const seen = result.get(row.resource_id);
        if (!seen || row.observed_at > seen.at) {
          result.set(row.resource_id, {
            at: row.observed_at,
            tags: JSON.parse(row.tags),
          });
        }
      }
    }
    return new Map([...result].map(([id, { tags }]) => [id, tags]));
  }
}

function resourceKey(row: FactGroupRow): string {
  return `${row.provider}\n${row.resource_id}`;
}

function partOf(row: FactGroupRow): ResourceAccumulator {
  const cost = BigInt(row.cost ?? 0);
  return {
    input: {
      resourceId: row.resource_id,
      provider: row.provider,
      accountId: row.sub_account_id,
      costNanos: cost,
      billingTags: row.tags,
      ...(row.resource_name ? { resourceName: row.resource_name } : {}),
      ...(row.resource_type ? { resourceType: row.resource_type } : {}),
    },
    lastDay: row.last_day,
    byService: new Map([[row.service_name, cost]]),
  };
}

/**
 * Adds a part of a resource's cost (a group of its lines, or a month of them) to its sum.
 * Billing tags are those of the most recent line: what allocation saw last.
 */
function addInto(
  sum: Map<string, ResourceAccumulator>,
  key: string,
  part: ResourceAccumulator,
) {
  const entry = sum.get(key);
  if (!entry) {
    sum.set(key, {
      input: { ...part.input },
      lastDay: part.lastDay,
      byService: new Map(part.byService),
    });
    return;
  }
  entry.input.costNanos += part.input.costNanos;
  for (const [service, cost] of part.byService) {
    entry.byService.set(service, (entry.byService.get(service) ?? 0n) + cost);
  }
  // Each choice below is independent of the order the parts come in, so that a resource
  // reads the same whether its lines were summed at once or in parts (per entity, per month).
  const { input } = part;
  if (sortsAfter(entry.input.accountId, input.accountId)) {
    entry.input.accountId = input.accountId;
  }
  // The largest, as SQL's MAX within a part.
  if (sortsAfter(input.resourceName, entry.input.resourceName)) {
    entry.input.resourceName = input.resourceName;
  }
  if (sortsAfter(input.resourceType, entry.input.resourceType)) {
    entry.input.resourceType = input.resourceType;
  }
  if (
    part.lastDay > entry.lastDay ||
    (part.lastDay === entry.lastDay &&
      sortsAfter(input.billingTags, entry.input.billingTags))
  ) {
    entry.lastDay = part.lastDay;
    entry.input.billingTags = input.billingTags;
  }
}

/** Whether text `a` sorts after `b`; an absent value sorts first. */
function sortsAfter(a: unknown, b: unknown): boolean {
  return String(a ?? '') > String(b ?? '');
}

/** The resources as compliance judges them: main service and current inventory tags. */
function resourceInputs(
  groups: Map<string, ResourceAccumulator>,
  inventory: Map<string, Record<string, string>>,
): ComplianceResourceInput[] {
  return [...groups.values()].map(({ input, byService }) => {
    const inventoryTags = inventory.get(input.resourceId);
    return {
      ...input,
      service: mainService(byService),
      ...(inventoryTags ? { inventoryTags } : {}),
    };
  });
}

function mainService(byService: Map<string, bigint>): string | undefined {
  let best: [string, bigint] | undefined;
  for (const entry of byService) {
    // Equal costs: the first service by name, whatever order they were summed in.
    if (
      !best ||
      entry[1] > best[1] ||
      (entry[1] === best[1] && entry[0] < best[0])
    ) {
      best = entry;
    }
  }
  return best?.[0];
}
