// @ts-check

/**
 * The commitment a fact's lines name (FOCUS `CommitmentDiscountId`) and whether they are
 * usage it covered or its unused part (`CommitmentDiscountStatus`), for coverage, utilization
 * and the effective savings rate. Null on facts without a commitment and on facts stored
 * before: their sources' state was cleared by the list cost migration, so they are read again.
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('costscope_cost_facts', table => {
    table.string('commitment_id', 2048);
    table.string('commitment_status', 16);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('costscope_cost_facts', table => {
    table.dropColumn('commitment_id');
    table.dropColumn('commitment_status');
  });
};
