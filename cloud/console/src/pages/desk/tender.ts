/**
 * What a cashier takes for a supplement: one method; cash may be more than due and the change is handed back, any
 * other method pays exactly what is due (the cloud's settle rule). Nothing due takes no payment at all.
 */
import type { PaymentMethod } from '../../api/types';

export const PAYMENT_METHODS: readonly PaymentMethod[] = ['cash', 'wechat', 'alipay', 'bank_card'];

export type Tender =
  | {
      readonly ok: true;
      readonly payments: { method: PaymentMethod; amountFen: number }[];
      readonly changeFen: number;
    }
  | { readonly ok: false; readonly problem: 'short' };

/** `receivedFen` is what was handed over in cash (undefined: exactly the amount due). */
export function tender(dueFen: number, method: PaymentMethod, receivedFen?: number): Tender {
  if (dueFen <= 0) return { ok: true, payments: [], changeFen: 0 };
  if (method !== 'cash' || receivedFen === undefined)
    return { ok: true, payments: [{ method, amountFen: dueFen }], changeFen: 0 };
  if (receivedFen < dueFen) return { ok: false, problem: 'short' };
  return { ok: true, payments: [{ method, amountFen: receivedFen }], changeFen: receivedFen - dueFen };
}
