import {
  AWS_ACCOUNT_IDS_ANNOTATION,
  AZURE_SUBSCRIPTION_IDS_ANNOTATION,
  COST_TAGS_ANNOTATION,
  GCP_PROJECT_IDS_ANNOTATION,
} from '@costscope/backstage-plugin-common';
import { AllocationRuleRow } from '../store/types';
import { SnapshotEntity } from './catalogSnapshot';
import { formatConditions, parseCostTags, TagCondition } from './parseCostTags';

/**
 * Priorities, lowest number wins (documented in the backend README):
 * 0. unused commitment to `costscope.commitments.unusedOwner`, when set;
 * 1. tag filters from the `costscope.io/cost-tags` annotation;
 * 2. the component convention (tag `service` equal to the component's name);
 * 3. account, subscription and project annotations;
 * 4. the group convention (tag `team` equal to the group's name).
 */
export const PRIORITY = {
  unusedCommitment: 0,
  annotationTags: 1,
  componentConvention: 2,
  account: 3,
  groupConvention: 4,
} as const;

/** Within a priority, the more specific kind wins. */
const KIND_ORDER = ['component', 'resource', 'system', 'domain', 'group'];

export interface AllocationRule {
  /** Kept across allocations while the rule stays the same (see assignRuleIds). */
  id: number;
  /** Position in catalog order as built: breaks the last ties, so ids never decide a winner. */
  order: number;
  entityRef: string;
  entityKind: string;
  origin: AllocationRuleRow['origin'];
  /** The rule as shown to users. */
  rule: string;
  priority: number;
  /** Conditions in the rule: more conditions win over fewer at equal priority. */
  specificity: number;
  /** Tag conditions (all must hold), for tag rules. */
  conditions?: TagCondition[];
  /** Sub-account ids, for account rules. */
  accountIds?: string[];
  /** Matches only keys of unused commitment, whatever their tags. */
  unusedCommitment?: true;
}

export interface ConventionOptions {
  /** Tag keys whose value names a component, e.g. `service`. */
  componentTagKeys: string[];
  /** Tag keys whose value names a group, e.g. `team`. */
  groupTagKeys: string[];
  /** The entity that takes unused commitment (`costscope.commitments.unusedOwner`). */
  unusedCommitmentOwner?: string;
}

const ACCOUNT_ANNOTATIONS: Array<[string, string]> = [
  [AWS_ACCOUNT_IDS_ANNOTATION, 'aws account'],
  [AZURE_SUBSCRIPTION_IDS_ANNOTATION, 'azure subscription'],
  [GCP_PROJECT_IDS_ANNOTATION, 'gcp project'],
];

/** Orders rules so that the first match of a key is the winner. */
export function compareRules(a: AllocationRule, b: AllocationRule): number {
  return (
    a.priority - b.priority ||
    b.specificity - a.specificity ||
    KIND_ORDER.indexOf(a.entityKind) - KIND_ORDER.indexOf(b.entityKind) ||
    a.entityRef.localeCompare(b.entityRef) ||
    a.order - b.order
  );
}

/**
 * Builds the mapping rules of all entities. Broken annotations are reported as problems and
 * skipped, so one bad entity does not stop allocation for everyone.
 */
export function buildRules(
  entities: Iterable<SnapshotEntity>,
  conventions: ConventionOptions,
): { rules: AllocationRule[]; problems: string[] } {
  const rules: AllocationRule[] = [];
  const problems: string[] = [];
  // Ids by position until the engine gives each rule its stable one.
  const add = (rule: Omit<AllocationRule, 'id' | 'order'>) =>
    rules.push({ ...rule, id: rules.length + 1, order: rules.length });
  const owner = conventions.unusedCommitmentOwner;
  let ownerFound = false;

  for (const entity of entities) {
    if (entity.ref === owner) {
      ownerFound = true;
      add({
        entityRef: entity.ref,
        entityKind: entity.kind,
        origin: 'commitment',
        rule: 'unused commitment',
        priority: PRIORITY.unusedCommitment,
        specificity: 1,
        unusedCommitment: true,
      });
    }
    const base = { entityRef: entity.ref, entityKind: entity.kind };
    const costTags = entity.annotations[COST_TAGS_ANNOTATION];
    if (costTags !== undefined) {
      try {
        for (const conditions of parseCostTags(costTags)) {
          add({
            ...base,
            origin: 'annotation',
            rule: formatConditions(conditions),
            priority: PRIORITY.annotationTags,
            specificity: conditions.length,
            conditions,
          });
        }
      } catch (error) {
        problems.push(
          `${entity.ref}: annotation ${COST_TAGS_ANNOTATION} is invalid: ${
            (error as Error).message
          }`,
        );
      }
    } else if (entity.kind === 'component') {
      for (const key of conventions.componentTagKeys) {
        add({
          ...base,
          origin: 'convention',
          rule: `${key}=${entity.name}`,
          priority: PRIORITY.componentConvention,
          specificity: 1,
          conditions: [{ key, value: entity.name }],
        });
      }
    }

    for (const [annotation, label] of ACCOUNT_ANNOTATIONS) {
      const value = entity.annotations[annotation];
      if (value === undefined) continue;
      const accountIds = value
        .split(',')
        .map(id => id.trim())
        .filter(Boolean);
      if (accountIds.length === 0) {
        problems.push(
          `${entity.ref}: annotation ${annotation} names no account`,
        );
        continue;
      }
      add({
        ...base,
        origin: 'account',
        rule: `${label} ${accountIds.join(', ')}`,
        priority: PRIORITY.account,
        specificity: 1,
        accountIds,
      });
    }

    if (entity.kind === 'group') {
      for (const key of conventions.groupTagKeys) {
        add({
          ...base,
          origin: 'convention',
          rule: `${key}=${entity.name}`,
          priority: PRIORITY.groupConvention,
          specificity: 1,
          conditions: [{ key, value: entity.name }],
        });
      }
    }
  }
  if (owner && !ownerFound) {
    problems.push(
      `costscope.commitments.unusedOwner ${owner} is not in the catalog; unused commitment goes where its tags say`,
    );
  }
  return { rules, problems };
}
