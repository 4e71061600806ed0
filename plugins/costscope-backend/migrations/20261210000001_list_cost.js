// @ts-check

const AMOUNT_TABLES = [
  'costscope_cost_facts',
  'costscope_rollup_daily',
  'costscope_k8s_parts',
];

/**
 * List cost (FOCUS `ListCost`, at public on-demand prices) next to billed and effective cost,
 * for the `list` basis. Rows stored before count at their billed cost until their source is
 * read again; clearing the sources' state makes the next run of each read everything once.
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  for (const name of AMOUNT_TABLES) {
    await knex.schema.alterTable(name, table => {
      table.bigInteger('list_nanos').notNullable().defaultTo(0);
    });
    await knex(name).update({ list_nanos: knex.ref('billed_nanos') });
  }
  await knex('costscope_source_state').delete();
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  for (const name of AMOUNT_TABLES) {
    await knex.schema.alterTable(name, table => {
      table.dropColumn('list_nanos');
    });
  }
};
