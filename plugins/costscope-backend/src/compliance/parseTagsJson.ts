import { tagValueText } from './text';

/** Why a FOCUS `Tags` cell could not be read. */
export type TagsJsonRejectionReason =
  | 'invalid-json'
  | 'not-an-object'
  | 'non-scalar-value';

/** A `Tags` cell that was rejected: count it and go on. */
export interface TagsJsonRejection {
  ok: false;
  reason: TagsJsonRejectionReason;
  /** For the run record or the UI, e.g. `Tags value of 'team' is not a scalar`. */
  message: string;
}

/** A `Tags` cell that was read. */
export interface TagsJsonParsed {
  ok: true;
  /** Values as text: numbers and booleans as JSON writes them; null values dropped. */
  tags: Record<string, string>;
}

export type TagsJsonResult = TagsJsonParsed | TagsJsonRejection;

/**
 * Reads FOCUS `Tags`: a JSON object with scalar values (FOCUS: unique keys, scalar values;
 * null means no tags). Same rules as the ingest parser (`parseTags` in
 * `sources/focus/parseFocusRow.ts`), but the rejection is typed, so that callers can count
 * rejections by reason without matching on messages:
 *
 * - empty, `null`, `NULL`, `none`, `n/a` and `{}` are no tags;
 * - a byte-order mark and surrounding whitespace are ignored;
 * - numbers and booleans become their JSON text, null values mean the tag is absent;
 * - malformed JSON, a non-object (array, string, number) and nested values are rejected.
 */
export function parseTagsJson(text: string | null | undefined): TagsJsonResult {
  const trimmed = (text ?? '').replace(/^\uFEFF/, '').trim();
  if (trimmed === '' || /^(null|none|n\/a)$/i.test(trimmed)) {
    return { ok: true, tags: {} };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    return {
      ok: false,
      reason: 'invalid-json',
      message: 'Tags is not valid JSON',
    };
  }
  return readTagsObject(parsed);
}

/** Checks an already parsed `Tags` value (from a JSON column or an API) by the same rules. */
export function readTagsObject(parsed: unknown): TagsJsonResult {
  if (parsed === null || parsed === undefined) return { ok: true, tags: {} };
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    return {
      ok: false,
      reason: 'not-an-object',
      message: 'Tags is not a JSON object',
    };
  }
  const tags: Record<string, string> = {};
  for (const [key, value] of Object.entries(parsed as object)) {
    const text = tagValueText(value);
    if ('absent' in text) continue;
    if ('invalid' in text) {
      return {
        ok: false,
        reason: 'non-scalar-value',
        message: `Tags value of '${key}' is not a scalar`,
      };
    }
    tags[key] = text.text;
  }
  return { ok: true, tags };
}

/** Counts rejected `Tags` cells by reason and keeps the first few examples. */
export class TagsRejectionCounter {
  readonly byReason: Record<TagsJsonRejectionReason, number> = {
    'invalid-json': 0,
    'not-an-object': 0,
    'non-scalar-value': 0,
  };
  readonly examples: Array<{ resourceId: string; message: string }> = [];
  total = 0;

  constructor(private readonly maxExamples = 10) {}

  add(rejection: TagsJsonRejection, resourceId: string): void {
    this.total += 1;
    this.byReason[rejection.reason] += 1;
    if (this.examples.length < this.maxExamples) {
      this.examples.push({ resourceId, message: rejection.message });
    }
  }
}
