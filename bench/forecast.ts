/**
 * Back-tests the budget forecast against the naive run-rate on FOCUS billing files.
 *
 *   tsx bench/forecast.ts [FOCUS files or directories...]
 *
 * Without arguments it replays the demo data (examples/billing/generated/{aws,gcp}). Series:
 * the organisation total, each sub account and each `service` tag value. For every complete
 * month with at least 28 days of the series before it, at days 5, 10, 15 and 20 of the month
 * (that many days known), both methods forecast the month total; the table shows the mean
 * absolute percentage error (MAPE) and how often the actual fell inside the 80 % interval.
 * The last line is `forecast-mape ours=<percent> run-rate=<percent>`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import {
  forecastSpend,
  ForecastRequest,
  runRateForecast,
} from '../plugins/costscope-backend/src/budgets/forecast';
import {
  fromEpochDay,
  toEpochDay,
} from '../plugins/costscope-backend/src/budgets/series';
import { parseDecimal } from '@costscope/backstage-plugin-common';
import {
  toNanos,
  WORK_SCALE,
} from '../plugins/costscope-backend/src/lib/decimal';
import {
  FOCUS_COLUMNS,
  FocusRecord,
  parseFocusRow,
} from '../plugins/costscope-backend/src/sources/focus/parseFocusRow';

const DAYS_OF_MONTH = [5, 10, 15, 20];
const MIN_HISTORY_DAYS = 28;
const DEMO_PATHS = ['aws', 'gcp'].map(provider =>
  path.join(__dirname, '..', 'examples', 'billing', 'generated', provider),
);

/** Daily sums in 1e-18 units, per series. */
type WorkSeries = Map<string, bigint>;

interface Series {
  group: 'organisation' | 'sub account' | 'service tag';
  name: string;
  daily: Map<string, bigint>;
}

function listFiles(paths: string[]): string[] {
  const files: string[] = [];
  for (const given of paths) {
    const stat = fs.statSync(given);
    if (stat.isDirectory()) {
      files.push(
        ...fs
          .readdirSync(given)
          .filter(name => /\.csv(\.gz)?$/i.test(name))
          .sort()
          .map(name => path.join(given, name)),
      );
    } else {
      files.push(given);
    }
  }
  return files;
}

/** Reads the files with the backend's FOCUS row parser and sums BilledCost per day exactly. */
function readSeries(files: string[]): { series: Series[]; lastDay: string } {
  const org: WorkSeries = new Map();
  const accounts = new Map<string, WorkSeries>();
  const services = new Map<string, WorkSeries>();
  let rejected = 0;
  let lastDay = '';
  const add = (target: WorkSeries, day: string, amount: bigint) =>
    target.set(day, (target.get(day) ?? 0n) + amount);
  const known = new Map<string, keyof FocusRecord>(
    FOCUS_COLUMNS.map(column => [column.toLowerCase(), column]),
  );

  for (const file of files) {
    let content = fs.readFileSync(file);
    if (/\.gz$/i.test(file)) content = gunzipSync(content);
    const rows: string[][] = parse(content, {
      bom: true,
      relax_column_count: true,
      skip_empty_lines: true,
    });
    const columns = rows[0].map(cell => known.get(cell.trim().toLowerCase()));
    for (const row of rows.slice(1)) {
      const record: FocusRecord = {};
      columns.forEach((column, index) => {
        if (column) record[column] = row[index];
      });
      const result = parseFocusRow(record, undefined);
      if ('reason' in result) {
        rejected++;
        continue;
      }
      const { line } = result;
      const amount = parseDecimal(line.billedCost, WORK_SCALE)!;
      const day = line.chargeDate;
      if (day > lastDay) lastDay = day;
      add(org, day, amount);
      const account = accounts.get(line.subAccountId) ?? new Map();
      accounts.set(line.subAccountId, account);
      add(account, day, amount);
      const service = line.tags.service;
      if (service !== undefined) {
        const serviceSeries = services.get(service) ?? new Map();
        services.set(service, serviceSeries);
        add(serviceSeries, day, amount);
      }
    }
  }
  if (rejected) console.log(`${rejected} rows rejected`);
  const toNanoSeries = (work: WorkSeries) =>
    new Map([...work].map(([day, amount]) => [day, toNanos(amount)]));
  return {
    lastDay,
    series: [
      { group: 'organisation', name: 'total', daily: toNanoSeries(org) },
      ...[...accounts].map(([name, work]) => ({
        group: 'sub account' as const,
        name,
        daily: toNanoSeries(work),
      })),
      ...[...services].map(([name, work]) => ({
        group: 'service tag' as const,
        name,
        daily: toNanoSeries(work),
      })),
    ],
  };
}

interface Outcome {
  group: string;
  dayOfMonth: number;
  ours: number;
  runRate: number;
  covered: boolean;
}

