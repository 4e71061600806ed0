// @ts-check

/**
 * The organisation's reports (tag compliance, chargeback by team) computed after each rebuild
 * for the range and basis the Costscope page opens on, so that a first visit reads one row
 * instead of every fact of the range. One row per report. The rollup rebuild deletes them in
 * its own transaction, an inventory snapshot deletes the compliance report in its own, and
 * `inputs_key` names the configuration (tag policy, chargeback rules) they were made under.
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('costscope_kept_reports', table => {
    table.string('report', 64).notNullable().primary();
    table.string('cost_basis', 16).notNullable();
    table.string('range_from', 10).notNullable();
    table.string('range_to', 10).notNullable();
    table
      .string('inputs_key', 64)
      .notNullable()
      .comment('hash of the configuration the report was computed under');
    table.string('rollup_version').notNullable();
    table
      .string('inventory_version')
      .nullable()
      .comment('the inventory snapshot read, for reports that read one');
    table
      .binary('body_gzip')
      .notNullable()
      .comment('the report answer as gzipped JSON text');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('costscope_kept_reports');
};
