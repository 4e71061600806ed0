// @ts-check

/**
 * The FOCUS ChargeCategory (Usage, Purchase, Tax, Credit, Adjustment) on rollups, so that tax,
 * credits and commitment purchases can be shown apart. Kubernetes parts split node usage. The
 * stored rollups are rebuilt at the next allocation (the fingerprint is forgotten) with the
 * facts' own categories; until then they count as Usage.
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  for (const name of ['costscope_rollup_daily', 'costscope_k8s_parts']) {
    await knex.schema.alterTable(name, table => {
      table.string('charge_category', 16).notNullable().defaultTo('Usage');
    });
  }
  await knex('costscope_state').where({ key: 'allocation_fingerprint' }).delete();
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  for (const name of ['costscope_rollup_daily', 'costscope_k8s_parts']) {
    await knex.schema.alterTable(name, table => {
      table.dropColumn('charge_category');
    });
  }
};
