import { describe, expect, it } from 'vitest';
import { starInResult } from './star-result.ts';

describe('starInResult', () => {
  it.each([
    'SELECT * FROM items WHERE id = $1',
    'select "c".* from "customers" as "c"',
    'SELECT c.id, m.* FROM customers c JOIN customer_metrics m ON true',
    'UPDATE items SET label = $1 RETURNING *',
    'SELECT id, * FROM items',
    'SELECT (r).* FROM (SELECT row(1, 2) AS r) s',
    'WITH x AS (SELECT * FROM items) SELECT * FROM x',
    'SELECT DISTINCT * FROM items',
    'SELECT DISTINCT ON (label) * FROM items',
  ])('sees the star of the result in %s', (sql) => {
    expect(starInResult(sql)).toBe(true);
  });

  it.each([
    'SELECT id FROM (SELECT * FROM items) s WHERE id = $1',
    'WITH ins AS (INSERT INTO items SELECT * FROM jsonb_to_recordset($1) AS x(id int)) SELECT 1',
    'WITH ins AS (INSERT INTO items (id) SELECT id FROM t RETURNING *) SELECT id FROM ins',
    'SELECT count(*) FROM items',
    'SELECT a * 2, b FROM items',
    'SELECT \'select *\' AS label, "weird, *" FROM items',
    'SELECT id -- select *\nFROM items',
    'SELECT id /* returning * */ FROM items',
    'SELECT $$select *$$ AS body, $tag$, *$tag$ AS other',
    "SELECT 'it''s, *' AS quoted",
  ])('sees no star of the result in %s', (sql) => {
    expect(starInResult(sql)).toBe(false);
  });
});
