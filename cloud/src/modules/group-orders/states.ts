/**
 * The group order's states and every transition between them, in one place: the service asks `transition(action,
 * from)` before each change and writes the state it answers, so no code path can move an order along an edge that is
 * not listed here. Each transition is logged (group_order_transitions) and audited in the change's transaction.
 *
 *   create ─▶ held ──confirm──▶ confirmed ──pick_up──▶ picked_up ──close──▶ closed
 *              │ ╰─modify/visitors─╯ │ ╰─modify/visitors─╯
 *              ├──expire──▶ expired  │
 *              ╰──cancel──▶ cancelled ◀──cancel──╯
 *
 * State and action names are stable API values (stored, answered), never renamed.
 */
import { AppError } from '../../platform/errors.js';
import type { Localized } from '../../platform/language.js';
import type { OrderStateColumn } from './tables.js';

export const ORDER_STATES = ['held', 'confirmed', 'picked_up', 'closed', 'cancelled', 'expired'] as const;
export type OrderState = (typeof ORDER_STATES)[number] & OrderStateColumn;

export const ISSUE_MODES = ['group', 'individual'] as const;
/** One group code per line (persons = the line's quantity), or one ticket per person. */
export type IssueMode = (typeof ISSUE_MODES)[number];

export const STATE_NAMES: Readonly<Record<OrderState, Localized>> = {
  held: { 'zh-CN': '占位中', en: 'held' },
  confirmed: { 'zh-CN': '已确认', en: 'confirmed' },
  picked_up: { 'zh-CN': '已取票', en: 'picked up' },
  closed: { 'zh-CN': '已结单', en: 'closed' },
  cancelled: { 'zh-CN': '已取消', en: 'cancelled' },
  expired: { 'zh-CN': '已过期', en: 'expired' },
};

interface Edge {
  readonly from: readonly OrderState[];
  /** The state after; `same` keeps the state (a change within it). */
  readonly to: OrderState | 'same';
  readonly name: Localized;
}

export const TRANSITIONS = {
  /** A new order holds its places until `hold_expires_at`. */
  create: { from: [], to: 'held', name: { 'zh-CN': '下单', en: 'created' } },
  /** Paid from the agency's ledger, or (paid at the window) simply no longer lapsing. */
  confirm: { from: ['held'], to: 'confirmed', name: { 'zh-CN': '确认', en: 'confirmed' } },
  /** Headcount, lines, date or slot; capacity re-checked, money difference through the ledger. */
  modify: { from: ['held', 'confirmed'], to: 'same', name: { 'zh-CN': '修改', en: 'modified' } },
  /** The real-name visitor list, until it is due. */
  visitors: {
    from: ['held', 'confirmed'],
    to: 'same',
    name: { 'zh-CN': '提交游客名单', en: 'given visitors' },
  },
  /** Paid (window) and tickets issued at the window (付款取单). */
  pick_up: { from: ['confirmed'], to: 'picked_up', name: { 'zh-CN': '取票', en: 'picked up' } },
  /** Places released; a fee after the cut-off. */
  cancel: { from: ['held', 'confirmed'], to: 'cancelled', name: { 'zh-CN': '取消', en: 'cancelled' } },
  /** The sweep releases a lapsed hold. */
  expire: { from: ['held'], to: 'expired', name: { 'zh-CN': '过期', en: 'expired' } },
  /** After the visit: unused persons refunded by the order's policy, their tickets withdrawn. */
  close: { from: ['picked_up'], to: 'closed', name: { 'zh-CN': '结单', en: 'closed' } },
} as const satisfies Record<string, Edge>;

export type OrderAction = keyof typeof TRANSITIONS;

/** The state `action` leads to from `from`, or ORDER_STATE_INVALID (409) naming both (details: from, action). */
export function transition(action: OrderAction, from: OrderState): OrderState {
  const edge: Edge = TRANSITIONS[action];
  if (!edge.from.includes(from))
    throw new AppError(
      'ORDER_STATE_INVALID',
      { state: STATE_NAMES[from], action: edge.name },
      { details: { from, action, allowedFrom: edge.from } },
    );
  return edge.to === 'same' ? from : edge.to;
}
