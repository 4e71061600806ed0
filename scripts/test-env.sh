# Sourced by the test scripts: PostgreSQL for TestDatabases. Every database test runs on SQLite
# and on this server; set the variable yourself to point elsewhere.
export BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING="${BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING:-postgresql://postgres@127.0.0.1:5432}"
export CI="${CI:-true}"
