/**
 * IC card UIDs as the till takes them, typed or read by a desktop reader that types them (hex, often with `:` or
 * spaces between bytes): normalised the way the API stores them (protocol's checkCardUid — upper-case hex of 4 or 7
 * bytes, no separators), and refused here for the reads no card gives (all 00 / FF, a cascade-tag fragment, a random
 * ID) so the cashier hears of a bad read at the counter rather than from the sale's refusal. The API checks again.
 */

export type CardUidCheck =
  | { readonly state: 'empty' }
  | { readonly state: 'valid'; readonly uid: string }
  | { readonly state: 'invalid'; readonly problem: CardUidProblem };

export type CardUidProblem = 'hex' | 'length' | 'failed_read' | 'partial' | 'random';

export function checkCardUid(text: string): CardUidCheck {
  const compact = text.replace(/[\s:-]/g, '');
  if (compact === '') return { state: 'empty' };
  if (!/^[0-9a-fA-F]+$/.test(compact)) return { state: 'invalid', problem: 'hex' };
  if (compact.length !== 8 && compact.length !== 14) return { state: 'invalid', problem: 'length' };
  const uid = compact.toUpperCase();
  if (/^0+$/.test(uid) || /^F+$/.test(uid)) return { state: 'invalid', problem: 'failed_read' };
  if (uid.length === 8 && uid.startsWith('88')) return { state: 'invalid', problem: 'partial' };
  if (uid.length === 8 && uid.startsWith('08')) return { state: 'invalid', problem: 'random' };
  if (uid.length === 14 && uid.slice(6, 8) === '88') return { state: 'invalid', problem: 'partial' };
  return { state: 'valid', uid };
}
