import type { AllocatedMethodDetails } from '@costscope/backstage-plugin-node';
import { parseDecimal } from '@costscope/backstage-plugin-common';

/** Scale the usage quantities of a day's lines are summed at (exact for what FOCUS writes). */
export const USAGE_SCALE = 18;

function scaledText(value: bigint): string {
  const negative = value < 0n;
  const digits = (negative ? -value : value)
    .toString()
    .padStart(USAGE_SCALE + 1, '0');
  const text = `${digits.slice(0, -USAGE_SCALE)}.${digits.slice(
    -USAGE_SCALE,
  )}`.replace(/\.?0+$/, '');
  return negative ? `-${text}` : text;
}

/**
 * The details of a day's lines of one split, as a fact keeps them: per usage unit, in the
 * order first seen, the sum of the lines' usage quantities (absent if a line gave the unit
 * none). Ratios are an hour's share of that hour's origin charge and do not add up over a
 * day; the fact's cost is what they came to, so they are not kept.
 */
export class MethodDetailsSum {
  private readonly units = new Map<string, bigint | undefined>();

  /** Adds the details of `lines` lines that all gave these (a pre-aggregated group's). */
  add(details: AllocatedMethodDetails, lines = 1): void {
    for (const element of details.elements) {
      if (element.usageUnit === undefined) continue;
      // Unreadable quantities are not rejected upstream: the unit's sum is then absent.
      const each =
        element.usageQuantity === undefined
          ? undefined
          : parseDecimal(element.usageQuantity, USAGE_SCALE);
      const quantity = each === undefined ? undefined : each * BigInt(lines);
      if (!this.units.has(element.usageUnit)) {
        this.units.set(element.usageUnit, quantity);
        continue;
      }
      const sum = this.units.get(element.usageUnit);
      this.units.set(
        element.usageUnit,
        sum === undefined || quantity === undefined
          ? undefined
          : sum + quantity,
      );
    }
  }

  /** FOCUS's shape, `{"Elements":[{"UsageUnit":…,"UsageQuantity":…}]}`; undefined without units. */
  text(): string | undefined {
    if (this.units.size === 0) return undefined;
    const elements = [...this.units].map(
      ([unit, quantity]) =>
        `{"UsageUnit":${JSON.stringify(unit)}${
          quantity === undefined
            ? ''
            : `,"UsageQuantity":${scaledText(quantity)}`
        }}`,
    );
    return `{"Elements":[${elements.join(',')}]}`;
  }
}
