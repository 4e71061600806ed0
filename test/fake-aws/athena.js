'use strict';

// Amazon Athena (JSON 1.1, target AmazonAthena.*): StartQueryExecution, GetQueryExecution,
// GetQueryResults, StopQueryExecution and GetTableMetadata (the table's columns as Glue lists
// them: lower-case names, Hive types such as `string` or `map<string,string>`, the partition
// column under PartitionKeys). The submitted SQL really runs, in DuckDB, over local
// Parquet files registered as tables (`athenaTables: { 'db.table': DIR }`): each table is a
// view over DIR/**/*.parquet with hive partitioning (`BILLING_PERIOD=YYYY-MM/` directories
// give a `billing_period` column). DuckDB is loaded on the first query only.
//
// States run QUEUED -> RUNNING -> SUCCEEDED | FAILED by the clock (`athenaDelayMs`), or
// CANCELLED by StopQueryExecution. DataScannedInBytes is an approximation: the sizes of the
// Parquet files of each table the SQL names, restricted to the partitions of its
// `billing_period = 'YYYY-MM'` predicates when it has any (whole files, as if no column or
// row group were pruned). RUNNING already reports the full figure.

const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const {
  ServiceError,
  jsonTargetRoute,
  jsonWire,
  runOperation,
} = require('./wire');
const { requestHash, encodeToken, decodeToken } = require('./paging');

const TARGET_PREFIX = 'AmazonAthena.';
const MAX_RESULTS = 1000;
const PARTITION_KEY = 'billing_period';

const FAULTS = {
  throttle: () =>
    new ServiceError('TooManyRequestsException', 'Rate exceeded', {
      status: 400,
    }),
  'server-error': () =>
    new ServiceError('InternalServerException', 'Internal error', {
      status: 500,
    }),
  deny: ({ operation }) =>
    new ServiceError(
      'AccessDeniedException',
      `User is not authorized to perform: athena:${operation} on the workgroup`,
      { status: 400 },
    ),
};

const invalid = message => new ServiceError('InvalidRequestException', message);
const sqlText = text => `'${String(text).replace(/'/g, "''")}'`;
const sqlName = name => `"${String(name).replace(/"/g, '""')}"`;

/** 'db.table' -> { database, table }, lower-cased as Glue names them. */
function tableName(qualified) {
  const m = /^([A-Za-z0-9_]+)\.([A-Za-z0-9_]+)$/.exec(qualified);
  if (!m) throw new Error(`Athena table must be DB.TABLE, not '${qualified}'`);
  return { database: m[1].toLowerCase(), table: m[2].toLowerCase() };
}

function parquetFiles(dir) {
  const out = [];
  const walk = d => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.parquet')) out.push(full);
    }
  };
  if (fs.existsSync(dir)) walk(dir);
  return out;
}

/** The hive partition value of `key` in a file's path, case-insensitively; undefined if none. */
function partitionOf(dir, file, key) {
  for (const part of path.relative(dir, file).split(path.sep)) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).toLowerCase() === key) {
      return part.slice(eq + 1);
    }
  }
  return undefined;
}

