import pg from 'pg';

/**
 * Quote an identifier (schema or table name) for SQL text: double quotes around it,
 * inner double quotes doubled. Names always come from the catalog; a NUL, which no
 * identifier can hold, is refused rather than sent.
 * @see https://www.postgresql.org/docs/15/sql-syntax-lexical.html#SQL-SYNTAX-IDENTIFIERS
 */
export function escapeIdentifierOf(name: string): string {
  if (name.includes('\u0000')) throw new Error('an identifier cannot contain a NUL character');
  return pg.escapeIdentifier(name);
}

/** Quote a string literal for SQL text (`'…'`, or `E'…'` when it holds a backslash). */
export function escapeLiteralOf(value: string): string {
  if (value.includes('\u0000')) throw new Error('a literal cannot contain a NUL character');
  return pg.escapeLiteral(value);
}
