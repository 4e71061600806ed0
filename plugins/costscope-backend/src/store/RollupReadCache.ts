import { createHash } from 'node:crypto';
import { CacheService } from '@backstage/backend-plugin-api';
import { JsonValue } from '@backstage/types';
import { Knex } from 'knex';

/** The `costscope_state` key whose value changes with every rebuild of the rollups. */
export const ROLLUP_VERSION_KEY = 'rollup_version';

/** How long an answer is kept; a rebuild makes it unreachable sooner. */
const TTL_MS = 10 * 60_000;

/**
 * Answers read from the rollups, kept in Backstage's cache under the rollup version they were
 * read at. Every allocation rebuild writes a new version in its own transaction, so an answer
 * is never served after the data it came from was replaced, on any instance: each request
 * reads the version (one primary-key read) and only a matching answer is used. A team page
 * that aggregates tens of thousands of rollup rows is then computed once per rebuild, not once
 * per visit. Concurrent misses of one key in this instance share one computation.
 */
export class RollupReadCache {
  private readonly inFlight = new Map<string, Promise<unknown>>();

  constructor(
    private readonly knex: Knex,
    private readonly cache: CacheService,
  ) {}

  /** The answer for `parts` at the current rollup version; `compute` reads it on a miss. */
  async through<T>(parts: string[], compute: () => Promise<T>): Promise<T> {
    const version = await this.version();
    // Before the first rebuild there is no version to key on: nothing is kept.
    if (!version) return compute();
    const key = `rollup:${createHash('sha256')
      .update(JSON.stringify([version, ...parts]))
      .digest('hex')}`;
    const hit = await this.cache.get(key);
    if (hit !== undefined) return hit as T;
    const pending = this.inFlight.get(key);
    if (pending) return (await pending) as T;

    const computed = compute();
    this.inFlight.set(key, computed);
    try {
      const value = await computed;
      // API answers are plain JSON (what the route sends).
      await this.cache.set(key, value as unknown as JsonValue, { ttl: TTL_MS });
      return value;
    } finally {
      this.inFlight.delete(key);
    }
  }

  private async version(): Promise<string | undefined> {
    const row = await this.knex('costscope_state')
      .where({ key: ROLLUP_VERSION_KEY })
      .first('value');
    return row?.value;
  }
}
