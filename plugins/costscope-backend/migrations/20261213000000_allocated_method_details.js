// @ts-check

/**
 * FOCUS 1.3 AllocatedMethodDetails of split facts: per usage unit the day's summed quantity,
 * as JSON text (null on facts without a split, or whose lines gave none). Clearing the
 * sources' state makes the next run of each read everything once, so that stored 1.3
 * exports get their details.
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('costscope_cost_facts', table => {
    table.text('allocated_method_details');
  });
  await knex('costscope_source_state').delete();
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('costscope_cost_facts', table => {
    table.dropColumn('allocated_method_details');
  });
};
