// One ingest of a FOCUS source, in a process of its own, through the backend's real migrations,
// FocusFileSource, IngestEngine, FactStore and RunRecorder: the part of the backend that
// sigkill.test.mjs kills. Run with `node --import tsx`.
//
//   ingestChild.ts --db sqlite:<file> | pg:<database>  --dir <focus dir>  [--pause-in-write]
//                  [--abandoned-after-ms <ms>]  (runs without a heartbeat this long are closed)
//
// stdout carries one line per event the test waits for:
//   migrated             the schema is up to date, the ingest starts
//   write-start          the first statement on costscope_cost_facts (the replacing transaction)
//   paused-in-write      with --pause-in-write: inside that transaction, after the old facts were
//                        deleted, before the commit; the process then blocks until killed
//   result <json>        the finished run record
// Logs go to stderr. Exit code 0 when the run succeeded.
import { parseArgs } from 'node:util';
import { LoggerService } from '@backstage/backend-plugin-api';
import knexFactory, { Knex } from 'knex';
import { IngestEngine } from '../../plugins/costscope-backend/src/ingest/IngestEngine';
import { RunRecorder } from '../../plugins/costscope-backend/src/pipeline/RunRecorder';
import { FocusFileSource } from '../../plugins/costscope-backend/src/sources/focus/FocusFileSource';
import { FactStore } from '../../plugins/costscope-backend/src/store/FactStore';
import { applyMigrations } from '../../plugins/costscope-backend/src/store/migrations';
import { RunStore } from '../../plugins/costscope-backend/src/store/RunStore';

const { values } = parseArgs({
  options: {
    db: { type: 'string' },
    dir: { type: 'string' },
    'pause-in-write': { type: 'boolean', default: false },
    'abandoned-after-ms': { type: 'string' },
  },
});
if (!values.db || !values.dir) {
  throw new Error(
    'usage: ingestChild.ts --db sqlite:<file>|pg:<db> --dir <dir>',
  );
}

function connect(db: string): Knex {
  if (db.startsWith('sqlite:')) {
    return knexFactory({
      client: 'better-sqlite3',
      connection: { filename: db.slice('sqlite:'.length) },
      useNullAsDefault: true,
    });
  }
  if (db.startsWith('pg:')) {
    const url = new URL(
      process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING ??
        'postgresql://postgres@127.0.0.1:5432',
    );
    return knexFactory({
      client: 'pg',
      connection: {
        host: url.hostname,
        port: Number(url.port || 5432),
        user: decodeURIComponent(url.username || 'postgres'),
        password: url.password ? decodeURIComponent(url.password) : undefined,
        database: db.slice('pg:'.length),
      },
    });
  }
  throw new Error(`--db ${db}: expected sqlite:<file> or pg:<database>`);
}

function stderrLogger(): LoggerService {
  const write = (level: string) => (message: string) => {
    process.stderr.write(`${level} ${message}\n`);
  };
  const logger: LoggerService = {
    error: write('error'),
    warn: write('warn'),
    info: write('info'),
    debug: () => {},
    child: () => logger,
  };
  return logger;
}

/** Writes an event line; stdout to a pipe is synchronous on Linux, so it is out before a kill. */
function announce(line: string) {
  process.stdout.write(`${line}\n`);
}

async function main() {
  const knex = connect(values.db!);
  await applyMigrations(knex);
  announce('migrated');

  // Hooks on knex's query events, so that they hold whatever way FactStore writes: the first
  // statement on the facts table opens the replacing transaction; with --pause-in-write, once
  // that statement has run, the process blocks at its next turn of the event loop (the facts
  // are then deleted and possibly some new ones inserted, all uncommitted).
  const isFactStatement = (sql: string) =>
    /^(delete from|insert into) [`"]?costscope_cost_facts\b/i.test(sql);
  let writing = false;
  let committed = false;
  let pauseScheduled = false;
  knex.on('query', (query: { sql: string }) => {
    if (!writing && isFactStatement(query.sql)) {
      writing = true;
      announce('write-start');
    } else if (writing && /^commit/i.test(query.sql)) {
      committed = true;
    }
  });
  knex.on('query-response', (_response: unknown, query: { sql: string }) => {
    if (!values['pause-in-write'] || pauseScheduled) return;
    if (!isFactStatement(query.sql)) return;
    pauseScheduled = true;
    setImmediate(() => {
      if (committed) {
        process.stderr.write(
          'the write transaction committed before the pause\n',
        );
        process.exit(3);
      }
      announce('paused-in-write');
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60_000);
      process.stderr.write(
        'was not killed while paused in the write transaction\n',
      );
      process.exit(3);
    });
  });

  const engine = new IngestEngine({
    store: new FactStore(knex),
    runs: new RunRecorder(new RunStore(knex), {
      abandonedAfterMs: values['abandoned-after-ms']
        ? Number(values['abandoned-after-ms'])
        : undefined,
    }),
    logger: stderrLogger(),
    maxRejectedShare: 0.05,
  });
  const run = await engine.run(
    new FocusFileSource({ id: 'files', paths: [values.dir!], currency: 'USD' }),
    'schedule',
  );
  announce(`result ${JSON.stringify(run)}`);
  await knex.destroy();
  process.exitCode = run.status === 'succeeded' ? 0 : 1;
}

main().catch(error => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exitCode = 2;
});