/** Athena's column type names for DuckDB's. */
function columnInfo(name, type) {
  const text = String(type);
  const base = text.replace(/\(.*$/, '');
  const simple = {
    VARCHAR: 'varchar',
    BIGINT: 'bigint',
    INTEGER: 'integer',
    SMALLINT: 'smallint',
    TINYINT: 'tinyint',
    DOUBLE: 'double',
    FLOAT: 'real',
    BOOLEAN: 'boolean',
    DATE: 'date',
    TIMESTAMP: 'timestamp',
    'TIMESTAMP WITH TIME ZONE': 'timestamp with time zone',
    DECIMAL: 'decimal',
    HUGEINT: 'decimal',
  };
  const info = {
    CatalogName: 'hive',
    SchemaName: '',
    TableName: '',
    Name: name,
    Label: name,
    Type: simple[base] || 'varchar',
    Precision: 0,
    Scale: 0,
    Nullable: 'UNKNOWN',
    CaseSensitive: base === 'VARCHAR',
  };
  if (base === 'DECIMAL') {
    info.Precision = type.width;
    info.Scale = type.scale;
  } else if (base === 'VARCHAR') info.Precision = 2147483647;
  return info;
}

/** A DuckDB type (a @duckdb/node-api type object) as Glue's Hive type name. */
function hiveType(type) {
  if (type.entryNames && type.entryTypes)
    return `struct<${type.entryNames
      .map((n, i) => `${n.toLowerCase()}:${hiveType(type.entryTypes[i])}`)
      .join(',')}>`;
  if (type.keyType && type.valueType)
    return `map<${hiveType(type.keyType)},${hiveType(type.valueType)}>`;
  if (type.valueType) return `array<${hiveType(type.valueType)}>`;
  const info = columnInfo('', type);
  if (info.Type === 'varchar') return 'string';
  if (info.Type === 'decimal')
    return `decimal(${info.Precision},${info.Scale})`;
  if (info.Type === 'integer') return 'int';
  if (info.Type === 'real') return 'float';
  return info.Type.replace(' with time zone', '');
}

/**
 * @param {{ tables?: Record<string, string>, delayMs?: number }} options
 */
function createAthena({ tables = {}, delayMs = 200 } = {}) {
  const wire = jsonWire({ version: '1.1' });
  const registered = Object.entries(tables).map(([qualified, dir]) => ({
    ...tableName(qualified),
    dir: path.resolve(dir),
  }));
  /** @type {Map<string, any>} */
  const executions = new Map();
  let duck; // Promise<DuckDBInstance>

  async function instance() {
    if (!duck) {
      duck = (async () => {
        // Loaded here: the rest of the fake AWS does not need DuckDB's native module.
        const { DuckDBInstance } = require('@duckdb/node-api');
        const db = await DuckDBInstance.create(':memory:', {
          threads: '1',
          memory_limit: '512MB',
        });
        const c = await db.connect();
        // Trino's json_format(JSON) -> varchar: DuckDB's JSON is text already.
        await c.run('CREATE MACRO json_format(j) AS CAST(j AS VARCHAR)');
        for (const { database, table, dir } of registered) {
          await c.run(`CREATE SCHEMA IF NOT EXISTS ${sqlName(database)}`);
          // A view binds its files at every query: files added later are seen.
          await c.run(
            `CREATE VIEW ${sqlName(database)}.${sqlName(
              table,
            )} AS SELECT * FROM read_parquet(${sqlText(
              `${dir}/**/*.parquet`,
            )}, hive_partitioning = true, hive_types_autocast = false, union_by_name = true)`,
          );
        }
        c.closeSync();
        return db;
      })();
    }
    return duck;
  }

  /** The bytes a query scans: see the header. */
  function scannedBytes(sql, database) {
    const lower = sql.toLowerCase();
    const periods = [
      ...lower.matchAll(
        new RegExp(`"?${PARTITION_KEY}"?\\s*=\\s*'([^']*)'`, 'g'),
      ),
    ].map(m => m[1]);
    let bytes = 0;
    for (const t of registered) {
      const qualified = new RegExp(
        `"?${t.database}"?\\s*\\.\\s*"?${t.table}"?\\b`,
      );
      const bare = new RegExp(`\\bfrom\\s+"?${t.table}"?\\b`);
      if (
        !qualified.test(lower) &&
        !(t.database === database && bare.test(lower))
      )
        continue;
      for (const file of parquetFiles(t.dir)) {
        const period = partitionOf(t.dir, file, PARTITION_KEY);
        if (periods.length && !periods.includes(String(period).toLowerCase()))
          continue;
        bytes += fs.statSync(file).size;
      }
    }
    return bytes;
  }

  /** Runs the query in DuckDB; the execution's outcome is set when it is done. */
  async function execute(exec) {
    const db = await instance();
    const c = await db.connect();
    try {
      await c.run("SET TimeZone = 'UTC'");
      if (exec.database) {
        if (!registered.some(t => t.database === exec.database)) {
          throw new Error(
            `SCHEMA_NOT_FOUND: line 1:1: Schema '${exec.database}' does not exist`,
          );
        }
        await c.run(`USE ${sqlName(exec.database)}`);
      }
      const reader = await c.runAndReadAll(exec.query);
      const names = reader.columnNames();
      const types = reader.columnTypes();
      // Trino names result columns in lower case, as Glue names table columns.
      exec.columns = names.map((n, i) => columnInfo(n.toLowerCase(), types[i]));
      exec.rows = reader
        .getRows()
        .map(row => row.map(v => (v === null ? null : String(v))));
      exec.outcome = { state: 'SUCCEEDED' };
    } catch (e) {
      exec.outcome = { state: 'FAILED', reason: e.message };
    } finally {
      c.closeSync();
    }
  }

  /** The state by the clock, and the outcome once the delay passed and DuckDB is done. */
  function stateOf(exec) {
    if (exec.final) return exec.final;
    const elapsed = Date.now() - exec.submitted;
    if (elapsed < delayMs / 2) return { state: 'QUEUED' };
    if (elapsed < delayMs || !exec.outcome) return { state: 'RUNNING' };
    exec.final = { ...exec.outcome, completed: exec.submitted + delayMs };
    return exec.final;
  }

  function find(params) {
    const id = params.QueryExecutionId;
    if (typeof id !== 'string' || !id)
      throw invalid('QueryExecutionId is required');
    const exec = executions.get(id);
    if (!exec) throw invalid(`QueryExecution ${id} was not found`);
    return exec;
  }

  async function startQueryExecution(params) {
    const query = params.QueryString;
    if (typeof query !== 'string' || query.length < 1 || query.length > 262144)
      throw invalid('QueryString must be 1 to 262144 characters');
    const output = params.ResultConfiguration?.OutputLocation;
    if (!output)
      throw invalid(
        'No output location provided. An output location is required either through the Workgroup result configuration setting or as an API input.',
      );
    if (!/^s3:\/\/[^/]+/.test(output))
      throw invalid(`Invalid output location: ${output}`);
    const db = await instance();
    const c = await db.connect();
    try {
      // Athena parses at submission: a syntax error is the request's error.
      let statements;
      try {
        statements = await c.extractStatements(query);
      } catch (e) {
        throw invalid(e.message.replace(/^Failed to extract statements: /, ''));
      }
      if (statements.count !== 1)
        throw invalid('Only one sql statement is allowed.');
    } finally {
      c.closeSync();
    }
    if (!/^\s*(select|with)\b/i.test(query))
      throw invalid('The fake Athena runs SELECT queries only');
    const database = (
      params.QueryExecutionContext?.Database || 'default'
    ).toLowerCase();
    const id = crypto.randomUUID();
    const exec = {
      id,
      query,
      database,
      workGroup: params.WorkGroup || 'primary',
      output: `${output.replace(/\/$/, '')}/${id}.csv`,
      submitted: Date.now(),
      bytes: scannedBytes(query, database),
    };
    executions.set(id, exec);
    execute(exec);
    return { QueryExecutionId: id };
  }

  function getQueryExecution(params) {
    const exec = find(params);
    const s = stateOf(exec);
    const done = ['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(s.state);
    const running = s.state !== 'QUEUED';
    const queueMs = Math.min(Date.now() - exec.submitted, delayMs / 2);
    return {
      QueryExecution: {
        QueryExecutionId: exec.id,
        Query: exec.query,
        StatementType: 'DML',
        ResultConfiguration: { OutputLocation: exec.output },
        QueryExecutionContext: {
          Database: exec.database,
          Catalog: 'awsdatacatalog',
        },
        Status: {
          State: s.state,
          SubmissionDateTime: exec.submitted / 1000,
          ...(done ? { CompletionDateTime: s.completed / 1000 } : {}),
          ...(s.reason ? { StateChangeReason: s.reason } : {}),
          ...(s.state === 'FAILED'
            ? {
                AthenaError: {
                  ErrorCategory: 2,
                  ErrorType: 1000,
                  Retryable: false,
                  ErrorMessage: s.reason,
                },
              }
            : {}),
        },
        Statistics: {
          QueryQueueTimeInMillis: Math.round(queueMs),
          ...(running
            ? {
                DataScannedInBytes: exec.bytes,
                EngineExecutionTimeInMillis: Math.round(
                  (done ? s.completed : Date.now()) - exec.submitted - queueMs,
                ),
              }
            : {}),
          ...(done
            ? {
                TotalExecutionTimeInMillis: Math.round(
                  s.completed - exec.submitted,
                ),
              }
            : {}),
        },
        WorkGroup: exec.workGroup,
        EngineVersion: {
          SelectedEngineVersion: 'AUTO',
          EffectiveEngineVersion: 'Athena engine version 3',
        },
      },
    };
  }

  function getQueryResults(params, ctx) {
    const exec = find(params);
    const s = stateOf(exec);
    if (s.state === 'QUEUED' || s.state === 'RUNNING')
      throw invalid(`Query has not yet finished. Current state: ${s.state}`);
    if (s.state !== 'SUCCEEDED')
      throw invalid(`Query did not finish successfully. Final query state: ${
        s.state
      }
${s.reason || ''}`);
    const max =
      params.MaxResults === undefined ? MAX_RESULTS : params.MaxResults;
    if (!Number.isInteger(max) || max < 1 || max > MAX_RESULTS)
      throw invalid(`MaxResults must be from 1 to ${MAX_RESULTS}`);
    const hash = requestHash(
      ctx,
      'GetQueryResults',
      { QueryExecutionId: exec.id },
      'NextToken',
    );
    const offset = decodeToken(params.NextToken, hash, {
      invalid: () => invalid('The NextToken is not valid'),
      changed: () => invalid('The NextToken is not valid'),
    });
    // The first row is the header row, as Athena sends it for a SELECT.
    const all = [exec.columns.map(c => c.Name), ...exec.rows];
    const page = all.slice(offset, offset + max);
    const next = offset + max < all.length ? offset + max : undefined;
    return {
      UpdateCount: 0,
      ResultSet: {
        Rows: page.map(row => ({
          Data: row.map(v => (v === null ? {} : { VarCharValue: v })),
        })),
        ResultSetMetadata: { ColumnInfo: exec.columns },
      },
      ...(next !== undefined ? { NextToken: encodeToken(next, hash) } : {}),
    };
  }

  function stopQueryExecution(params) {
    const exec = find(params);
    const s = stateOf(exec);
    if (s.state === 'QUEUED' || s.state === 'RUNNING') {
      exec.final = { state: 'CANCELLED', completed: Date.now() };
      // Athena bills what a cancelled query scanned so far: here all of it once it ran.
      if (s.state === 'QUEUED') exec.bytes = 0;
    }
    return {};
  }

  async function getTableMetadata(params) {
    const catalog = params.CatalogName;
    if (typeof catalog !== 'string' || !catalog)
      throw invalid('CatalogName is required');
    if (catalog.toLowerCase() !== 'awsdatacatalog')
      throw new ServiceError(
        'MetadataException',
        `Catalog ${catalog} was not found`,
      );
    const database = String(params.DatabaseName ?? '').toLowerCase();
    const table = String(params.TableName ?? '').toLowerCase();
    const t = registered.find(
      r => r.database === database && r.table === table,
    );
    if (!t)
      throw new ServiceError(
        'MetadataException',
        `EntityNotFoundException: Table ${table} not found in database ${database}`,
      );
    const db = await instance();
    const c = await db.connect();
    let names;
    let types;
    try {
      const reader = await c.runAndReadAll(
        `SELECT * FROM ${sqlName(t.database)}.${sqlName(t.table)} LIMIT 0`,
      );
      names = reader.columnNames();
      types = reader.columnTypes();
    } finally {
      c.closeSync();
    }
    const columns = names.map((n, i) => ({
      Name: n.toLowerCase(),
      Type: hiveType(types[i]),
    }));
    return {
      TableMetadata: {
        Name: t.table,
        TableType: 'EXTERNAL_TABLE',
        Columns: columns.filter(col => col.Name !== PARTITION_KEY),
        PartitionKeys: columns.filter(col => col.Name === PARTITION_KEY),
        Parameters: { classification: 'parquet' },
      },
    };
  }

  const OPERATIONS = {
    GetTableMetadata: getTableMetadata,
    StartQueryExecution: startQueryExecution,
    GetQueryExecution: getQueryExecution,
    GetQueryResults: getQueryResults,
    StopQueryExecution: stopQueryExecution,
  };

  return {
    name: 'athena',
    route: jsonTargetRoute(TARGET_PREFIX, wire),
    handle: (operation, params, ctx) =>
      runOperation(
        OPERATIONS,
        operation,
        params,
        ctx,
        'UnknownOperationException',
      ),
    faultError: (kind, request) => FAULTS[kind](request),
    /** Executions in submission order, for tests: { id, query, state, bytes }. */
    executions: () =>
      [...executions.values()].map(e => ({
        id: e.id,
        query: e.query,
        database: e.database,
        workGroup: e.workGroup,
        state: stateOf(e).state,
        bytes: e.bytes,
      })),
    close: async () => {
      if (duck) (await duck).closeSync();
    },
  };
}

module.exports = { createAthena, partitionOf, PARTITION_KEY };
