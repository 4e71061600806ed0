/** Refs kept by default, summed over every set: about 10 MB of short strings. */
const DEFAULT_MAX_REFS = 100_000;

export interface HiddenSetCacheOptions {
  /**
   * The version of the catalog snapshot the sets are computed from, read for each call
   * (calls arriving while a read is under way share it); undefined keeps nothing.
   */
  version(): Promise<string | undefined>;
  /** At most this many refs kept, summed over the sets (an empty set counts as one). */
  maxRefs?: number;
}

/** What a computation found, and whether it may be kept under the snapshot's version. */
export interface ComputedHiddenSet {
  hidden: ReadonlySet<string>;
  /** False when the set depends on more than the snapshot (an entity read from the catalog). */
  keep: boolean;
}

/**
 * Hidden sets computed from the last allocation's catalog snapshot, kept per snapshot
 * version, scope and policy decision. A set from Costscope's own conditions depends on the
 * decision and the snapshot only, so every request of every user whose policy decides the
 * same reuses one computation until the snapshot changes: a restricted page then costs what
 * an open one does once the first request after a catalog change has paid for its set.
 * Concurrent calls for one set share one computation. In this instance's memory, least
 * recently used sets dropped beyond `maxRefs`, all of them when the version changes.
 */
export class HiddenSetCache {
  private readonly maxRefs: number;
  /** The current version's sets, least recently used first (a Map iterates in insertion order). */
  private readonly kept = new Map<string, ReadonlySet<string>>();
  private keptRefs = 0;
  private keptVersion: string | undefined;
  private readonly inFlight = new Map<string, Promise<ReadonlySet<string>>>();
  private versionRead: Promise<string | undefined> | undefined;

  constructor(private readonly options: HiddenSetCacheOptions) {
    this.maxRefs = options.maxRefs ?? DEFAULT_MAX_REFS;
  }

  /**
   * The hidden set of `scope` (the entities a check is about, e.g. `below:<ref>`) under a
   * decision (its canonical form, {@link canonicalJson}), from `compute` when not kept.
   * `version`: the snapshot's version as the request already read it ({@link version}).
   */
  async get(
    scope: string,
    decision: string,
    compute: () => Promise<ComputedHiddenSet>,
    version: Promise<string | undefined> = this.version(),
  ): Promise<ReadonlySet<string>> {
    return this.getAt(await version, scope, decision, compute);
  }

  private async getAt(
    version: string | undefined,
    scope: string,
    decision: string,
    compute: () => Promise<ComputedHiddenSet>,
  ): Promise<ReadonlySet<string>> {
    // Before the first allocation there is no version to key on: nothing is kept.
    if (version === undefined) return (await compute()).hidden;
    if (version !== this.keptVersion) {
      this.kept.clear();
      this.keptRefs = 0;
      this.keptVersion = version;
    }
    const key = JSON.stringify([version, scope, decision]);
    const kept = this.kept.get(key);
    if (kept) {
      // Most recently used goes last.
      this.kept.delete(key);
      this.kept.set(key, kept);
      return kept;
    }
    const pending = this.inFlight.get(key);
    if (pending) return pending;

    const computed = compute().then(({ hidden, keep }) => {
      if (keep && this.keptVersion === version) this.keep(key, hidden);
      return hidden;
    });
    this.inFlight.set(key, computed);
    try {
      return await computed;
    } finally {
      this.inFlight.delete(key);
    }
  }

  /** How many sets and refs are kept (for tests). */
  get size(): { sets: number; refs: number } {
    return { sets: this.kept.size, refs: this.keptRefs };
  }

  private keep(key: string, hidden: ReadonlySet<string>) {
    const weight = weightOf(hidden);
    if (weight > this.maxRefs) return;
    this.kept.set(key, hidden);
    this.keptRefs += weight;
    while (this.keptRefs > this.maxRefs) {
      const [oldest, set] = this.kept.entries().next().value!;
      this.kept.delete(oldest);
      this.keptRefs -= weightOf(set);
    }
  }

  /**
   * The snapshot's current version. Calls arriving while a read is under way share it (one
   * read per burst of requests, not per request).
   */
  version(): Promise<string | undefined> {
    this.versionRead ??= this.options.version().finally(() => {
      this.versionRead = undefined;
    });
    return this.versionRead;
  }
}

function weightOf(hidden: ReadonlySet<string>): number {
  return Math.max(1, hidden.size);
}

/**
 * JSON with every object's keys sorted, so that two equal decisions have one form whatever
 * order their properties were written in. Arrays keep their order.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map(k => [k, v[k]]),
        )
      : v,
  );
}
