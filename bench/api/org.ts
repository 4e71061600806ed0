/**
 * A deterministic synthetic organisation for the API benchmark: catalog entities, the
 * resources that bill to them and their daily costs. Allocation (rules, ancestors, which key
 * goes to which rule, overlaps) is computed by the backend's own code, so the stored tables
 * are what the backend itself would write for this catalog and these facts.
 *
 * Shape, for N components:
 * - departments `dept-1` .. `dept-4` (top-level groups), teams below them (`parent`);
 * - team `team-platform` (in dept-1) owns a quarter of the components (500 of 2,000), the
 *   others own 50 each;
 * - every 10 components of a team form a system owned by the team; systems sit in 8 domains;
 * - each component has 1 to 3 resources (2 on average) tagged `service=<component>`; every
 *   100th component instead maps by annotation (`app=<name>`) and its resources also carry
 *   the `service` tag of a neighbour, an overlap resolved by priority;
 * - each team has 2 shared resources tagged only `team=<team>` (the group convention);
 * - 40 resources no rule matches (unallocated).
 * Every resource bills every day: N = 2,000 over 365 days gives about 1.5 million facts and,
 * with 5 ancestors per component plus the organisation, about 8 million rollup rows.
 */
import { Entity } from '@backstage/catalog-model';
import { allocateKeys } from '../../plugins/costscope-backend/src/allocation/allocate';
import {
  computeAncestors,
  SnapshotEntity,
  toSnapshot,
} from '../../plugins/costscope-backend/src/allocation/catalogSnapshot';
import {
  AllocationRule,
  buildRules,
} from '../../plugins/costscope-backend/src/allocation/rules';
import {
  allocationKey,
  canonicalTags,
} from '../../plugins/costscope-backend/src/ingest/allocationKey';
import { KeyAllocation } from '../../plugins/costscope-backend/src/store/types';

export interface OrgOptions {
  components: number;
  days: number;
  /** Last day with cost, YYYY-MM-DD. */
  endDay: string;
}

export interface BenchResource {
  resourceId: string;
  resourceName: string;
  resourceType: string;
  provider: string;
  billingAccountId: string;
  subAccountId: string;
  region: string;
  serviceName: string;
  serviceCategory: string;
  allocKey: string;
  /** Daily cost around which the series moves, in nano-units. */
  baseNanos: number;
  phase: number;
}

export interface BenchKey {
  allocKey: string;
  provider: string;
  subAccountId: string;
  tags: string;
}

export interface BenchOrg {
  options: OrgOptions;
  entities: Entity[];
  snapshots: SnapshotEntity[];
  ancestors: Map<string, Set<string>>;
  rules: AllocationRule[];
  keys: BenchKey[];
  allocations: Map<string, KeyAllocation>;
  resources: BenchResource[];
  /** Days with cost, ascending. */
  days: string[];
  componentNames: string[];
  /** The team that owns a quarter of the components. */
  bigTeam: { name: string; components: number };
}

export const CURRENCY = 'USD';
const NAMESPACE = 'default';
const DEPARTMENTS = 4;
const TEAM_SIZE = 50;
const SYSTEM_SIZE = 10;
const DOMAINS = 8;
const SHARED_PER_TEAM = 2;
const UNALLOCATED_RESOURCES = 40;
const OVERLAP_EVERY = 100;

const SERVICES: Record<string, Array<[string, string, string]>> = {
  aws: [
    ['Amazon Elastic Compute Cloud', 'Compute', 'instance'],
    ['Amazon Relational Database Service', 'Databases', 'db-instance'],
    ['Amazon Simple Storage Service', 'Storage', 'bucket'],
    ['AWS Lambda', 'Compute', 'function'],
    ['Amazon DynamoDB', 'Databases', 'table'],
    ['Amazon ElastiCache', 'Databases', 'cache-cluster'],
    ['Elastic Load Balancing', 'Networking', 'loadbalancer'],
    ['Amazon CloudFront', 'Networking', 'distribution'],
  ],
  gcp: [
    ['Compute Engine', 'Compute', 'instance'],
    ['Cloud SQL', 'Databases', 'db-instance'],
    ['Cloud Storage', 'Storage', 'bucket'],
    ['BigQuery', 'Analytics', 'dataset'],
  ],
};
const REGIONS: Record<string, string[]> = {
  aws: ['us-east-1', 'eu-west-1', 'us-west-2', 'ap-southeast-2'],
  gcp: ['us-central1', 'europe-west1'],
};

