// @ts-check

/**
 * Indexes for the read paths of the entity summary and series (see "Indexes and query plans"
 * in the README):
 * - the rollup rows of an entity in a date range are read from an index that also holds every
 *   column the summary and the series group and sum by, so that neither database visits the
 *   table (an index-only scan); it replaces the (entity_ref, usage_date) index, its prefix;
 * - the mapping rules of the entities below an entity are found through
 *   costscope_entity_ancestors (ancestor_ref) and then by entity;
 * - the few allocation keys that several rules matched (overlaps) by their rule: a partial
 *   index keeps only those keys.
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('costscope_rollup_daily', table => {
    table.index(
      [
        'entity_ref',
        'usage_date',
        'rule_id',
        'provider',
        'sub_account_id',
        'region',
        'service_name',
        'billed_nanos',
      ],
      'costscope_rollup_daily_read_idx',
    );
    table.dropIndex(
      ['entity_ref', 'usage_date'],
      'costscope_rollup_daily_entity_idx',
    );
  });
  await knex.schema.alterTable('costscope_alloc_rules', table => {
    table.index(['entity_ref'], 'costscope_alloc_rules_entity_idx');
  });
  await knex.schema.alterTable('costscope_alloc_keys', table => {
    table.index(['rule_id'], 'costscope_alloc_keys_overlaps_idx', {
      predicate: knex.whereNotNull('overlaps'),
    });
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('costscope_alloc_keys', table => {
    table.dropIndex(['rule_id'], 'costscope_alloc_keys_overlaps_idx');
  });
  await knex.schema.alterTable('costscope_alloc_rules', table => {
    table.dropIndex(['entity_ref'], 'costscope_alloc_rules_entity_idx');
  });
  await knex.schema.alterTable('costscope_rollup_daily', table => {
    table.index(
      ['entity_ref', 'usage_date'],
      'costscope_rollup_daily_entity_idx',
    );
    table.dropIndex([], 'costscope_rollup_daily_read_idx');
  });
};
