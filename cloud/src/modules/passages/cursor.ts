/**
 * The passage list's page cursor: the last item's gate time and event id (the list's order), opaque to clients.
 */

/** Event ids are UUIDs or ULIDs: nothing else (no NUL, which PostgreSQL text cannot hold) reaches the SQL. */
const EVENT_ID = /^[0-9A-Za-z-]{1,64}$/;

export interface PassageCursor {
  readonly at: number;
  readonly eventId: string;
}

export function encodePassageCursor(at: number, eventId: string): string {
  return Buffer.from(JSON.stringify([at, eventId])).toString('base64url');
}

/** The cursor, or undefined when the text is not one this list handed out. */
export function decodePassageCursor(text: string): PassageCursor | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (!Array.isArray(value) || value.length !== 2) return undefined;
    const [at, eventId] = value as unknown[];
    if (
      Number.isSafeInteger(at) &&
      (at as number) >= 0 &&
      typeof eventId === 'string' &&
      EVENT_ID.test(eventId)
    )
      return { at: at as number, eventId };
  } catch {
    // not base64url JSON
  }
  return undefined;
}
