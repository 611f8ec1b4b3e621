/**
 * Recognises constraint violations from either engine, so services can turn a lost insert race or a delete of a
 * referenced row into a catalogue error instead of a 500. Services check first inside their transaction; these
 * catch what a concurrent transaction slipped in between.
 */

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** A primary key or unique constraint refused the row. */
export function isUniqueViolation(error: unknown): boolean {
  const code = codeOf(error);
  return code === '23505' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}

/** A foreign key refused the change (a referenced row would vanish, or a reference points nowhere). */
export function isForeignKeyViolation(error: unknown): boolean {
  const code = codeOf(error);
  return code === '23503' || code === 'SQLITE_CONSTRAINT_FOREIGNKEY';
}
