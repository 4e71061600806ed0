// @ts-check

/**
 * On-demand list prices from the price sources (the AWS Price List module, the prices file),
 * cached so that recommendations never call a cloud API: one row per source, region, kind and
 * key, amounts exact as BIGINT nano-units. A refresh replaces a source's rows in one
 * transaction; `costscope_price_sources` records each source's last success and last failure.
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('costscope_prices', table => {
    table.comment(
      'On-demand list prices per source, region, kind (instance, volume, snapshot, public-ipv4) and key, in nano-units',
    );
    table.string('source_id').notNullable();
    table.string('region', 64).notNullable();
    table.string('kind', 32).notNullable();
    /** Instance type or volume type; empty for snapshots and public IPv4. */
    table.string('price_key', 128).notNullable();
    table.bigInteger('price_nanos').notNullable();
    table.integer('vcpu').nullable();
    table.integer('memory_mib').nullable();
    table.string('architecture', 16).nullable();
    table.integer('gpus').nullable();
    table.primary(['source_id', 'region', 'kind', 'price_key']);
  });
  await knex.schema.createTable('costscope_price_sources', table => {
    table.comment(
      'Each price source: its currency, last successful refresh and last error',
    );
    table.string('source_id').primary();
    table.string('provider', 32).notNullable();
    table.string('currency', 3).notNullable();
    /** The last successful refresh (ISO 8601), whose prices the rows are. */
    table.string('refreshed_at').nullable();
    table.integer('price_count').notNullable().defaultTo(0);
    table.string('last_attempt_at').notNullable();
    /** Why the last attempt failed; null when it succeeded. */
    table.text('last_error').nullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('costscope_price_sources');
  await knex.schema.dropTable('costscope_prices');
};
