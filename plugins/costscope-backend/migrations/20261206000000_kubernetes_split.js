// @ts-check

/**
 * Shared Kubernetes clusters split over their workloads: OpenCost's daily allocations as read
 * (kept, so a failed read keeps the previous split), the node facts an allocation replaced by
 * parts, the parts themselves, and the cluster, namespace and workload of rollup rows.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('costscope_opencost_days', table => {
    table.comment(
      'Allocations OpenCost answered for one cluster and UTC day, as last read',
    );
    table.string('cluster').notNullable();
    table.string('usage_date', 10).notNullable();
    table.text('allocations').notNullable();
    table.string('fetched_at').notNullable();
    table.primary(['cluster', 'usage_date']);
  });

  await knex.schema.createTable('costscope_k8s_split_facts', table => {
    table.comment(
      'Node facts the last allocation split over workloads (rolled up as parts instead)',
    );
    table.bigInteger('fact_id').primary();
    table.string('cluster').notNullable();
  });

  await knex.schema.createTable('costscope_k8s_parts', table => {
    table.comment(
      'Parts of the split node cost, per cluster, day, bill dimension and workload; a null rule is unallocated',
    );
    table.bigIncrements('id');
    table.string('cluster').notNullable();
    table.string('usage_date', 10).notNullable();
    table.string('provider').notNullable();
    table.string('sub_account_id').notNullable();
    table.string('region').notNullable();
    table.string('service_name').notNullable();
    table.string('currency', 3).notNullable();
    table.integer('rule_id');
    table.string('part_kind').notNullable();
    table.string('namespace');
    table.string('workload').notNullable();
    table.bigInteger('billed_nanos').notNullable();
    table.bigInteger('effective_nanos').notNullable();
    table.index(['cluster', 'usage_date'], 'costscope_k8s_parts_cluster_idx');
  });

  await knex.schema.alterTable('costscope_rollup_daily', table => {
    table.string('k8s_cluster');
    table.string('k8s_namespace');
    table.string('k8s_workload');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('costscope_rollup_daily', table => {
    table.dropColumn('k8s_cluster');
    table.dropColumn('k8s_namespace');
    table.dropColumn('k8s_workload');
  });
  await knex.schema.dropTable('costscope_k8s_parts');
  await knex.schema.dropTable('costscope_k8s_split_facts');
  await knex.schema.dropTable('costscope_opencost_days');
};
