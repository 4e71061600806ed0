// @ts-check

/**
 * API-call accounting and kinds on ingest runs, per-source state, and the inventory of
 * resources (current tags, state, type) with their hourly utilisation.
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('costscope_ingest_runs', table => {
    table.string('kind').notNullable().defaultTo('cost');
    table.text('api_calls').notNullable().defaultTo('{}');
    table.bigInteger('api_cost_nanos').notNullable().defaultTo(0);
    table.text('days_replaced');
  });

  await knex.schema.createTable('costscope_source_state', table => {
    table.comment('State a cost source keeps between runs, written with the facts of a run');
    table.string('source_id').primary();
    table.text('state').notNullable();
  });

  await knex.schema.createTable('costscope_inventory', table => {
    table.comment('Current resources per inventory source, replaced as a whole on each read');
    table.string('source_id').notNullable();
    table.string('resource_id').notNullable();
    table.string('provider').notNullable();
    table.string('account_id').notNullable();
    table.string('region').notNullable();
    table.string('kind').notNullable();
    table.string('name');
    table.string('state');
    table.string('type');
    table.double('size_gib');
    table.string('attached_to');
    table.string('created_at');
    table.text('tags').notNullable();
    table.string('observed_at').notNullable();
    table.primary(['source_id', 'resource_id']);
    table.index(['resource_id'], 'costscope_inventory_resource_idx');
  });

  await knex.schema.createTable('costscope_utilisation', table => {
    table.comment('Hourly utilisation series of inventory resources, one row per metric');
    table.string('source_id').notNullable();
    table.string('resource_id').notNullable();
    table.string('metric').notNullable();
    table.integer('period_seconds').notNullable();
    table.text('points').notNullable();
    table.primary(['source_id', 'resource_id', 'metric']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('costscope_utilisation');
  await knex.schema.dropTable('costscope_inventory');
  await knex.schema.dropTable('costscope_source_state');
  await knex.schema.alterTable('costscope_ingest_runs', table => {
    table.dropColumn('days_replaced');
    table.dropColumn('api_cost_nanos');
    table.dropColumn('api_calls');
    table.dropColumn('kind');
  });
};
