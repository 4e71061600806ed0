// @ts-check
/**
 * Costscope schema. Amounts are BIGINT nano-units (1e-9): exact on SQLite and PostgreSQL alike,
 * where a NUMERIC column on SQLite would silently become a float.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('costscope_ingest_runs', table => {
    table.comment('One row per ingestion run of a cost source');
    table.string('id').primary();
    table.string('source_id').notNullable();
    table.string('trigger').notNullable();
    table.string('status').notNullable();
    table.string('started_at').notNullable();
    table.string('finished_at');
    table.integer('duration_ms');
    table.integer('files_read').notNullable().defaultTo(0);
    table.bigInteger('rows_read').notNullable().defaultTo(0);
    table.bigInteger('rows_rejected').notNullable().defaultTo(0);
    table.bigInteger('facts_written').notNullable().defaultTo(0);
    table.text('billing_periods').notNullable().defaultTo('[]');
    table.text('rejections').notNullable().defaultTo('[]');
    table.text('error');
    table.index(['started_at'], 'costscope_ingest_runs_started_idx');
  });

  await knex.schema.createTable('costscope_alloc_keys', table => {
    table.comment('Distinct (provider, sub-account, tags) of cost facts and the entity they map to');
    table.string('alloc_key', 64).primary();
    table.string('provider').notNullable();
    table.string('sub_account_id').notNullable();
    table.text('tags').notNullable();
    table.integer('rule_id');
    table.text('overlaps');
  });

  await knex.schema.createTable('costscope_cost_facts', table => {
    table.comment('Daily cost facts per source and billing period, replaced per period on ingest');
    table.bigIncrements('id');
    table.string('source_id').notNullable();
    table.string('billing_period', 10).notNullable();
    table.string('usage_date', 10).notNullable();
    table.string('provider').notNullable();
    table.string('billing_account_id').notNullable();
    table.string('sub_account_id').notNullable();
    table.string('region').notNullable();
    table.string('service_name').notNullable();
    table.string('service_category');
    table.text('resource_id').notNullable();
    table.text('resource_name');
    table.string('resource_type');
    table.string('charge_category').notNullable();
    table.string('currency', 3).notNullable();
    table.string('alloc_key', 64).notNullable();
    table.bigInteger('billed_nanos').notNullable();
    table.bigInteger('effective_nanos').notNullable();
    table.integer('line_count').notNullable();
    table.index(['source_id', 'billing_period'], 'costscope_cost_facts_period_idx');
    table.index(['alloc_key', 'usage_date'], 'costscope_cost_facts_key_idx');
    table.index(['usage_date'], 'costscope_cost_facts_date_idx');
  });

  await knex.schema.createTable('costscope_alloc_rules', table => {
    table.comment('Mapping rules in force at the last allocation; rollup rows point here');
    table.integer('id').primary();
    table.string('entity_ref').notNullable();
    table.string('origin').notNullable();
    table.text('rule').notNullable();
  });

  await knex.schema.createTable('costscope_entities', table => {
    table.comment('Catalog snapshot used by the last allocation');
    table.string('entity_ref').primary();
    table.string('kind').notNullable();
    table.string('title');
    table.string('owner_ref');
    table.string('parent_ref');
  });

  await knex.schema.createTable('costscope_entity_ancestors', table => {
    table.comment('Each entity and every entity its cost rolls up into, itself included');
    table.string('entity_ref').notNullable();
    table.string('ancestor_ref').notNullable();
    table.primary(['entity_ref', 'ancestor_ref']);
    table.index(['ancestor_ref'], 'costscope_entity_ancestors_ancestor_idx');
  });

  await knex.schema.createTable('costscope_rollup_daily', table => {
    table.comment(
      'Daily cost per entity (rolled up) per rule and dimension; entity * is the whole bill, a null rule is unallocated',
    );
    table.string('entity_ref').notNullable();
    table.integer('rule_id');
    table.string('usage_date', 10).notNullable();
    table.string('provider').notNullable();
    table.string('sub_account_id').notNullable();
    table.string('region').notNullable();
    table.string('service_name').notNullable();
    table.string('currency', 3).notNullable();
    table.bigInteger('billed_nanos').notNullable();
    table.bigInteger('effective_nanos').notNullable();
    table.index(['entity_ref', 'usage_date'], 'costscope_rollup_daily_entity_idx');
  });

  await knex.schema.createTable('costscope_state', table => {
    table.comment('Small key/value state, such as the fingerprint of the last allocation');
    table.string('key').primary();
    table.text('value').notNullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  for (const table of [
    'costscope_state',
    'costscope_rollup_daily',
    'costscope_entity_ancestors',
    'costscope_entities',
    'costscope_alloc_rules',
    'costscope_cost_facts',
    'costscope_alloc_keys',
    'costscope_ingest_runs',
  ]) {
    await knex.schema.dropTable(table);
  }
};
