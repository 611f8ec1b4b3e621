/**
 * Text a gate wrote, made storable on both databases: PostgreSQL refuses a NUL character in text ("invalid byte
 * sequence for encoding UTF8: 0x00") and fails the whole statement, which SQLite would have stored. NUL becomes
 * U+FFFD (the replacement character) on both, so what is stored does not depend on the database.
 */
export function storableText<T>(value: T): T {
  return (
    typeof value === 'string' && value.includes('\u0000') ? value.replaceAll('\u0000', '\ufffd') : value
  ) as T;
}
