// @ts-check

/**
 * Cost summaries computed when the rollups are rebuilt, for the range a page opens on (the last
 * 30 days up to yesterday), so that a first visit after a rebuild is one indexed read instead of
 * an aggregation over a team's rollup rows. Every rebuild of the rollups deletes them in its own
 * transaction; they are written again afterwards, only if no newer rebuild happened meanwhile.
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('costscope_kept_summaries', table => {
    table.string('entity_ref').notNullable();
    table.string('cost_basis', 16).notNullable();
    table.string('range_from', 10).notNullable();
    table.string('range_to', 10).notNullable();
    table.string('rollup_version').notNullable();
    table.text('body').notNullable().comment('the summary answer as JSON text');
    table.primary(['entity_ref', 'cost_basis', 'range_from', 'range_to']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('costscope_kept_summaries');
};
