// @ts-check

/**
 * FOCUS 1.3 split cost allocation: the provider's own split of a shared resource's cost (AWS
 * split cost allocation data for EKS and ECS) on the facts of the lines it split, and whether
 * a Kubernetes part came from that split or from OpenCost's ratios, and whether it is of the
 * cluster's nodes or its volumes. Null on facts without a
 * split and on facts stored before; clearing the sources' state makes the next run of each
 * read everything once, so that stored 1.3 exports get their split.
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('costscope_cost_facts', table => {
    table.string('allocated_method_id', 255);
    table.text('allocated_resource_id');
    table.text('allocated_resource_name');
    table.text('allocated_tags');
  });
  await knex.schema.alterTable('costscope_k8s_parts', table => {
    table.string('split_by', 16).notNullable().defaultTo('opencost');
    // What the part is of: the cluster's nodes, or its volumes (split by pv weight alone).
    table.string('split_resource', 16).notNullable().defaultTo('nodes');
  });
  await knex('costscope_source_state').delete();
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('costscope_k8s_parts', table => {
    table.dropColumn('split_by');
    table.dropColumn('split_resource');
  });
  await knex.schema.alterTable('costscope_cost_facts', table => {
    table.dropColumn('allocated_method_id');
    table.dropColumn('allocated_resource_id');
    table.dropColumn('allocated_resource_name');
    table.dropColumn('allocated_tags');
  });
};
