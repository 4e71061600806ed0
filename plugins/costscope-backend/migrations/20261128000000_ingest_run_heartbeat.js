// @ts-check

/**
 * A run's last sign of life. A backend killed during a run never records its end; a run whose
 * heartbeat is old is then reported as abandoned instead of running forever.
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('costscope_ingest_runs', table => {
    table.string('heartbeat_at');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('costscope_ingest_runs', table => {
    table.dropColumn('heartbeat_at');
  });
};
