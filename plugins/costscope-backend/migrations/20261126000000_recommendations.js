// @ts-check

/**
 * Rightsizing tips, the resources no rule could judge, and the dismissals users made. Tips and
 * skips are replaced as a whole per computation; dismissals live apart so that they survive it.
 * Savings are BIGINT nano-units like every other amount; a tip itself is JSON text.
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('costscope_recommendations', table => {
    table.comment(
      'Savings tips of the last computation, allocated to an entity (null: unallocated)',
    );
    table.string('id').primary(); // <kind>:<resourceId>, stable across computations
    table.string('entity_ref');
    table.string('kind').notNullable();
    table.string('resource_id').notNullable();
    table.string('provider').notNullable();
    table.string('account_id').notNullable();
    table.bigInteger('monthly_saving_nanos').notNullable();
    table.string('currency', 3).notNullable();
    table.text('payload').notNullable(); // the tip without state, dismissal and entity
    table.string('computed_at').notNullable();
    table.index(['entity_ref'], 'costscope_recommendations_entity_idx');
    table.index(
      ['monthly_saving_nanos'],
      'costscope_recommendations_saving_idx',
    );
  });

  await knex.schema.createTable('costscope_recommendation_skips', table => {
    table.comment(
      'Resources of the last computation that a rule could not judge, and why',
    );
    table.bigIncrements('id');
    table.string('entity_ref');
    table.string('resource_id').notNullable();
    table.text('payload').notNullable();
    table.index(['entity_ref'], 'costscope_recommendation_skips_entity_idx');
  });

  await knex.schema.createTable(
    'costscope_recommendation_dismissals',
    table => {
      table.comment(
        'Tips set aside by users; kept across computations, with the tip as it was then',
      );
      table.string('id').primary();
      table.string('state').notNullable(); // dismissed | snoozed
      table.text('reason').notNullable();
      table.string('dismissed_by').notNullable();
      table.string('dismissed_at').notNullable();
      table.string('until', 10); // YYYY-MM-DD, snoozed only
      table.text('evidence').notNullable(); // the tip at dismissal, to see it change
    },
  );
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('costscope_recommendation_dismissals');
  await knex.schema.dropTable('costscope_recommendation_skips');
  await knex.schema.dropTable('costscope_recommendations');
  await knex('costscope_state')
    .where({ key: 'recommendations_computed_at' })
    .delete();
};
