// @ts-check

/**
 * Allocation keys by their rule. Reads of one entity's facts with what rolls up into it
 * (tag compliance, commitment months) go entity -> rules -> keys -> facts by key and day;
 * without this index SQLite can only read every fact of the range and join the other way, a
 * second per team at 10,000 components whatever the team's size.
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('costscope_alloc_keys', table => {
    table.index(['rule_id'], 'costscope_alloc_keys_rule_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('costscope_alloc_keys', table => {
    table.dropIndex(['rule_id'], 'costscope_alloc_keys_rule_idx');
  });
};
