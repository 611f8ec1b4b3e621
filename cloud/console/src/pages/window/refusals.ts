/**
 * Where a refused sale's field problems belong on the till. The API names them by request path
 * (['lines', 1, 'holders', 0, 'idNumber'], ['payments', 0, 'amountFen']); the till keys its fields by line key and
 * payment method, so the path is read against the lines and payments that were sent.
 */
import type { SalePaymentMethod } from '../../api/types';

export type FieldKey =
  | `holder:${string}:${number}:${'name' | 'idNumber'}`
  | `card:${string}:${number}`
  | `pay:${SalePaymentMethod}`;

export function holderField(lineKey: string, index: number, field: 'name' | 'idNumber'): FieldKey {
  return `holder:${lineKey}:${index}:${field}`;
}

export function cardField(lineKey: string, index: number): FieldKey {
  return `card:${lineKey}:${index}`;
}

export function payField(method: SalePaymentMethod): FieldKey {
  return `pay:${method}`;
}

/**
 * The card field a CARD_UID_IN_USE refusal is about. The refusal names the card in its message only (normalised as
 * the till sends it), so the field is the sent card whose UID the message holds.
 */
export function cardInUseField(
  messages: { readonly 'zh-CN': string; readonly en: string },
  sentCards: readonly { readonly lineKey: string; readonly uids: readonly string[] }[],
): FieldKey | null {
  // A 4-byte UID may be the start of a 7-byte one: a UID counts only where no hex digit is next to it.
  const names = (uid: string) => new RegExp(`(?<![0-9A-F])${uid}(?![0-9A-F])`).test(messages.en);
  for (const { lineKey, uids } of sentCards) {
    const index = uids.findIndex(names);
    if (index >= 0) return cardField(lineKey, index);
  }
  return null;
}

/** The till field of a problem's path, or null when it belongs to the sale as a whole. */
export function fieldOf(
  path: readonly (string | number)[],
  sentLineKeys: readonly string[],
  sentMethods: readonly SalePaymentMethod[],
): FieldKey | null {
  const [part, index, sub, subIndex, field] = path;
  if (part === 'lines' && typeof index === 'number' && sub === 'cardUids' && typeof subIndex === 'number') {
    const lineKey = sentLineKeys[index];
    return lineKey === undefined ? null : cardField(lineKey, subIndex);
  }
  if (part === 'lines' && typeof index === 'number' && sub === 'holders' && typeof subIndex === 'number') {
    const lineKey = sentLineKeys[index];
    if (lineKey === undefined) return null;
    return holderField(lineKey, subIndex, field === 'name' ? 'name' : 'idNumber');
  }
  if (part === 'payments' && typeof index === 'number') {
    const method = sentMethods[index];
    return method === undefined ? null : payField(method);
  }
  return null;
}
