// @ts-check

/**
 * Daily business metric values per entity (orders, streams), the denominators of unit cost.
 * Values are exact like amounts: BIGINT nano-units (1e-9 of a unit), since a metric may be
 * fractional (GB served) and SQLite has no exact decimal type. One row per entity, metric and
 * day, so that a value sent again replaces the previous one.
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('costscope_unit_metrics', table => {
    table.comment(
      'Daily business metric values per entity (POST /v1/metrics or the file source), in nano-units',
    );
    table.string('entity_ref').notNullable();
    table.string('metric', 63).notNullable();
    table.string('day', 10).notNullable();
    table.bigInteger('value_nanos').notNullable();
    table.string('updated_at').notNullable();
    table.string('source').notNullable();
    table.primary(['entity_ref', 'metric', 'day']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('costscope_unit_metrics');
};
