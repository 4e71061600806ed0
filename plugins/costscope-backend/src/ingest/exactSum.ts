import { parseDecimal } from '@costscope/backstage-plugin-common';
import { toNanos, WORK_SCALE } from '../lib/decimal';

/** The largest amount a stored BIGINT of nano-units holds, in 1e-18 units. */
export const MAX_STORED_WORK =
  9_223_372_036_854_775_807n * 10n ** BigInt(WORK_SCALE - 9);

const NANOS_PER_UNIT = 1e9;
/** Below this, adding one fast-path amount (< 1e15 nano-units) to a sum stays exact. */
const SAFE_SUM = Number.MAX_SAFE_INTEGER - 1e15;
const POWERS = Array.from({ length: 10 }, (_, i) => 10 ** i);
const BIG_NANO = 10n ** 9n;

/**
 * Reads decimal amounts exactly, without BigInt for the common case: up to six integer digits
 * and eighteen fractional ones (every line of a typical export) become an integer number of
 * nano-units plus an integer remainder in 1e-18 units, both exact in doubles. Anything else
 * (exponents, more digits, huge values) goes through `parseDecimal` into `work`.
 */
export class AmountReader {
  /** Nano-units of the last fast-path amount. */
  nanos = 0;
  /** The rest of it below a nano-unit, in 1e-18 units. */
  atto = 0;
  /** The last amount when it took the slow path, in 1e-18 units; undefined on the fast path. */
  work: bigint | undefined = undefined;

  /** Reads `text`; false when it is not a number. */
  read(text: string): boolean {
    if (this.readFast(text)) {
      this.work = undefined;
      return true;
    }
    const work = parseDecimal(text, WORK_SCALE);
    if (work === undefined) return false;
    this.work = work;
    return true;
  }

  /** Takes over what `other` read last. */
  copy(other: AmountReader): void {
    this.nanos = other.nanos;
    this.atto = other.atto;
    this.work = other.work;
  }

  private readFast(text: string): boolean {
    const length = text.length;
    let i = 0;
    let negative = false;
    let code = text.charCodeAt(0);
    if (code === 45 /* - */ || code === 43 /* + */) {
      negative = code === 45;
      i = 1;
    }
    let whole = 0;
    const wholeStart = i;
    while (i < length) {
      code = text.charCodeAt(i);
      if (code < 48 || code > 57) break;
      whole = whole * 10 + (code - 48);
      i += 1;
    }
    const wholeDigits = i - wholeStart;
    if (wholeDigits > 6) return false;
    let high = 0;
    let low = 0;
    let fractionDigits = 0;
    if (i < length && text.charCodeAt(i) === 46 /* . */) {
      i += 1;
      while (i < length) {
        code = text.charCodeAt(i);
        if (code < 48 || code > 57) break;
        if (fractionDigits < 9) high = high * 10 + (code - 48);
        else if (fractionDigits < 18) low = low * 10 + (code - 48);
        else return false;
        fractionDigits += 1;
        i += 1;
      }
    }
    if (i !== length || wholeDigits + fractionDigits === 0) return false;
    if (fractionDigits < 9) {
      high *= POWERS[9 - fractionDigits];
    } else {
      low *= POWERS[18 - fractionDigits];
    }
    const nanos = whole * NANOS_PER_UNIT + high;
    this.nanos = negative ? -nanos : nanos;
    this.atto = negative ? -low : low;
    return true;
  }
}

/**
 * Exact running sums of billed and effective cost per fact key, held in columns rather than
 * in an object per fact (an aggregation keeps hundreds of thousands; objects would cost
 * more memory and garbage-collection work). Each sum is nano-units and a 1e-18 remainder in
 * doubles while they are exact; any overflow goes to BigInts of 1e-18 units.
 */
export class FactTable {
  private readonly slots = new Map<number, number>();
  private billedNanos = new Float64Array(1024);
  private billedAtto = new Float64Array(1024);
  private effectiveNanos = new Float64Array(1024);
  private effectiveAtto = new Float64Array(1024);
  private lines = new Float64Array(1024);
  /** Overflow of a slot's sums: [billed, effective] in 1e-18 units. */
  private readonly work = new Map<number, [bigint, bigint]>();

  get size(): number {
    return this.slots.size;
  }

  keys(): IterableIterator<number> {
    return this.slots.keys();
  }

