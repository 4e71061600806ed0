// @ts-check

/**
 * What a run read and skipped: object-storage sources skip the objects that did not change
 * since their last successful run, and their run record says so, object by object.
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('costscope_ingest_runs', table => {
    table.integer('files_skipped').notNullable().defaultTo(0);
    table.text('inputs');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('costscope_ingest_runs', table => {
    table.dropColumn('files_skipped');
    table.dropColumn('inputs');
  });
};
