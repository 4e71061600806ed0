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
 * One amount's exact running sums per slot: nano-units and a 1e-18 remainder in doubles while
 * they are exact, and an overflow in BigInts of 1e-18 units once they might not be.
 */
class SumColumn {
  private nanos = new Float64Array(1024);
  private atto = new Float64Array(1024);
  private readonly work = new Map<number, bigint>();

  /** Adds a fast-path amount; false when the slot's doubles must spill before the next add. */
  add(slot: number, amount: AmountReader): boolean {
    const nanos = (this.nanos[slot] += amount.nanos);
    const atto = (this.atto[slot] += amount.atto);
    return Math.abs(nanos) <= SAFE_SUM && Math.abs(atto) <= SAFE_SUM;
  }

  /** Moves the slot's double sums, plus `extra` (1e-18 units), into its BigInt overflow. */
  spill(slot: number, extra: bigint): void {
    this.work.set(
      slot,
      (this.work.get(slot) ?? 0n) +
        extra +
        BigInt(this.nanos[slot]) * BIG_NANO +
        BigInt(this.atto[slot]),
    );
    this.nanos[slot] = 0;
    this.atto[slot] = 0;
  }

  grow(length: number): void {
    const grow = (column: Float64Array) => {
      const larger = new Float64Array(length);
      larger.set(column);
      return larger;
    };
    this.nanos = grow(this.nanos);
    this.atto = grow(this.atto);
  }

  /** The slot's exact sum in 1e-18 units. */
  readWork(slot: number): bigint {
    return (
      (this.work.get(slot) ?? 0n) +
      BigInt(this.nanos[slot]) * BIG_NANO +
      BigInt(this.atto[slot])
    );
  }

  /** The slot's sum rounded once, half to even, to nano-units. */
  read(slot: number): bigint {
    return roundToNanos(
      this.nanos[slot],
      this.atto[slot],
      this.work.get(slot) ?? 0n,
    );
  }
}

/** An amount read last, in 1e-18 units. */
function workOf(amount: AmountReader): bigint {
  return amount.work ?? BigInt(amount.nanos) * BIG_NANO + BigInt(amount.atto);
}

/**
 * Exact running sums of billed, effective and list cost per fact key, held in columns rather
 * than in an object per fact (an aggregation keeps hundreds of thousands; objects would cost
 * more memory and garbage-collection work).
 */
export class FactTable {
  private readonly slots = new Map<number, number>();
  private readonly billed = new SumColumn();
  private readonly effective = new SumColumn();
  private readonly list = new SumColumn();
  private lines = new Float64Array(1024);

  get size(): number {
    return this.slots.size;
  }

  keys(): IterableIterator<number> {
    return this.slots.keys();
  }

  /**
   * Adds the amounts `billed`, `effective` and `list` read last to the fact `key`: the sums of
   * `lines` lines (more than one when a source pre-aggregated them).
   */
  add(
    key: number,
    billed: AmountReader,
    effective: AmountReader,
    list: AmountReader,
    lines = 1,
  ): void {
    let slot = this.slots.get(key);
    if (slot === undefined) {
      slot = this.slots.size;
      if (slot === this.lines.length) this.grow();
      this.slots.set(key, slot);
    }
    this.lines[slot] += lines;
    if (
      billed.work === undefined &&
      effective.work === undefined &&
      list.work === undefined
    ) {
      // Non-short-circuit: every column takes its amount before any spill.
      const exact =
        +this.billed.add(slot, billed) &
        +this.effective.add(slot, effective) &
        +this.list.add(slot, list);
      if (!exact) {
        this.billed.spill(slot, 0n);
        this.effective.spill(slot, 0n);
        this.list.spill(slot, 0n);
      }
      return;
    }
    this.billed.spill(slot, workOf(billed));
    this.effective.spill(slot, workOf(effective));
    this.list.spill(slot, workOf(list));
  }

  private grow(): void {
    const length = this.lines.length * 2;
    const lines = new Float64Array(length);
    lines.set(this.lines);
    this.lines = lines;
    this.billed.grow(length);
    this.effective.grow(length);
    this.list.grow(length);
  }

  /** The fact's sums, each rounded once, half to even, to nano-units. */
  read(key: number):
    | {
        billedNanos: bigint;
        effectiveNanos: bigint;
        listNanos: bigint;
        lineCount: number;
      }
    | undefined {
    const slot = this.slots.get(key);
    if (slot === undefined) return undefined;
    return {
      billedNanos: this.billed.read(slot),
      effectiveNanos: this.effective.read(slot),
      listNanos: this.list.read(slot),
      lineCount: this.lines[slot],
    };
  }

  /** The fact's exact sums, unrounded: for a conversion that rounds only its product. */
  readWork(key: number): ExactSums | undefined {
    const slot = this.slots.get(key);
    if (slot === undefined) return undefined;
    return {
      billed: this.billed.readWork(slot),
      effective: this.effective.readWork(slot),
      list: this.list.readWork(slot),
    };
  }
}

/** The exact sums of a fact in 1e-18 units, before any rounding. */
export interface ExactSums {
  billed: bigint;
  effective: bigint;
  list: bigint;
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