/**
 * Whether the component with this index maps by annotation, its resources also matching a
 * neighbour's convention (an overlap).
 */
export function mapsByAnnotation(componentIndex: number): boolean {
  return (componentIndex + 1) % OVERLAP_EVERY === 0;
}

/** A small deterministic hash of integers, for choices that must not depend on run order. */
export function mix(...values: number[]): number {
  let h = 0x9e3779b9;
  for (const value of values) {
    h = Math.imul(h ^ value, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
  }
  return h >>> 0;
}

const DAY_MS = 86_400_000;

function dayList(endDay: string, days: number): string[] {
  const end = Date.parse(`${endDay}T00:00:00Z`);
  const list: string[] = [];
  for (let i = days - 1; i >= 0; i -= 1) {
    list.push(new Date(end - i * DAY_MS).toISOString().slice(0, 10));
  }
  return list;
}

function catalogEntity(
  kind: string,
  name: string,
  spec: Record<string, string>,
  annotations: Record<string, string> = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind,
    metadata: { name, namespace: NAMESPACE, annotations },
    spec,
  };
}

const pad = (value: number, width: number) =>
  String(value).padStart(width, '0');

function account(provider: string, department: number): string {
  return provider === 'aws'
    ? `1000000000${pad(department, 2)}`
    : `gcp-dept-${department}`;
}

