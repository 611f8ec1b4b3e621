/** The sales list's page cursor: the last sale's creation time and id, opaque to clients. */
import { invalidField } from './refusals.js';

export function encodeCursor(createdAt: number, id: string): string {
  return Buffer.from(JSON.stringify([createdAt, id])).toString('base64url');
}

export function decodeCursor(text: string): { createdAt: number; id: string } {
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as unknown[];
    if (Number.isSafeInteger(createdAt) && typeof id === 'string')
      return { createdAt: createdAt as number, id };
  } catch {
    // fall through to the refusal below
  }
  throw invalidField('querystring', ['before'], '翻页游标无效', 'invalid page cursor');
}
