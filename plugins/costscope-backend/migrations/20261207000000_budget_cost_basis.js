// @ts-check

/**
 * The cost basis a UI budget counts its spend on (`effective` or `billed`); null: the
 * configured default (`costscope.costBasis`), so that existing budgets follow the setting.
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('costscope_budgets', table => {
    table.string('cost_basis', 16);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('costscope_budgets', table => {
    table.dropColumn('cost_basis');
  });
};
