import { TagSourceUsed } from '@costscope/backstage-plugin-common';
import {
  parseTagsJson,
  readTagsObject,
  TagsJsonRejection,
} from './parseTagsJson';
import { BillingTagsInput } from '../store/types';
import { compareCodePoints, comparable, normaliseText } from './text';

/** How one key differs between billing and inventory. */
export interface TagDifference {
  /** The key as the inventory spells it (the billing spelling when only billing has it). */
  key: string;
  change: 'added' | 'removed' | 'changed';
  billing?: string;
  inventory?: string;
}

/** The tags compliance judges for one resource, and where they come from. */
export interface MergedTags {
  /** The tags to judge: the inventory's when it knows the resource, else billing's. */
  tags: Record<string, string>;
  used: TagSourceUsed;
  /** Billing tags as read; absent when there are none or they were rejected. */
  billing?: Record<string, string>;
  /** Inventory tags as read; absent when no inventory knows the resource. */
  inventory?: Record<string, string>;
  /** Set when the billing `Tags` were malformed. */
  billingRejection?: TagsJsonRejection;
  /** Keys (that pass `isRelevantKey`) whose tags differ, ordered by key. */
  differences: TagDifference[];
  /** The differences in words, or undefined when the sources agree. */
  disagreement?: string;
}

export interface MergeOptions {
  /**
   * Which keys a difference is reported for; default all. Pass `policyKeyFilter(policy)`:
   * billing data carries only the tags activated for cost allocation, so an inventory
   * holds many more keys (Name, aws:cloudformation:*) and reporting them all would be noise.
   */
  isRelevantKey?: (key: string) => boolean;
  /** Treat `Team` and `team` as one key when comparing the sources. Default false. */
  keyCaseInsensitive?: boolean;
}

function describe(difference: TagDifference): string {
  switch (difference.change) {
    case 'added':
      return `tag ${difference.key} added in inventory, not yet in billing data`;
    case 'removed':
      return `tag ${difference.key} removed in inventory, still in billing data`;
    default:
      return `tag ${difference.key} is '${difference.inventory}' in inventory, '${difference.billing}' in billing data`;
  }
}

/** Indexes tags by comparable key; the first spelling in code-point order wins a clash. */
function index(
  tags: Record<string, string>,
  keyCaseInsensitive: boolean,
): Map<string, { key: string; value: string }> {
  const result = new Map<string, { key: string; value: string }>();
  for (const key of Object.keys(tags).sort(compareCodePoints)) {
    const comparableKey = comparable(key, keyCaseInsensitive);
    if (comparableKey === '' || result.has(comparableKey)) continue;
    result.set(comparableKey, { key, value: normaliseText(tags[key]) });
  }
  return result;
}

/**
 * Combines the two places that hold a resource's tags. Compliance judges the inventory's
 * current tags when an inventory knows the resource: the question compliance answers is
 * "what must be fixed on the resource now", and a fix made today shows in the inventory at
 * its next read, while billing lines carry the tags the resource had when it was billed
 * (and only the keys activated for cost allocation) and lag by a day or more. Without an
 * inventory record (services no inventory source reads), billing tags are judged.
 *
 * The disagreement says what billing data will show differently, which explains why the cost
 * of a resource that is compliant now may still be unallocated for the range.
 */
export function mergeTagSources(
  billingInput: BillingTagsInput,
  inventory: Record<string, string> | undefined,
  options: MergeOptions = {},
): MergedTags {
  const parsed =
    typeof billingInput === 'string' ||
    billingInput === null ||
    billingInput === undefined
      ? parseTagsJson(billingInput)
      : readTagsObject(billingInput);
  const billing = parsed.ok ? parsed.tags : undefined;
  const billingRejection = parsed.ok ? undefined : parsed;

  let used: TagSourceUsed;
  if (inventory) used = 'inventory';
  else if (billing) used = 'billing';
  else used = 'none';

  const differences: TagDifference[] = [];
  if (billing && inventory) {
    const relevant = options.isRelevantKey ?? (() => true);
    const caseInsensitive = options.keyCaseInsensitive ?? false;
    const billingIndex = index(billing, caseInsensitive);
    const inventoryIndex = index(inventory, caseInsensitive);
    for (const [key, tag] of inventoryIndex) {
      if (!relevant(tag.key)) continue;
      const billed = billingIndex.get(key);
      if (!billed) {
        differences.push({
          key: tag.key,
          change: 'added',
          inventory: tag.value,
        });
      } else if (billed.value !== tag.value) {
        differences.push({
          key: tag.key,
          change: 'changed',
          billing: billed.value,
          inventory: tag.value,
        });
      }
    }
    for (const [key, tag] of billingIndex) {
      if (!relevant(tag.key) || inventoryIndex.has(key)) continue;
      differences.push({ key: tag.key, change: 'removed', billing: tag.value });
    }
    differences.sort((a, b) => compareCodePoints(a.key, b.key));
  }

  const nonEmpty = (tags: Record<string, string> | undefined) =>
    tags && Object.keys(tags).length > 0 ? tags : undefined;
  return {
    tags: (used === 'inventory' ? inventory : billing) ?? {},
    used,
    billing: nonEmpty(billing),
    inventory,
    billingRejection,
    differences,
    disagreement:
      differences.length > 0 ? differences.map(describe).join('; ') : undefined,
  };
}
