import { TestDatabases } from '@backstage/backend-test-utils';

/**
 * Every database test runs on SQLite and on PostgreSQL. PostgreSQL is reached through
 * BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING (set by `npm test`); without it the
 * test fails rather than being skipped.
 */
export function createTestDatabases(): TestDatabases {
  return TestDatabases.create({
    ids: ['SQLITE_3', 'POSTGRES_15'],
    disableDocker: true,
  });
}
