'use strict';

// A local fake of the BigQuery REST API (v2) as @google-cloud/bigquery calls it: jobs.insert
// (with dryRun and maximumBytesBilled), jobs.get, jobs.getQueryResults (paged, jobComplete),
// jobs.cancel, and tables.get (the schema, nested types as RECORD fields). The submitted
// GoogleSQL really runs, in DuckDB, over local Parquet files registered as tables
// (`tables: { 'project.dataset.table': DIR }`), each a view over DIR/**/*.parquet. JSON shapes
// follow Google's BigQuery REST reference (Job, JobStatus, JobStatistics,
// GetQueryResultsResponse, ErrorProto, Table); see README.md for what is approximated.
//
// GoogleSQL -> DuckDB: a backtick-quoted name (`p.d.t`) becomes one double-quoted DuckDB name
// ("p.d.t"), the name the table's view is registered under; BIGNUMERIC is a DuckDB type
// DECIMAL(38, 18) and TO_JSON_STRING a macro over to_json. STRING, DATE '...' and CAST work as
// they are. `p.d.INFORMATION_SCHEMA.PARTITIONS` is a table rebuilt from the files before every
// query: one partition per `billing_period=YYYY-MM/` directory (partition_id YYYYMM), or one
// NULL partition for a table whose files are not in such directories.

const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');

const MIB = 1024 * 1024;
/** BigQuery bills at least 10 MB per table a query references. */
const MIN_BILLED_PER_TABLE = 10 * MIB;
const DEFAULT_PAGE_ROWS = 100000;
const PARTITION_KEY = 'billing_period';
const FAULT_OPERATIONS = [
  'tables.get',
  'jobs.insert',
  'jobs.get',
  'jobs.getQueryResults',
  'jobs.cancel',
];

const sqlText = text => `'${String(text).replace(/'/g, "''")}'`;
const sqlName = name => `"${String(name).replace(/"/g, '""')}"`;

class BigQueryError extends Error {
  /**
   * @param {number} code HTTP status
   * @param {string} reason ErrorProto reason
   * @param {string} message
   * @param {string} status google.rpc status name
   */
  constructor(code, reason, message, status) {
    super(message);
    this.code = code;
    this.reason = reason;
    this.status = status;
  }

  /** The error body as BigQuery sends it. */
  body() {
    return {
      error: {
        code: this.code,
        message: this.message,
        errors: [
          { message: this.message, domain: 'global', reason: this.reason },
        ],
        status: this.status,
      },
    };
  }

  /** As an ErrorProto inside a job's status. */
  proto() {
    return { reason: this.reason, location: 'query', message: this.message };
  }
}

const invalidQuery = message =>
  new BigQueryError(400, 'invalidQuery', message, 'INVALID_ARGUMENT');
const invalid = message =>
  new BigQueryError(400, 'invalid', message, 'INVALID_ARGUMENT');
const notFound = message =>
  new BigQueryError(404, 'notFound', message, 'NOT_FOUND');

const FAULTS = {
  // BigQuery's documented answer to too many API requests: 403 rateLimitExceeded.
  throttle: () =>
    new BigQueryError(
      403,
      'rateLimitExceeded',
      'Exceeded rate limits: too many api requests per user per method for this user_method. For more information, see https://cloud.google.com/bigquery/docs/troubleshoot-quotas',
      'PERMISSION_DENIED',
    ),
  'too-many-requests': () =>
    new BigQueryError(
      429,
      'rateLimitExceeded',
      'Quota exceeded: Your project exceeded quota for concurrent queries.',
      'RESOURCE_EXHAUSTED',
    ),
  deny: project =>
    new BigQueryError(
      403,
      'accessDenied',
      `Access Denied: Project ${project}: User does not have bigquery.jobs.create permission in project ${project}.`,
      'PERMISSION_DENIED',
    ),
  'server-error': () =>
    new BigQueryError(
      500,
      'backendError',
      'Error encountered during execution. Retrying may solve the problem.',
      'INTERNAL',
    ),
};

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
  return out.sort();
}

