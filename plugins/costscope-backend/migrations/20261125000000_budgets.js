// @ts-check

/**
 * Budgets edited in the UI, their change history, and the alerts that fired. Amounts are
 * BIGINT nano-units like every other amount; lists and thresholds are JSON text.
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('costscope_budgets', table => {
    table.comment(
      'Budgets set in the UI, one per entity; declared budgets live in the catalog or config',
    );
    table.string('entity_ref').primary();
    table.bigInteger('amount_nanos').notNullable();
    table.string('currency', 3).notNullable();
    table.string('period').notNullable();
    table.text('thresholds').notNullable();
    table.text('recipients').notNullable().defaultTo('[]');
    table.string('updated_at').notNullable();
    table.string('updated_by').notNullable();
  });

  await knex.schema.createTable('costscope_budget_changes', table => {
    table.comment(
      'Audit trail of UI budgets: who created, updated or deleted which budget, with before and after',
    );
    table.string('id').primary();
    table.string('entity_ref').notNullable();
    table.string('at').notNullable();
    table.string('by').notNullable();
    table.string('action').notNullable();
    table.text('before');
    table.text('after');
    table.index(['entity_ref', 'at'], 'costscope_budget_changes_entity_idx');
  });

  await knex.schema.createTable('costscope_alerts', table => {
    table.comment(
      'Budget and anomaly alerts; the unique key makes each fire once per threshold and period',
    );
    table.string('id').primary();
    table.string('entity_ref').notNullable();
    table.string('kind').notNullable();
    table.string('period').notNullable();
    table.string('alert_key').notNullable();
    table.bigInteger('amount_nanos').notNullable();
    table.bigInteger('reference_nanos').notNullable();
    table.string('currency', 3).notNullable();
    table.text('title').notNullable();
    table.text('description').notNullable();
    table.text('drivers').notNullable().defaultTo('[]');
    table.text('link').notNullable();
    table.string('created_at').notNullable();
    table.text('delivered_to').notNullable().defaultTo('[]');
    table.unique(['entity_ref', 'kind', 'period', 'alert_key'], {
      indexName: 'costscope_alerts_once_idx',
    });
    table.index(['created_at'], 'costscope_alerts_created_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('costscope_alerts');
  await knex.schema.dropTable('costscope_budget_changes');
  await knex.schema.dropTable('costscope_budgets');
};
