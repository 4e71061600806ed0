/** One `key=value` condition of a tag filter. */
export interface TagCondition {
  key: string;
  value: string;
}

/** Alternatives (OR) of condition sets (AND). */
export type TagFilter = TagCondition[][];

/**
 * Parses the `costscope.io/cost-tags` annotation: `service=checkout-api,env=prod; app=checkout`
 * (`,` = and, `;` = or). Throws an Error naming the broken part.
 */
export function parseCostTags(annotation: string): TagFilter {
  const alternatives = annotation
    .split(';')
    .map(part => part.trim())
    .filter(part => part !== '');
  if (alternatives.length === 0) {
    throw new Error('the annotation is empty');
  }
  return alternatives.map(alternative =>
    alternative.split(',').map(condition => {
      const index = condition.indexOf('=');
      const key = index < 0 ? '' : condition.slice(0, index).trim();
      const value = index < 0 ? '' : condition.slice(index + 1).trim();
      if (!key || !value) {
        throw new Error(`'${condition.trim()}' is not a key=value condition`);
      }
      return { key, value };
    }),
  );
}

/** Writes conditions back in the annotation's syntax, for display. */
export function formatConditions(conditions: TagCondition[]): string {
  return conditions.map(c => `${c.key}=${c.value}`).join(',');
}
