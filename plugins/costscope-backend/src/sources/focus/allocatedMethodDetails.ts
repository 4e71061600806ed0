import type { AllocatedMethodDetails } from '@costscope/backstage-plugin-node';
import { parseDecimal } from '@costscope/backstage-plugin-common';
import { USAGE_SCALE } from '../../ingest/methodDetailsSum';

const UNIT_LIMIT = 255;

/** A JSON string, or a JSON number. */
const JSON_TOKEN = /"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g;

/** A number's text (numbers come quoted, see below) when it is one. */
function decimalText(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  return parseDecimal(text, USAGE_SCALE) === undefined ? undefined : text;
}

/**
 * FOCUS 1.3 `AllocatedMethodDetails` text (a JSON object whose `Elements` array holds the
 * split's factors: `AllocatedRatio`, `UsageUnit`, `UsageQuantity`), or the reason it is not
 * one, naming the column. Custom `x_` properties are left out.
 */
export function parseAllocatedMethodDetails(
  text: string,
): AllocatedMethodDetails | string {
  let parsed: unknown;
  try {
    JSON.parse(text);
    // Again with every number quoted, so that its digits are kept exactly (a double would
    // round them); strings are matched first, so nothing inside one is touched.
    parsed = JSON.parse(
      text.replace(JSON_TOKEN, token =>
        token.startsWith('"') ? token : `"${token}"`,
      ),
    );
  } catch {
    return 'AllocatedMethodDetails is not valid JSON';
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    return 'AllocatedMethodDetails is not a JSON object';
  const list = (parsed as Record<string, unknown>).Elements;
  if (!Array.isArray(list))
    return 'AllocatedMethodDetails has no Elements array';
  const elements: AllocatedMethodDetails['elements'] = [];
  for (let i = 0; i < list.length; i += 1) {
    const where = `AllocatedMethodDetails Elements[${i}]`;
    const element = list[i] as Record<string, unknown>;
    if (
      element === null ||
      typeof element !== 'object' ||
      Array.isArray(element)
    )
      return `${where} is not an object`;
    const out: AllocatedMethodDetails['elements'][number] = {};
    for (const [key, field] of [
      ['AllocatedRatio', 'allocatedRatio'],
      ['UsageQuantity', 'usageQuantity'],
    ] as const) {
      const value = element[key];
      if (value === undefined || value === null) continue;
      const decimal = decimalText(value);
      if (decimal === undefined) return `${where}.${key} is not a number`;
      out[field] = decimal;
    }
    const unit = element.UsageUnit;
    if (unit !== undefined && unit !== null) {
      if (typeof unit !== 'string') return `${where}.UsageUnit is not text`;
      if (unit.length > UNIT_LIMIT || unit.includes('\u0000'))
        return `${where}.UsageUnit is longer than ${UNIT_LIMIT} characters or holds NUL`;
      if (unit.trim() !== '') out.usageUnit = unit.trim();
    }
    if (out.usageQuantity !== undefined && out.usageUnit === undefined)
      return `${where} has a UsageQuantity without a UsageUnit`;
    elements.push(out);
  }
  return { elements };
}