/** Builds the organisation and allocates its keys with the backend's own rules. */
export function buildOrg(options: OrgOptions): BenchOrg {
  const { components } = options;
  const bigTeamSize = Math.max(1, Math.round(components / 4));
  const bigTeam = 'team-platform';
  const teamCount = 1 + Math.ceil((components - bigTeamSize) / TEAM_SIZE);
  const teamNames = [
    bigTeam,
    ...Array.from({ length: teamCount - 1 }, (_, i) => `team-${pad(i + 1, 3)}`),
  ];
  const teamDepartment = (team: number) =>
    team === 0 ? 1 : 1 + (team % DEPARTMENTS);
  const teamOf = (component: number) =>
    component < bigTeamSize
      ? 0
      : 1 + Math.floor((component - bigTeamSize) / TEAM_SIZE);

  const entities: Entity[] = [];
  for (let d = 1; d <= DEPARTMENTS; d += 1) {
    entities.push(catalogEntity('Group', `dept-${d}`, { type: 'department' }));
  }
  teamNames.forEach((team, i) =>
    entities.push(
      catalogEntity('Group', team, {
        type: 'team',
        parent: `group:${NAMESPACE}/dept-${teamDepartment(i)}`,
      }),
    ),
  );
  for (let d = 0; d < DOMAINS; d += 1) {
    entities.push(
      catalogEntity('Domain', `domain-${d + 1}`, {
        owner: `group:${NAMESPACE}/dept-${1 + (d % DEPARTMENTS)}`,
      }),
    );
  }

  const componentNames: string[] = [];
  const resources: BenchResource[] = [];
  const keys = new Map<string, BenchKey>();
  const addResource = (
    resource: Omit<BenchResource, 'allocKey' | 'billingAccountId'>,
    tags: Record<string, string>,
  ) => {
    const tagsText = canonicalTags(tags);
    const allocKey = allocationKey(
      resource.provider,
      resource.subAccountId,
      tagsText,
    );
    if (!keys.has(allocKey)) {
      keys.set(allocKey, {
        allocKey,
        provider: resource.provider,
        subAccountId: resource.subAccountId,
        tags: tagsText,
      });
    }
    resources.push({
      ...resource,
      billingAccountId:
        resource.provider === 'aws' ? '100000000000' : 'gcp-billing-1',
      allocKey,
    });
  };
  const newResource = (
    provider: string,
    department: number,
    serviceIndex: number,
    regionIndex: number,
    id: string,
    seed: number,
  ) => {
    const [serviceName, serviceCategory, resourceType] =
      SERVICES[provider][serviceIndex % SERVICES[provider].length];
    return {
      resourceId: `${provider}:${resourceType}/${id}`,
      resourceName: id,
      resourceType,
      provider,
      subAccountId: account(provider, department),
      region: REGIONS[provider][regionIndex % REGIONS[provider].length],
      serviceName,
      serviceCategory,
      // 0.50 to 40.45 a day
      baseNanos: (50 + (mix(seed, 1) % 3_996)) * 10_000_000,
      phase: mix(seed, 2) % 7,
    };
  };

  let systemNumber = 0;
  let systemName = '';
  for (let c = 0; c < components; c += 1) {
    const team = teamOf(c);
    const teamStart = team === 0 ? 0 : bigTeamSize + (team - 1) * TEAM_SIZE;
    if ((c - teamStart) % SYSTEM_SIZE === 0) {
      systemNumber += 1;
      systemName = `system-${pad(systemNumber, 4)}`;
      entities.push(
        catalogEntity('System', systemName, {
          owner: `group:${NAMESPACE}/${teamNames[team]}`,
          domain: `domain:${NAMESPACE}/domain-${1 + (systemNumber % DOMAINS)}`,
        }),
      );
    }
    const name = `component-${pad(c + 1, 5)}`;
    componentNames.push(name);
    const overlapping = mapsByAnnotation(c);
    entities.push(
      catalogEntity(
        'Component',
        name,
        {
          type: 'service',
          lifecycle: 'production',
          owner: `group:${NAMESPACE}/${teamNames[team]}`,
          system: `system:${NAMESPACE}/${systemName}`,
        },
        overlapping ? { 'costscope.io/cost-tags': `app=${name}` } : {},
      ),
    );
    const department = teamDepartment(team);
    const provider = mix(c, 3) % 10 === 0 ? 'gcp' : 'aws';
    const count = 1 + (mix(c, 4) % 3);
    const tags: Record<string, string> = overlapping
      ? // also carries the neighbour's service tag: both rules match, the annotation wins
        {
          app: name,
          service: `component-${pad(c, 5)}`,
          team: teamNames[team],
        }
      : { service: name, team: teamNames[team], env: 'prod' };
    for (let r = 0; r < count; r += 1) {
      addResource(
        newResource(
          provider,
          department,
          mix(c, r, 5),
          mix(c, 6),
          `${name}-${r + 1}`,
          mix(c, r, 7),
        ),
        tags,
      );
    }
  }
  teamNames.forEach((team, t) => {
    for (let r = 0; r < SHARED_PER_TEAM; r += 1) {
      addResource(
        newResource(
          'aws',
          teamDepartment(t),
          mix(t, r, 8),
          t,
          `${team}-shared-${r + 1}`,
          mix(t, r, 9),
        ),
        { team, env: 'prod' },
      );
    }
  });
  for (let u = 0; u < UNALLOCATED_RESOURCES; u += 1) {
    addResource(
      newResource(
        u % 4 === 0 ? 'gcp' : 'aws',
        1 + (u % DEPARTMENTS),
        u,
        u,
        `shared-${pad(u + 1, 3)}`,
        mix(u, 10),
      ),
      u % 2 === 0 ? { env: 'shared' } : { service: `legacy-${u}` },
    );
  }

  const snapshots = entities.map(toSnapshot);
  const byRef = new Map(snapshots.map(s => [s.ref, s]));
  const { rules, problems } = buildRules(snapshots, {
    componentTagKeys: ['service'],
    groupTagKeys: ['team'],
  });
  if (problems.length > 0) {
    throw new Error(`synthetic catalog has problems: ${problems.join('; ')}`);
  }
  const keyList = [...keys.values()];
  const allocations = allocateKeys(keyList, rules, {
    caseInsensitiveTagKeys: true,
  });
  return {
    options,
    entities,
    snapshots,
    ancestors: computeAncestors(byRef),
    rules,
    keys: keyList,
    allocations,
    resources,
    days: dayList(options.endDay, options.days),
    componentNames,
    bigTeam: { name: bigTeam, components: bigTeamSize },
  };
}

/** A resource's cost on the day with this index: weekly rhythm, slow growth, some noise. */
export function dailyCost(
  resource: BenchResource,
  resourceIndex: number,
  dayIndex: number,
): { billed: number; effective: number } {
  const weekday = (dayIndex + resource.phase) % 7;
  const weekly = weekday >= 5 ? 0.8 : 1;
  const growth = 1 + dayIndex / 1_000;
  const noise = 0.9 + (mix(resourceIndex, dayIndex, 11) % 2_001) / 10_000;
  const billed = Math.round(resource.baseNanos * weekly * growth * noise);
  return { billed, effective: Math.round(billed * 0.92) };
}
