// @ts-check

/**
 * Kept summaries stored gzipped, as the kept reports are: a team's summary is read and sent
 * as a tenth of its JSON. The table is made again: its rows are computed again after the
 * next rebuild or on the next allocation check, and read live until then.
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.dropTable('costscope_kept_summaries');
  await knex.schema.createTable('costscope_kept_summaries', table => {
    keyColumns(table);
    table
      .binary('body_gzip')
      .notNullable()
      .comment('the summary answer as gzipped JSON text');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('costscope_kept_summaries');
  await knex.schema.createTable('costscope_kept_summaries', table => {
    keyColumns(table);
    table.text('body').notNullable().comment('the summary answer as JSON text');
  });
};

/** @param {import('knex').Knex.CreateTableBuilder} table */
function keyColumns(table) {
  table.string('entity_ref').notNullable();
  table.string('cost_basis', 16).notNullable();
  table.string('range_from', 10).notNullable();
  table.string('range_to', 10).notNullable();
  table.string('rollup_version').notNullable();
  table.primary(['entity_ref', 'cost_basis', 'range_from', 'range_to']);
}
