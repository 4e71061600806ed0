import { CostBasis } from '@costscope/backstage-plugin-common';

/** Exact sum as text: both SQLite and PostgreSQL sum BIGINT exactly; text keeps it exact in JS. */
export const sumOf = (column: string) => `CAST(SUM(${column}) AS TEXT)`;

/** The column of a fact or rollup table (by its alias) that holds cost on a basis. */
export const costColumn = (alias: string, basis: CostBasis) =>
  `${alias}.${basis}_nanos`;
