import { createHash } from 'node:crypto';

/** Tags in a canonical form: keys sorted, so equal tag sets give equal text. */
export function canonicalTags(tags: Record<string, string>): string {
  const sorted: Record<string, string> = {};
  for (const key of Object.keys(tags).sort()) sorted[key] = tags[key];
  return JSON.stringify(sorted);
}

/**
 * What allocation looks at: provider, sub-account, tags and whether the line is unused
 * commitment (which a configured owner takes). Facts sharing these always go to the same
 * entity, so allocation works on the (few) distinct keys, not on every fact.
 */
export function allocationKey(
  provider: string,
  subAccountId: string,
  tagsText: string,
  unusedCommitment = false,
): string {
  // Keys of other lines are what they were before unused commitment had keys of its own.
  const unused = unusedCommitment ? '\u0000unused-commitment' : '';
  return createHash('sha1')
    .update(`${provider}\u0000${subAccountId}\u0000${tagsText}${unused}`)
    .digest('hex');
}
