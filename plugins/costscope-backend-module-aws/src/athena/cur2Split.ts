import {
  ALLOCATED_IDLE_RESOURCE_NAME,
  CostLine,
  CostLineAllocation,
} from '@costscope/backstage-plugin-node';

/** The engine's sums have at most 18 decimals (DECIMAL(38, 18) is the widest we ask for). */
const SCALE = 18;
const ONE = 10n ** BigInt(SCALE);

function units(amount: string): bigint {
  const negative = amount.startsWith('-');
  const [whole, fraction = ''] = (negative ? amount.slice(1) : amount).split(
    '.',
  );
  if (fraction.length > SCALE)
    throw new Error(`'${amount}' has more than ${SCALE} decimals`);
  const value = BigInt(whole + fraction.padEnd(SCALE, '0'));
  return negative ? -value : value;
}

function text(value: bigint): string {
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const fraction = (abs % ONE).toString().padStart(SCALE, '0');
  return `${negative ? '-' : ''}${abs / ONE}.${fraction}`;
}

interface Pod {
  allocation: CostLineAllocation;
  /** split_line_item_split_cost (amortized), in 1e-18 units. */
  split: bigint;
  /** split_line_item_public_on_demand_split_cost, likewise. */
  listSplit: bigint;
}

/**
 * AWS split cost allocation data (CUR 2.0) applied to the node lines it splits, exactly.
 *
 * AWS reports per pod (or ECS task) and hour its `split_cost`, the pod's part of the instance's
 * amortized cost, and `unused_cost`, its proportional part of the instance's idle capacity, on
 * rows of their own next to the instance's lines, which still carry the instance's whole cost.
 * Costscope keeps the instance's lines as the money and takes the pods' parts out of them: on a
 * day, pod j gets `line * split_j / total` of each of the instance's usage lines, rounded down at
 * 1e-18, where `total` is the instance's effective cost of the day (the list basis uses the
 * public on-demand split and the instance's list cost). The idle capacity gets the rest of each
 * line. So each pod's effective part is its split cost (exactly for a day in one line; a day
 * in several, covered and on demand, may lose 1e-18 a line to idle), the parts plus idle equal the
 * instance's lines exactly on every basis, and whatever AWS's figures do not account for (its
 * unused cost is computed in doubles and may miss the instance's cost by a few 1e-10) is idle.
 * If the pods' splits add up to more than the instance's cost, they are scaled down to it and
 * idle is zero. The billed basis follows the effective weights: AWS splits only amortized cost.
 *
 * The query orders pods first, then by day and resource, so that a node's lines of a day arrive
 * together after all its pods; they are held until the next node's (`add`) or the end (`flush`).
 */
export class Cur2Splitter {
  /** `day \0 parent instance` -> its pods. */
  private readonly pods = new Map<string, Pod[]>();
  private sawNode = false;
  /** The usage lines of the node-day being read, and its key. */
  private pending: CostLine[] = [];
  private pendingKey = '';

  /**
   * Takes a result line; returns the lines that are complete: a pod's line is kept as a
   * weight, a node's usage line is held until its day is complete, other lines pass.
   */
  add(line: CostLine): CostLine[] {
    if (line.allocated) {
      if (this.sawNode)
        throw new Error(
          'split cost allocation rows came after node lines: the query must order pods first',
        );
      const key = `${line.chargeDate}\u0000${line.resourceId ?? ''}`;
      const list = this.pods.get(key) ?? [];
      list.push({
        allocation: line.allocated,
        split: units(line.effectiveCost),
        listSplit: units(line.listCost ?? '0'),
      });
      this.pods.set(key, list);
      return [];
    }
    this.sawNode = true;
    const key = `${line.chargeDate}\u0000${line.resourceId ?? ''}`;
    // Only the instance's compute is split: its data transfer and other services stay whole.
    if (
      line.chargeCategory !== 'Usage' ||
      line.serviceName !== 'AmazonEC2' ||
      !this.pods.has(key)
    )
      return [line];
    const done = key === this.pendingKey ? [] : this.flush();
    this.pendingKey = key;
    this.pending.push(line);
    return done;
  }

  /** The held node-day's lines, split. */
  flush(): CostLine[] {
    const lines = this.pending;
    const pods = this.pods.get(this.pendingKey);
    this.pending = [];
    this.pendingKey = '';
    return lines.length && pods ? splitNodeDay(lines, pods) : lines;
  }
}

/** `amount * weight / total`, rounded down; `total` is positive. */
function part(amount: bigint, weight: bigint, total: bigint): bigint {
  const product = amount * weight;
  const q = product / total;
  return product % total !== 0n && product < 0n ? q - 1n : q;
}

function splitNodeDay(lines: CostLine[], pods: Pod[]): CostLine[] {
  const sum = (values: bigint[]) => values.reduce((a, b) => a + b, 0n);
  const list = (line: CostLine) => units(line.listCost ?? line.billedCost);
  const splits = sum(pods.map(p => p.split));
  const listSplits = sum(pods.map(p => p.listSplit));
  const effectiveTotal = sum(lines.map(l => units(l.effectiveCost)));
  const listTotal = sum(lines.map(list));
  const denominator = splits > effectiveTotal ? splits : effectiveTotal;
  const listDenominator = listSplits > listTotal ? listSplits : listTotal;
  const out: CostLine[] = [];
  for (const line of lines) {
    const amounts = {
      billed: units(line.billedCost),
      effective: units(line.effectiveCost),
      list: list(line),
    };
    const rest = { ...amounts };
    for (const pod of pods) {
      const billed =
        denominator > 0n && pod.split > 0n
          ? part(amounts.billed, pod.split, denominator)
          : 0n;
      const effective =
        denominator > 0n && pod.split > 0n
          ? part(amounts.effective, pod.split, denominator)
          : 0n;
      const listed =
        listDenominator > 0n && pod.listSplit > 0n
          ? part(amounts.list, pod.listSplit, listDenominator)
          : 0n;
      rest.billed -= billed;
      rest.effective -= effective;
      rest.list -= listed;
      out.push({
        ...line,
        billedCost: text(billed),
        effectiveCost: text(effective),
        listCost: text(listed),
        allocated: pod.allocation,
      });
    }
    out.push({
      ...line,
      billedCost: text(rest.billed),
      effectiveCost: text(rest.effective),
      listCost: text(rest.list),
      allocated: {
        methodId: pods[0].allocation.methodId,
        resourceName: ALLOCATED_IDLE_RESOURCE_NAME,
        tags: {},
      },
    });
  }
  return out;
}
