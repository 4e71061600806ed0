import { createHash } from 'node:crypto';
import { CacheService } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';

/** The `costscope_state` key whose value changes with every rebuild of the rollups. */
export const ROLLUP_VERSION_KEY = 'rollup_version';

/** How long an answer is kept; a rebuild makes it unreachable sooner. */
const TTL_MS = 10 * 60_000;
/** Answers of the current version also kept in this instance's memory, ready to send. */
const MAX_RECENT = 256;

/**
 * API answers read from the rollups, kept as JSON text under the rollup version they were
 * read at. Every allocation rebuild writes a new version in its own transaction, so an answer
 * is never served after the data it came from was replaced, on any instance: each request
 * reads the version (one primary-key read) and only a matching answer is used. A team page
 * that aggregates tens of thousands of rollup rows is then computed once per rebuild, not once
 * per visit.
 *
 * Two levels: Backstage's cache service, shared by instances when it is Redis or Memcache,
 * and the most recent answers in this instance's memory. The text is kept, not the object:
 * a team's summary is large, and parsing and serialising it again on every hit cost more
 * than PostgreSQL's aggregation. Concurrent misses of one key here share one computation.
 */
export class RollupReadCache {
  private readonly inFlight = new Map<string, Promise<string>>();
  private readonly recent = new Map<string, string>();
  private recentVersion: string | undefined;
  private versionRead: Promise<string | undefined> | undefined;

  constructor(
    private readonly knex: Knex,
    private readonly cache: CacheService,
  ) {}

  /** The answer for `parts` at the current rollup version, as JSON text. */
  async json(
    parts: string[],
    compute: () => Promise<unknown>,
  ): Promise<string> {
    const version = await this.version();
    // Before the first rebuild there is no version to key on: nothing is kept.
    if (!version) return JSON.stringify(await compute());
    if (version !== this.recentVersion) {
      this.recent.clear();
      this.recentVersion = version;
    }
    const key = `rollup:${createHash('sha256')
      .update(JSON.stringify([version, ...parts]))
      .digest('hex')}`;
    const recent = this.recent.get(key);
    if (recent !== undefined) return recent;
    const pending = this.inFlight.get(key);
    if (pending) return pending;

    const read = this.readOrCompute(key, compute);
    this.inFlight.set(key, read);
    try {
      const text = await read;
      if (this.recentVersion === version) this.remember(key, text);
      return text;
    } finally {
      this.inFlight.delete(key);
    }
  }

  private async readOrCompute(
    key: string,
    compute: () => Promise<unknown>,
  ): Promise<string> {
    const shared = await this.cache.get(key);
    if (typeof shared === 'string') return shared;
    const text = JSON.stringify(await compute());
    await this.cache.set(key, text, { ttl: TTL_MS });
    return text;
  }

  private remember(key: string, text: string) {
    this.recent.set(key, text);
    if (this.recent.size > MAX_RECENT) {
      // Maps iterate in insertion order: the first key is the oldest.
      this.recent.delete(this.recent.keys().next().value!);
    }
  }

  /**
   * The current rollup version. Requests arriving while a read is under way share it (one
   * round trip per burst, not per request): the read started no earlier than they did
   * minus its own duration, so an answer is at most that much older than the request.
   */
  private version(): Promise<string | undefined> {
    this.versionRead ??= this.readVersion().finally(() => {
      this.versionRead = undefined;
    });
    return this.versionRead;
  }

  private readVersion(): Promise<string | undefined> {
    return readRollupVersion(this.knex);
  }
}

/** The version the last rebuild of the rollups wrote; undefined before the first. */
export async function readRollupVersion(
  db: Knex | Knex.Transaction,
): Promise<string | undefined> {
  const row = await db('costscope_state')
    .where({ key: ROLLUP_VERSION_KEY })
    .first('value');
  return row?.value;
}
