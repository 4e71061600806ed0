const SURROGATE = /[\uD800-\uDFFF]/;

/**
 * A copy of `text` that does not keep alive the large string it may have been sliced from
 * (V8 slices share their parent). For values kept beyond the line they were read from,
 * such as fact dimensions and cache keys: a 40-character slice must not pin a 256 KiB chunk.
 */
export function detach(text: string): string {
  if (text.length < 13) return text; // V8 copies short slices anyway
  // UTF-8 round trips every string without surrogates; UTF-16 any string at all.
  const encoding = SURROGATE.test(text) ? 'utf16le' : 'utf8';
  return Buffer.from(text, encoding).toString(encoding);
}