function monthStarts(firstDay: string, lastDay: string): string[] {
  const months: string[] = [];
  let month = `${firstDay.slice(0, 7)}-01`;
  while (month <= lastDay) {
    months.push(month);
    month = nextMonth(month);
  }
  return months;
}

function nextMonth(month: string): string {
  const [year, monthNumber] = month.split('-').map(Number);
  return new Date(Date.UTC(year, monthNumber, 1)).toISOString().slice(0, 10);
}

function backTest(all: Series[], lastDay: string): Outcome[] {
  const outcomes: Outcome[] = [];
  for (const { group, daily } of all) {
    const days = [...daily.keys()].sort();
    if (days.length === 0) continue;
    const firstKnown = toEpochDay(days[0]);
    for (const periodStart of monthStarts(days[0], lastDay)) {
      const periodEnd = nextMonth(periodStart);
      const start = toEpochDay(periodStart);
      const end = toEpochDay(periodEnd);
      if (end - 1 > toEpochDay(lastDay)) continue; // incomplete month
      if (start - firstKnown < MIN_HISTORY_DAYS) continue;
      let actual = 0n;
      for (const [day, nanos] of daily) {
        if (day >= periodStart && day < periodEnd) actual += nanos;
      }
      if (actual <= 0n) continue; // no percentage error of a zero or credit month
      for (const dayOfMonth of DAYS_OF_MONTH) {
        const request: ForecastRequest = {
          daily,
          periodStart,
          periodEnd,
          today: fromEpochDay(start + dayOfMonth),
        };
        const ours = forecastSpend(request);
        const naive = runRateForecast(request);
        const ape = (forecast: bigint) =>
          (Math.abs(Number(forecast - actual)) / Number(actual)) * 100;
        outcomes.push({
          group,
          dayOfMonth,
          ours: ape(ours.forecast),
          runRate: ape(naive.forecast),
          covered: actual >= ours.low && actual <= ours.high,
        });
      }
    }
  }
  return outcomes;
}

function summarise(outcomes: Outcome[]): {
  n: number;
  ours: number;
  runRate: number;
  coverage: number;
} {
  const n = outcomes.length;
  const mean = (pick: (o: Outcome) => number) =>
    n ? outcomes.reduce((total, o) => total + pick(o), 0) / n : NaN;
  return {
    n,
    ours: mean(o => o.ours),
    runRate: mean(o => o.runRate),
    coverage: mean(o => (o.covered ? 100 : 0)),
  };
}

function printTable(outcomes: Outcome[]): void {
  const groups = [...new Set(outcomes.map(o => o.group))];
  const header = [
    'series',
    'day',
    'n',
    'ours MAPE %',
    'run-rate MAPE %',
    '80% coverage %',
  ];
  const rows: string[][] = [];
  const row = (label: string, day: string, selected: Outcome[]) => {
    const s = summarise(selected);
    rows.push([
      label,
      day,
      String(s.n),
      s.ours.toFixed(2),
      s.runRate.toFixed(2),
      s.coverage.toFixed(1),
    ]);
  };
  for (const group of [...groups, 'all']) {
    const inGroup = outcomes.filter(o => group === 'all' || o.group === group);
    for (const day of DAYS_OF_MONTH) {
      row(
        group,
        String(day),
        inGroup.filter(o => o.dayOfMonth === day),
      );
    }
    row(group, 'all', inGroup);
  }
  const widths = header.map((h, i) =>
    Math.max(h.length, ...rows.map(r => r[i].length)),
  );
  const format = (cells: string[]) =>
    cells
      .map((cell, i) =>
        i < 2 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]),
      )
      .join('  ');
  console.log(format(header));
  console.log(widths.map(w => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(format(r));
}

function main(argv: string[]): void {
  const started = Date.now();
  const files = listFiles(argv.length ? argv : DEMO_PATHS);
  if (files.length === 0)
    throw new Error('no FOCUS .csv or .csv.gz files found');
  const { series, lastDay } = readSeries(files);
  const loaded = Date.now();
  const outcomes = backTest(series, lastDay);
  const tested = Date.now();
  const groups = new Map<string, number>();
  for (const s of series) groups.set(s.group, (groups.get(s.group) ?? 0) + 1);
  console.log(
    `${files.length} files, data to ${lastDay}; series: ${[...groups]
      .map(([group, count]) => `${count} ${group}`)
      .join(', ')}; ${outcomes.length} forecasts per method`,
  );
  console.log(
    `read ${loaded - started} ms, back-test ${tested - loaded} ms (${
      process.version
    })`,
  );
  console.log();
  printTable(outcomes);
  const overall = summarise(outcomes);
  console.log();
  console.log(
    `forecast-mape ours=${overall.ours.toFixed(
      2,
    )} run-rate=${overall.runRate.toFixed(2)}`,
  );
}

try {
  main(process.argv.slice(2));
} catch (error) {
  console.error(`bench:forecast: ${(error as Error).message}`);
  process.exit(1);
}
