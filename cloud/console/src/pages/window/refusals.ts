/**
 * Where a refused sale's field problems belong on the till. The API names them by request path
 * (['lines', 1, 'holders', 0, 'idNumber'], ['payments', 0, 'amountFen']); the till keys its fields by line key and
 * payment method, so the path is read against the lines and payments that were sent.
 */
import type { PaymentMethod } from '../../api/types';

export type FieldKey = `holder:${string}:${number}:${'name' | 'idNumber'}` | `pay:${PaymentMethod}`;

export function holderField(lineKey: string, index: number, field: 'name' | 'idNumber'): FieldKey {
  return `holder:${lineKey}:${index}:${field}`;
}

export function payField(method: PaymentMethod): FieldKey {
  return `pay:${method}`;
}

/** The till field of a problem's path, or null when it belongs to the sale as a whole. */
export function fieldOf(
  path: readonly (string | number)[],
  sentLineKeys: readonly string[],
  sentMethods: readonly PaymentMethod[],
): FieldKey | null {
  const [part, index, sub, subIndex, field] = path;
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
