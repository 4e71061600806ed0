// @ts-check

/**
 * Scheduled cost digests, one row per entity and period: the row is claimed before the digest
 * is built and marked sent after delivery, so that each digest goes out once across instances
 * and restarts (a claim left unsent by a stopped instance is taken over after a lease).
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('costscope_digests', table => {
    table.string('entity_ref').notNullable();
    table.string('period', 8).notNullable().comment('week or month');
    table.string('period_from', 10).notNullable();
    table.string('period_to', 10).notNullable();
    table.string('due_at').notNullable().comment('ISO 8601 UTC');
    table.string('claimed_at').notNullable().comment('ISO 8601 UTC');
    table.string('sent_at').comment('ISO 8601 UTC; null until delivered');
    table.boolean('late').notNullable().defaultTo(false);
    table.text('delivered_to').notNullable().defaultTo('[]');
    table.bigInteger('total_nanos');
    table.string('currency', 3);
    table.primary(['entity_ref', 'period', 'period_from']);
    table.index(['sent_at'], 'costscope_digests_sent_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('costscope_digests');
};
