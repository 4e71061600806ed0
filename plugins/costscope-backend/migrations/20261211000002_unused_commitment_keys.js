// @ts-check

/**
 * Unused commitment (FOCUS `CommitmentDiscountStatus` Unused) gets allocation keys of its own,
 * so that `costscope.commitments.unusedOwner` can take it before any tag rule. Facts stored
 * before still carry the keys of their tags: the sources that hold unused commitment forget
 * their incremental state, so their next run reads it again under the new keys.
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('costscope_alloc_keys', table => {
    table.boolean('unused_commitment').notNullable().defaultTo(false);
  });
  const sources = knex('costscope_cost_facts')
    .distinct('source_id')
    .where('commitment_status', 'Unused');
  await knex('costscope_source_state').whereIn('source_id', sources).delete();
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('costscope_alloc_keys', table => {
    table.dropColumn('unused_commitment');
  });
};