/** The `billing_period=YYYY-MM` directory of a file, as 'YYYY-MM'; undefined if none. */
function periodOf(dir, file) {
  for (const part of path.relative(dir, file).split(path.sep)) {
    const m = /^([^=]+)=(\d{4}-\d{2})$/.exec(part);
    if (m && m[1].toLowerCase() === PARTITION_KEY) return m[2];
  }
  return undefined;
}

/** 'p.d.t' -> its parts; BigQuery project ids may hold hyphens. */
function tableParts(qualified) {
  const m =
    /^([a-z][a-z0-9-]{4,28}[a-z0-9])\.([A-Za-z0-9_]+)\.([A-Za-z0-9_]+)$/.exec(
      qualified,
    );
  if (!m)
    throw new Error(
      `fake BigQuery: table must be project.dataset.table, not '${qualified}'`,
    );
  return { project: m[1], dataset: m[2], table: m[3] };
}

/** BigQuery's schema type for a DuckDB type. */
function fieldOf(name, type) {
  const base = String(type).replace(/\(.*$/, '');
  const types = {
    VARCHAR: 'STRING',
    BIGINT: 'INTEGER',
    INTEGER: 'INTEGER',
    SMALLINT: 'INTEGER',
    TINYINT: 'INTEGER',
    HUGEINT: 'BIGNUMERIC',
    UBIGINT: 'INTEGER',
    DOUBLE: 'FLOAT',
    FLOAT: 'FLOAT',
    BOOLEAN: 'BOOLEAN',
    DATE: 'DATE',
    TIMESTAMP: 'DATETIME',
    'TIMESTAMP WITH TIME ZONE': 'TIMESTAMP',
    DECIMAL:
      type.scale <= 9 && type.width - type.scale <= 29
        ? 'NUMERIC'
        : 'BIGNUMERIC',
  };
  return { name, type: types[base] || 'STRING', mode: 'NULLABLE' };
}

/**
 * A table column's TableFieldSchema for a DuckDB type object: a list as its element's field
 * REPEATED, a struct as a RECORD, a map as a REPEATED RECORD of key and value.
 */
function schemaFieldOf(name, type) {
  if (type.entryNames && type.entryTypes)
    return {
      name,
      type: 'RECORD',
      mode: 'NULLABLE',
      fields: type.entryNames.map((n, i) =>
        schemaFieldOf(n, type.entryTypes[i]),
      ),
    };
  if (type.keyType && type.valueType)
    return {
      name,
      type: 'RECORD',
      mode: 'REPEATED',
      fields: [
        { ...schemaFieldOf('key', type.keyType), mode: 'REQUIRED' },
        schemaFieldOf('value', type.valueType),
      ],
    };
  if (type.valueType)
    return { ...schemaFieldOf(name, type.valueType), mode: 'REPEATED' };
  return fieldOf(name, type);
}

/** A value as BigQuery's JSON writes a cell: text (TIMESTAMP as microseconds), or null. */
function cellOf(value, field) {
  if (value === null || value === undefined) return { v: null };
  if (field.type === 'TIMESTAMP' && value && typeof value.micros === 'bigint')
    return { v: value.micros.toString() };
  return { v: String(value) };
}

/** What a query processes: the Parquet files it reads (see README.md). */
function bytesRead(sql, registered) {
  const periods = [...sql.matchAll(/DATE\s+'(\d{4}-\d{2})-01'/gi)].map(
    m => m[1],
  );
  let bytes = 0;
  let tables = 0;
  for (const t of registered) {
    if (!sql.includes(`\`${t.qualified}\``)) continue;
    tables += 1;
    for (const file of parquetFiles(t.dir)) {
      const period = periodOf(t.dir, file);
      if (periods.length && period !== undefined && !periods.includes(period))
        continue;
      bytes += fs.statSync(file).size;
    }
  }
  const datasets = new Set(
    registered
      .map(t => `${t.project}.${t.dataset}`)
      .filter(d => sql.includes(`\`${d}.INFORMATION_SCHEMA.PARTITIONS\``)),
  );
  // INFORMATION_SCHEMA reads metadata only; billed at the minimum like any table.
  return { bytes, tables: tables + datasets.size };
}

/** BigQuery's bytes billed: rounded up to a whole MiB, at least 10 MiB per table referenced. */
function billedBytes({ bytes, tables }) {
  if (tables === 0) return 0;
  const rounded = Math.ceil(bytes / MIB) * MIB;
  return Math.max(rounded, tables * MIN_BILLED_PER_TABLE);
}

/** GoogleSQL's backtick names as DuckDB's double-quoted ones. */
const toDuckSql = sql => sql.replace(/`([^`]*)`/g, (_, name) => sqlName(name));

/**
 * @param {import('./index').FakeBigQueryOptions} [options]
 */
async function startFakeBigQuery(options = {}) {
  const {
    port = 0,
    host = '127.0.0.1',
    tables = {},
    delayMs = 0,
    location = 'US',
  } = options;
  const registered = Object.entries(tables).map(([qualified, dir]) => ({
    qualified,
    ...tableParts(qualified),
    dir: path.resolve(dir),
  }));
  /** @type {Map<string, any>} */
  const jobs = new Map();
  /** @type {Array<{kind: string, operation?: string, times: number}>} */
  let faults = [];
  /** @type {Record<string, number>} */
  let counts = {};
  let duck;

  async function instance() {
    if (!duck) {
      duck = (async () => {
        const { DuckDBInstance } = require('@duckdb/node-api');
        const db = await DuckDBInstance.create(':memory:', {
          threads: '1',
          memory_limit: '512MB',
        });
        const c = await db.connect();
        await c.run('CREATE TYPE BIGNUMERIC AS DECIMAL(38, 18)');
        await c.run(
          'CREATE MACRO TO_JSON_STRING(x) AS CAST(to_json(x) AS VARCHAR)',
        );
        for (const t of registered) {
          // A view binds its files at every query: files added later are seen.
          await c
            .run(
              `CREATE VIEW ${sqlName(
                t.qualified,
              )} AS SELECT * EXCLUDE (${PARTITION_KEY}) FROM read_parquet(${sqlText(
                `${t.dir}/**/*.parquet`,
              )}, hive_partitioning = true, hive_types_autocast = false, union_by_name = true)`,
            )
            .catch(async () => {
              // no billing_period directories: no partition column to drop
              await c.run(
                `CREATE OR REPLACE VIEW ${sqlName(
                  t.qualified,
                )} AS SELECT * FROM read_parquet(${sqlText(
                  `${t.dir}/**/*.parquet`,
                )}, union_by_name = true)`,
              );
            });
        }
        c.closeSync();
        return db;
      })();
    }
    return duck;
  }

  /** INFORMATION_SCHEMA.PARTITIONS of every registered dataset, from the files as they are now. */
  async function refreshPartitions(c) {
    const byDataset = new Map();
    for (const t of registered) {
      const key = `${t.project}.${t.dataset}`;
      const rows = byDataset.get(key) ?? [];
      const parts = new Map();
      for (const file of parquetFiles(t.dir)) {
        const id = periodOf(t.dir, file)?.replace('-', '') ?? null;
        const p = parts.get(id) ?? { files: [], mtime: 0, bytes: 0 };
        const stat = fs.statSync(file);
        p.files.push(file);
        p.mtime = Math.max(p.mtime, stat.mtimeMs);
        p.bytes += stat.size;
        parts.set(id, p);
      }
      for (const [id, p] of parts) {
        const reader = await c.runAndReadAll(
          `SELECT count(*) FROM read_parquet([${p.files
            .map(sqlText)
            .join(', ')}])`,
        );
        rows.push(
          `(${sqlText(t.project)}, ${sqlText(t.dataset)}, ${sqlText(
            t.table,
          )}, ${id === null ? 'NULL' : sqlText(id)}, ${
            reader.getRows()[0][0]
          }, make_timestamptz(${Math.round(p.mtime * 1000)}::BIGINT), ${
            p.bytes
          })`,
        );
      }
      byDataset.set(key, rows);
    }
    for (const [key, rows] of byDataset) {
      await c.run(
        `CREATE OR REPLACE TABLE ${sqlName(
          `${key}.INFORMATION_SCHEMA.PARTITIONS`,
        )} (
           table_catalog VARCHAR, table_schema VARCHAR, table_name VARCHAR, partition_id VARCHAR,
           total_rows BIGINT, last_modified_time TIMESTAMPTZ, total_logical_bytes BIGINT)`,
      );
      if (rows.length)
        await c.run(
          `INSERT INTO ${sqlName(
            `${key}.INFORMATION_SCHEMA.PARTITIONS`,
          )} VALUES ${rows.join(', ')}`,
        );
    }
  }

  /** Checks the query as BigQuery does before it runs: syntax, tables, binding. */
  async function validate(sql, project) {
    if (typeof sql !== 'string' || !sql.trim())
      throw invalid('Query text is required');
    for (const m of sql.matchAll(/`([^`]*)`/g)) {
      const name = m[1];
      const parts = name.split('.');
      if (parts.length >= 3 && parts[2] === 'INFORMATION_SCHEMA') continue;
      if (parts.length === 3 && !registered.some(t => t.qualified === name))
        throw notFound(
          `Not found: Table ${parts[0]}:${parts[1]}.${parts[2]} was not found in location ${location}`,
        );
    }
    const db = await instance();
    const c = await db.connect();
    try {
      await c.run("SET TimeZone = 'UTC'");
      let statements;
      try {
        statements = await c.extractStatements(toDuckSql(sql));
      } catch (e) {
        throw invalidQuery(
          `Syntax error: ${e.message.replace(
            /^Failed to extract statements: /,
            '',
          )} at [1:1]`,
        );
      }
      if (statements.count !== 1)
        throw invalidQuery('The fake BigQuery runs one statement per job');
      if (!/^\s*(select|with)\b/i.test(sql))
        throw invalidQuery('The fake BigQuery runs SELECT queries only');
      await refreshPartitions(c);
      try {
        const prepared = await c.prepare(toDuckSql(sql));
        prepared.destroySync?.();
      } catch (e) {
        throw invalidQuery(e.message);
      }
    } finally {
      c.closeSync();
    }
    return project;
  }

  async function execute(job) {
    const db = await instance();
    const c = await db.connect();
    try {
      await c.run("SET TimeZone = 'UTC'");
      await refreshPartitions(c);
      const reader = await c.runAndReadAll(toDuckSql(job.query));
      const names = reader.columnNames();
      const types = reader.columnTypes();
      job.schema = { fields: names.map((n, i) => fieldOf(n, types[i])) };
      job.rows = reader.getRows().map(row => ({
        f: row.map((v, i) => cellOf(v, job.schema.fields[i])),
      }));
      job.outcome = { ok: true };
    } catch (e) {
      job.outcome = { error: invalidQuery(e.message) };
    } finally {
      c.closeSync();
    }
  }

  /** PENDING, RUNNING, DONE by the clock, DONE once DuckDB is done too. */
  function stateOf(job) {
    if (job.final) return job.final;
    const elapsed = Date.now() - job.created;
    if (elapsed < delayMs / 2) return { state: 'PENDING' };
    if (elapsed < delayMs || !job.outcome) return { state: 'RUNNING' };
    job.final = { state: 'DONE', ...job.outcome, ended: Date.now() };
    return job.final;
  }

  function jobResource(job) {
    const s = stateOf(job);
    const done = s.state === 'DONE';
    const ref = {
      projectId: job.project,
      ...(job.dryRun ? {} : { jobId: job.id }),
      location,
    };
    const query = {
      totalBytesProcessed: String(job.bytes),
      totalBytesProcessedAccuracy: 'PRECISE',
      cacheHit: false,
      statementType: 'SELECT',
      ...(done && !job.dryRun && !s.error
        ? {
            totalBytesBilled: String(job.billed),
            billingTier: 1,
            totalSlotMs: '1',
          }
        : {}),
      ...(job.dryRun ? { totalBytesBilled: '0' } : {}),
      ...(job.schema ? { schema: job.schema } : {}),
    };
    return {
      kind: 'bigquery#job',
      etag: crypto
        .createHash('md5')
        .update(`${job.id}${s.state}`)
        .digest('base64'),
      id: `${job.project}:${location}.${job.id}`,
      selfLink: `${serverUrl}/bigquery/v2/projects/${job.project}/jobs/${job.id}?location=${location}`,
      user_email: 'costscope@fake.iam.gserviceaccount.com',
      configuration: job.configuration,
      jobReference: ref,
      statistics: {
        creationTime: String(job.created),
        ...(s.state !== 'PENDING'
          ? { startTime: String(job.created + 1) }
          : {}),
        ...(done ? { endTime: String(s.ended ?? job.created + 1) } : {}),
        totalBytesProcessed: String(job.bytes),
        query,
      },
      status: {
        state: s.state,
        ...(s.error
          ? { errorResult: s.error.proto(), errors: [s.error.proto()] }
          : {}),
      },
      principal_subject:
        'serviceAccount:costscope@fake.iam.gserviceaccount.com',
      jobCreationReason: { code: 'REQUESTED' },
    };
  }

  function findJob(project, id) {
    const job = jobs.get(id);
    if (!job || job.project !== project)
      throw notFound(`Not found: Job ${project}:${location}.${id}`);
    return job;
  }

  async function insertJob(project, body) {
    const configuration = body?.configuration ?? {};
    const q = configuration.query;
    if (!q) throw invalid('The fake BigQuery runs query jobs only');
    if (q.useLegacySql !== false)
      throw invalidQuery(
        'The fake BigQuery runs GoogleSQL (useLegacySql: false) only',
      );
    await validate(q.query, project);
    const read = bytesRead(q.query, registered);
    const id =
      body.jobReference?.jobId ??
      `job_${crypto.randomUUID().replace(/-/g, '')}`;
    if (!configuration.dryRun && jobs.has(id))
      throw new BigQueryError(
        409,
        'duplicate',
        `Already Exists: Job ${project}:${location}.${id}`,
        'ALREADY_EXISTS',
      );
    const job = {
      id,
      project,
      query: q.query,
      configuration: { ...configuration, jobType: 'QUERY' },
      dryRun: configuration.dryRun === true,
      created: Date.now(),
      bytes: read.bytes,
      billed: billedBytes(read),
      maximumBytesBilled:
        q.maximumBytesBilled === undefined
          ? undefined
          : Number(q.maximumBytesBilled),
    };
    if (job.dryRun) {
      job.final = { state: 'DONE', ended: job.created + 1 };
      return jobResource(job);
    }
    jobs.set(id, job);
    if (
      job.maximumBytesBilled !== undefined &&
      job.billed > job.maximumBytesBilled
    ) {
      job.final = {
        state: 'DONE',
        ended: job.created,
        error: new BigQueryError(
          400,
          'bytesBilledLimitExceeded',
          `Query exceeded limit for bytes billed: ${job.maximumBytesBilled}. ${job.billed} or higher required.`,
          'INVALID_ARGUMENT',
        ),
      };
      job.billed = 0;
      return jobResource(job);
    }
    execute(job);
    return jobResource(job);
  }

  async function getQueryResults(project, id, qs) {
    const job = findJob(project, id);
    const timeoutMs = Math.min(Number(qs.get('timeoutMs') ?? 10000), 10000);
    const until = Date.now() + timeoutMs;
    let s = stateOf(job);
    while (s.state !== 'DONE' && Date.now() < until) {
      await new Promise(resolve => setTimeout(resolve, 10));
      s = stateOf(job);
    }
    const ref = { projectId: project, jobId: id, location };
    if (s.state !== 'DONE')
      return {
        kind: 'bigquery#getQueryResultsResponse',
        etag: '',
        jobReference: ref,
        jobComplete: false,
      };
    if (s.error) throw s.error;
    const max = qs.has('maxResults')
      ? Number(qs.get('maxResults'))
      : DEFAULT_PAGE_ROWS;
    if (!Number.isInteger(max) || max < 0)
      throw invalid(`Invalid maxResults: ${qs.get('maxResults')}`);
    let offset = 0;
    const token = qs.get('pageToken');
    if (token) {
      let t;
      try {
        t = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
      } catch {
        t = undefined;
      }
      if (!t || t.j !== id || !Number.isInteger(t.o) || t.o < 0)
        throw invalid(`Invalid page token: ${token}`);
      offset = t.o;
    } else if (qs.has('startIndex')) offset = Number(qs.get('startIndex'));
    const rows = job.rows.slice(offset, offset + (max || DEFAULT_PAGE_ROWS));
    const next = offset + rows.length;
    return {
      kind: 'bigquery#getQueryResultsResponse',
      etag: crypto.createHash('md5').update(`${id}${offset}`).digest('base64'),
      schema: job.schema,
      jobReference: ref,
      totalRows: String(job.rows.length),
      ...(next < job.rows.length
        ? {
            pageToken: Buffer.from(JSON.stringify({ j: id, o: next })).toString(
              'base64url',
            ),
          }
        : {}),
      ...(rows.length ? { rows } : {}),
      totalBytesProcessed: String(job.bytes),
      jobComplete: true,
      cacheHit: false,
    };
  }

  function cancelJob(project, id) {
    const job = findJob(project, id);
    const s = stateOf(job);
    if (s.state !== 'DONE')
      job.final = {
        state: 'DONE',
        ended: Date.now(),
        error: new BigQueryError(
          400,
          'stopped',
          'Job execution was cancelled: User requested cancellation',
          'INVALID_ARGUMENT',
        ),
      };
    return { kind: 'bigquery#jobCancelResponse', job: jobResource(job) };
  }

  async function getTable(project, dataset, table) {
    const qualified = `${project}.${dataset}.${table}`;
    const t = registered.find(r => r.qualified === qualified);
    if (!t) throw notFound(`Not found: Table ${project}:${dataset}.${table}`);
    const db = await instance();
    const c = await db.connect();
    try {
      const reader = await c.runAndReadAll(
        `SELECT * FROM ${sqlName(qualified)} LIMIT 0`,
      );
      const types = reader.columnTypes();
      return {
        kind: 'bigquery#table',
        id: `${project}:${dataset}.${table}`,
        tableReference: {
          projectId: project,
          datasetId: dataset,
          tableId: table,
        },
        type: 'TABLE',
        location,
        schema: {
          fields: reader
            .columnNames()
            .map((n, i) => schemaFieldOf(n, types[i])),
        },
      };
    } finally {
      c.closeSync();
    }
  }

  function takeFault(operation) {
    const i = faults.findIndex(f => !f.operation || f.operation === operation);
    if (i < 0) return undefined;
    const f = faults[i];
    f.times -= 1;
    if (f.times <= 0) faults.splice(i, 1);
    return f.kind;
  }

  async function route(req, url, body) {
    const tableMatch =
      /^\/bigquery\/v2\/projects\/([^/]+)\/datasets\/([^/]+)\/tables\/([^/]+)$/.exec(
        url.pathname,
      );
    if (tableMatch && req.method === 'GET') {
      const [, project, dataset, table] = tableMatch.map(decodeURIComponent);
      counts['tables.get'] = (counts['tables.get'] ?? 0) + 1;
      const fault = takeFault('tables.get');
      if (fault) throw FAULTS[fault](project);
      return getTable(project, dataset, table);
    }
    const m =
      /^\/bigquery\/v2\/projects\/([^/]+)\/(jobs|queries)(?:\/([^/]+))?(\/cancel)?$/.exec(
        url.pathname,
      );
    if (!m) throw notFound(`Not found: ${req.method} ${url.pathname}`);
    const [, project, kind, id, cancel] = m;
    let operation;
    if (kind === 'jobs' && !id && req.method === 'POST')
      operation = 'jobs.insert';
    else if (kind === 'jobs' && id && cancel && req.method === 'POST')
      operation = 'jobs.cancel';
    else if (kind === 'jobs' && id && !cancel && req.method === 'GET')
      operation = 'jobs.get';
    else if (kind === 'queries' && id && req.method === 'GET')
      operation = 'jobs.getQueryResults';
    else
      throw notFound(
        `The fake BigQuery does not serve ${req.method} ${url.pathname}`,
      );
    counts[operation] = (counts[operation] ?? 0) + 1;
    const fault = takeFault(operation);
    if (fault) throw FAULTS[fault](project);
    switch (operation) {
      case 'jobs.insert':
        return insertJob(project, body);
      case 'jobs.get':
        return jobResource(findJob(project, id));
      case 'jobs.getQueryResults':
        return getQueryResults(project, id, url.searchParams);
      default:
        return cancelJob(project, id);
    }
  }

  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', c => chunks.push(c));
    req.on('end', async () => {
      const send = (status, value) => {
        const text = JSON.stringify(value);
        res.writeHead(status, {
          'content-type': 'application/json; charset=UTF-8',
          'content-length': Buffer.byteLength(text),
        });
        res.end(text);
      };
      try {
        if (!/^Bearer \S+/.test(req.headers.authorization ?? ''))
          throw new BigQueryError(
            401,
            'required',
            'Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
            'UNAUTHENTICATED',
          );
        const url = new URL(req.url, serverUrl);
        const text = Buffer.concat(chunks).toString('utf8');
        let body;
        if (text) {
          try {
            body = JSON.parse(text);
          } catch {
            throw invalid('Invalid JSON payload received.');
          }
        }
        send(200, await route(req, url, body));
      } catch (e) {
        if (e instanceof BigQueryError) send(e.code, e.body());
        else send(500, FAULTS['server-error']().body());
      }
    });
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const address = server.address();
  const serverUrl = `http://${host}:${address.port}`;

  return {
    url: serverUrl,
    port: address.port,
    injectFault({ kind, operation, times = 1 }) {
      if (!FAULTS[kind])
        throw new Error(`fake BigQuery: unknown fault '${kind}'`);
      if (operation && !FAULT_OPERATIONS.includes(operation))
        throw new Error(`fake BigQuery: unknown operation '${operation}'`);
      faults.push({ kind, operation, times });
    },
    requestCounts: () => ({ ...counts }),
    jobs: () =>
      [...jobs.values()].map(j => {
        const s = stateOf(j);
        return {
          id: j.id,
          query: j.query,
          state: s.state,
          error: s.error?.reason,
          bytesProcessed: j.bytes,
          bytesBilled: j.billed,
          maximumBytesBilled: j.maximumBytesBilled,
        };
      }),
    reset() {
      faults = [];
      counts = {};
      jobs.clear();
    },
    async close() {
      await new Promise(resolve => server.close(() => resolve()));
      if (duck) (await duck).closeSync();
    },
  };
}

module.exports = { startFakeBigQuery, billedBytes, toDuckSql, PARTITION_KEY };
