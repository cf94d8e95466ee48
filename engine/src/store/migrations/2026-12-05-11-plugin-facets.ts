import { type Kysely, sql } from 'kysely';

/**
 * Frozen: plugins keep their summary of a customer (points and tier, say) as a facet in one
 * column, `facets` (`{"<facet>": {…}}`), instead of a column of their own on the engine's table.
 * What the loyalty plugin kept in `customers.loyalty` moves there under its facet's name.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE customers ADD COLUMN facets jsonb NOT NULL DEFAULT '{}';
    UPDATE customers SET facets = jsonb_build_object('loyalty', loyalty) WHERE loyalty IS NOT NULL;
    ALTER TABLE customers DROP COLUMN loyalty;
  `.execute(db);
}
