// @ts-check

/**
 * Facts billed in another currency than the reporting one are stored converted; these
 * columns keep what their lines said: the currency, the month's rate, and each amount in that
 * currency. Null on facts billed in the reporting currency and on facts stored before (lines
 * in a currency other than their source's were rejected until now).
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('costscope_cost_facts', table => {
    table.string('original_currency', 3);
    table.string('exchange_rate', 32);
    table.bigInteger('original_billed_nanos');
    table.bigInteger('original_effective_nanos');
    table.bigInteger('original_list_nanos');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('costscope_cost_facts', table => {
    table.dropColumn('original_currency');
    table.dropColumn('exchange_rate');
    table.dropColumn('original_billed_nanos');
    table.dropColumn('original_effective_nanos');
    table.dropColumn('original_list_nanos');
  });
};
