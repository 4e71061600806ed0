/**
 * Text rules shared by the tag policy, its evaluation and the owner guess. Tag keys and
 * values are compared after Unicode NFC normalisation and trimming (allocation trims too), so
 * `café` typed on a Mac (NFD) equals `café` typed elsewhere (NFC), and `" team"` is `team`.
 */

/** NFC-normalises and trims. */
export function normaliseText(text: string): string {
  return text.normalize('NFC').trim();
}

/** Lower-cases the way allocation does (`en-US`, so no Turkish dotless-i surprises). */
export function foldCase(text: string): string {
  return text.toLocaleLowerCase('en-US');
}

/** Normalised and, when asked, case-folded: the form two spellings are compared in. */
export function comparable(text: string, caseInsensitive: boolean): string {
  const normalised = normaliseText(text);
  return caseInsensitive ? foldCase(normalised) : normalised;
}

/**
 * Letters and digits only, lower-cased: `Checkout_API`, `checkout-api` and `checkout api`
 * share the slug `checkoutapi`. Used for near matches when guessing owners.
 */
export function slug(text: string): string {
  return foldCase(normaliseText(text)).replace(/[^\p{L}\p{N}]+/gu, '');
}

/**
 * A tag value as text: strings as they are, finite numbers, bigints and booleans as JSON
 * writes them (`1`, `2.5`, `true`); null and undefined mean no tag; anything else (objects,
 * arrays, NaN) is not a valid tag value and gives undefined with `invalid` set.
 */
export function tagValueText(
  value: unknown,
): { text: string } | { absent: true } | { invalid: true } {
  if (value === null || value === undefined) return { absent: true };
  if (typeof value === 'string') return { text: value };
  if (typeof value === 'boolean' || typeof value === 'bigint') {
    return { text: String(value) };
  }
  if (typeof value === 'number' && Number.isFinite(value)) {
    return { text: String(value) };
  }
  return { invalid: true };
}

/** Compares strings by code point, independent of locale, for stable sort orders. */
export function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}
