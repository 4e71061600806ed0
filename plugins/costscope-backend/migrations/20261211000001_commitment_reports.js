// @ts-check

/**
 * Commitment coverage and utilization as a provider reports them (the AWS module's Cost
 * Explorer reports), beside what Costscope derives from the bill: one row per source,
 * commitment type and month, amounts exact as BIGINT nano-units (null where the provider
 * reports no such figure). A refresh replaces a source's months of its range in one
 * transaction; a failed one leaves them.
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('costscope_commitment_reports', table => {
    table.comment(
      'Provider-reported commitment coverage and utilization per source, commitment type and month, in nano-units',
    );
    table.string('source_id').notNullable();
    table.string('provider', 32).notNullable();
    /** SavingsPlans or Reservations. */
    table.string('commitment_type', 32).notNullable();
    /** YYYY-MM */
    table.string('month', 7).notNullable();
    table.string('currency', 3).notNullable();
    table.bigInteger('covered_nanos').notNullable();
    table.bigInteger('eligible_nanos').notNullable();
    table.bigInteger('used_nanos').nullable();
    table.bigInteger('purchased_nanos').nullable();
    table.bigInteger('unused_nanos').nullable();
    table.bigInteger('net_savings_nanos').nullable();
    /** When the read that wrote the row started (ISO 8601). */
    table.string('refreshed_at').notNullable();
    table.primary(['source_id', 'commitment_type', 'month']);
    table.index(['month'], 'costscope_commitment_reports_month_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('costscope_commitment_reports');
};