  /** Adds the amounts `billed` and `effective` read last to the fact `key`. */
  add(key: number, billed: AmountReader, effective: AmountReader): void {
    let slot = this.slots.get(key);
    if (slot === undefined) {
      slot = this.slots.size;
      if (slot === this.lines.length) this.grow();
      this.slots.set(key, slot);
    }
    this.lines[slot] += 1;
    if (billed.work === undefined && effective.work === undefined) {
      const billedNanos = (this.billedNanos[slot] += billed.nanos);
      const billedAtto = (this.billedAtto[slot] += billed.atto);
      const effectiveNanos = (this.effectiveNanos[slot] += effective.nanos);
      const effectiveAtto = (this.effectiveAtto[slot] += effective.atto);
      if (
        Math.abs(billedNanos) > SAFE_SUM ||
        Math.abs(billedAtto) > SAFE_SUM ||
        Math.abs(effectiveNanos) > SAFE_SUM ||
        Math.abs(effectiveAtto) > SAFE_SUM
      ) {
        this.spill(slot, 0n, 0n);
      }
      return;
    }
    this.spill(
      slot,
      billed.work ?? BigInt(billed.nanos) * BIG_NANO + BigInt(billed.atto),
      effective.work ??
        BigInt(effective.nanos) * BIG_NANO + BigInt(effective.atto),
    );
  }

  /** Moves a slot's double sums, plus the given amounts, into its BigInt overflow. */
  private spill(slot: number, billed: bigint, effective: bigint): void {
    const [billedWork, effectiveWork] = this.work.get(slot) ?? [0n, 0n];
    this.work.set(slot, [
      billedWork +
        billed +
        BigInt(this.billedNanos[slot]) * BIG_NANO +
        BigInt(this.billedAtto[slot]),
      effectiveWork +
        effective +
        BigInt(this.effectiveNanos[slot]) * BIG_NANO +
        BigInt(this.effectiveAtto[slot]),
    ]);
    this.billedNanos[slot] = 0;
    this.billedAtto[slot] = 0;
    this.effectiveNanos[slot] = 0;
    this.effectiveAtto[slot] = 0;
  }

  private grow(): void {
    const grow = (column: Float64Array) => {
      const larger = new Float64Array(column.length * 2);
      larger.set(column);
      return larger;
    };
    this.billedNanos = grow(this.billedNanos);
    this.billedAtto = grow(this.billedAtto);
    this.effectiveNanos = grow(this.effectiveNanos);
    this.effectiveAtto = grow(this.effectiveAtto);
    this.lines = grow(this.lines);
  }

  /** The fact's sums, each rounded once, half to even, to nano-units. */
  read(
    key: number,
  ):
    | { billedNanos: bigint; effectiveNanos: bigint; lineCount: number }
    | undefined {
    const slot = this.slots.get(key);
    if (slot === undefined) return undefined;
    const [billedWork, effectiveWork] = this.work.get(slot) ?? [0n, 0n];
    return {
      billedNanos: roundToNanos(
        this.billedNanos[slot],
        this.billedAtto[slot],
        billedWork,
      ),
      effectiveNanos: roundToNanos(
        this.effectiveNanos[slot],
        this.effectiveAtto[slot],
        effectiveWork,
      ),
      lineCount: this.lines[slot],
    };
  }
}

/** nanos + atto / 1e9 + work / 1e18, rounded half to even to an integer of nano-units. */
export function roundToNanos(
  nanos: number,
  atto: number,
  work: bigint,
): bigint {
  if (work === 0n) {
    // atto = whole * 1e9 + rest with 0 <= rest < 1e9, all exact in doubles.
    let whole = Math.floor(atto / NANOS_PER_UNIT);
    let rest = atto - whole * NANOS_PER_UNIT;
    if (rest < 0) {
      whole -= 1;
      rest += NANOS_PER_UNIT;
    } else if (rest >= NANOS_PER_UNIT) {
      whole += 1;
      rest -= NANOS_PER_UNIT;
    }
    let rounded = nanos + whole;
    if (Number.isSafeInteger(rounded) && Number.isSafeInteger(rounded + 1)) {
      const half = NANOS_PER_UNIT / 2;
      if (rest > half || (rest === half && rounded % 2 !== 0)) rounded += 1;
      return BigInt(rounded);
    }
  }
  return toNanos(work + BigInt(nanos) * BIG_NANO + BigInt(atto));
}
