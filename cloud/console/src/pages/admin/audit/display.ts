/**
 * The one display table of the operation log (in the manner of pretix's logdisplay): each action code the cloud
 * writes → a sentence key of the `admin` texts (auditActions.*) and the values it needs, taken from the entry's
 * entity and before/after. An action without a row is shown by the generic sentence, never as a bare code.
 */
import type { AuditEntry } from '../../../api/types';
import type { admin } from '../../../i18n/areas/admin';

export type ActionKey = keyof (typeof admin)['zh-CN']['auditActions'];
export type Values = Record<string, string | number>;

export interface DisplayContext {
  readonly language: 'zh-CN' | 'en';
  /** A readable name for an entity id the page knows (an operator's name, a role's), if any. */
  readonly nameOf: (entity: string, id: string) => string | undefined;
  readonly money: (fen: number) => string;
}

export interface Sentence {
  readonly key: ActionKey;
  readonly values: Values;
}

type Json = Record<string, unknown>;

function obj(value: unknown): Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};
}

function text(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
    return String(value);
  return JSON.stringify(value);
}

/** A venue or ticket type's `{ zh, en }` name, or a role's `{ 'zh-CN', en }`, in the language. */
function localName(value: unknown, language: 'zh-CN' | 'en'): string | undefined {
  const name = obj(value);
  const found = language === 'en' ? name.en : (name.zh ?? name['zh-CN']);
  return typeof found === 'string' ? found : undefined;
}

/**
 * Who or what an entry is about: the page's own label for the id (an operator's "name (user name)"), else the name
 * the entry's state carries with the id beside it, else the bare id.
 */
function target(entry: AuditEntry, context: DisplayContext): string {
  const id = entry.entityId ?? '';
  const known = context.nameOf(entry.entity, id);
  if (known) return known;
  const state = { ...obj(entry.before), ...obj(entry.after) };
  if (typeof state.displayName === 'string' && typeof state.username === 'string')
    return `${state.displayName} (${state.username})`;
  const name = localName(state.name, context.language);
  return name && name !== id ? `${name} (${id})` : id;
}

type Row = (entry: AuditEntry, context: DisplayContext) => Sentence;

const simple =
  (key: ActionKey): Row =>
  (entry, context) => ({ key, values: { target: target(entry, context) } });

/** A shift's drop, payout or adjustment: its amount and reason. */
function movement(key: ActionKey, entry: AuditEntry, context: DisplayContext): Sentence {
  const after = obj(entry.after);
  return {
    key,
    values: {
      target: target(entry, context),
      amount: context.money(Number(after.amountFen ?? 0)),
      reason: text(after.reason),
    },
  };
}

/** A shift's close or handover: what was counted and the variance; above the threshold it awaits approval. */
function shiftCount(kind: 'close' | 'handover', entry: AuditEntry, context: DisplayContext): Sentence {
  const after = obj(entry.after);
  const pending = after.state === 'pending_approval';
  return {
    key: kind === 'handover' ? 'shift_handover' : pending ? 'shift_close_pending' : 'shift_close',
    values: {
      target: target(entry, context),
      counted: context.money(Number(after.countedCashFen ?? 0)),
      variance: context.money(Number(after.varianceFen ?? 0)),
    },
  };
}

const DISPLAY: Readonly<Record<string, Row>> = {
  'auth.login': simple('auth_login'),
  'auth.logout': simple('auth_logout'),
  // The actor is the operator who asked for the approval; the approver named is only what they typed.
  'auth.approval_failed': (entry) => {
    const after = obj(entry.after);
    return {
      key: after.approvalsLockedUntil ? 'auth_approval_locked' : 'auth_approval_failed',
      values: { approver: text(after.approverUsername), failures: text(after.failedApprovals) },
    };
  },
  'operator.create': (entry, context) => ({
    key: 'operator_create',
    values: {
      target: target(entry, context),
      roles: ((obj(entry.after).roles as string[] | undefined) ?? [])
        .map((code) => context.nameOf('role', code) ?? code)
        .join(context.language === 'en' ? ', ' : '、'),
    },
  }),
  'operator.update': simple('operator_update'),
  'operator.password_reset': simple('operator_password_reset'),
  'operator.password_change': simple('operator_password_change'),
  'operator.lock': (entry, context) => ({
    key: 'operator_lock',
    values: { target: target(entry, context), failures: text(obj(entry.after).failedLogins) },
  }),
  'operator.unlock': simple('operator_unlock'),
  'role.create': simple('role_create'),
  'role.update': simple('role_update'),
  'role.seed': simple('role_seed'),
  'role.grant': simple('role_grant'),
  'site.create': simple('site_create'),
  'site.update': simple('site_update'),
  'site.delete': simple('site_delete'),
  'zone.create': simple('zone_create'),
  'zone.update': simple('zone_update'),
  'zone.delete': simple('zone_delete'),
  'window.create': simple('window_create'),
  'window.update': simple('window_update'),
  'window.delete': simple('window_delete'),
  'gate.create': simple('gate_create'),
  'gate.update': simple('gate_update'),
  'gate.delete': simple('gate_delete'),
  'gate_config.update': simple('gate_config_update'),
  'gate_credential.issue': (entry, context) => ({
    key: 'gate_credential_issue',
    values: { target: target(entry, context), version: text(obj(entry.after).version) },
  }),
  'gate_credential.rotate': (entry, context) => ({
    key: 'gate_credential_rotate',
    values: { target: target(entry, context), version: text(obj(entry.after).version) },
  }),
  'gate_credential.revoke': simple('gate_credential_revoke'),
  'gate_command.issue': (entry) => ({
    key: 'gate_command_issue',
    values: {
      command: text(obj(obj(entry.after).action).kind),
      gates: ((obj(entry.after).gates as unknown[] | undefined) ?? []).length,
    },
  }),
  'gate_command.complete': simple('gate_command_complete'),
  'gate_command.late_ack': (entry) => ({
    key: 'gate_command_late_ack',
    values: { gate: text(obj(entry.after).gateId), result: text(obj(entry.after).result) },
  }),
  'occupancy.capacity.set': (entry, context): Sentence => {
    const capacity = obj(entry.after).capacity;
    if (typeof capacity === 'number')
      return { key: 'occupancy_capacity_set', values: { target: target(entry, context), capacity } };
    return { key: 'occupancy_capacity_clear', values: { target: target(entry, context) } };
  },
  'signing_key.rotate': simple('signing_key_rotate'),
  'signing_key.retire': (entry, context) => ({
    key: 'signing_key_retire',
    values: { target: target(entry, context), reason: text(obj(entry.after).reason) },
  }),
  'ticket_type.create': simple('ticket_type_create'),
  'ticket_type.update': simple('ticket_type_update'),
  'ticket_type.activate': simple('ticket_type_activate'),
  'ticket_type.deactivate': simple('ticket_type_deactivate'),
  'supplement_fee_rate.update': simple('supplement_fee_rate_update'),
  'capacity_slot.create': simple('capacity_slot_create'),
  'capacity_slot.update': simple('capacity_slot_update'),
  'sale.create': (entry, context) => ({
    key: 'sale_create',
    values: { target: target(entry, context), amount: context.money(Number(obj(entry.after).totalFen ?? 0)) },
  }),
  'refund.create': simple('refund_create'),
  'card.lost': simple('card_lost'),
  'card.block': simple('card_block'),
  'card.replace': (entry, context) => ({
    key: 'card_replace',
    values: { target: target(entry, context), replacement: text(obj(entry.after).replacedBy) },
  }),
  'card.return': (entry, context) => ({
    key: 'card_return',
    values: {
      target: target(entry, context),
      amount: context.money(Number(obj(entry.after).refundedFen ?? 0)),
    },
  }),
  'card.deposit.set': (entry, context) => ({
    key: 'card_deposit_set',
    values: {
      target: target(entry, context),
      amount: context.money(Number(obj(entry.after).depositFen ?? 0)),
    },
  }),
  'supplement.upgrade': simple('supplement_upgrade'),
  'supplement.fee': simple('supplement_fee'),
  'supplement.reissue': simple('supplement_reissue'),
  'ticket.print': simple('ticket_print'),
  'ticket.reprint': simple('ticket_reprint'),
  'stock.import': simple('stock_import'),
  'stock.generate': simple('stock_generate'),
  'stock.issue': simple('stock_issue'),
  'stock.return': simple('stock_return'),
  'stock.void': simple('stock_void'),
  'signing_key.reissue_tickets': (entry, context) => ({
    key: 'signing_key_reissue_tickets',
    values: {
      target: target(entry, context),
      reason: text(obj(entry.after).reason),
      count: ((obj(entry.after).ticketIds as unknown[] | undefined) ?? []).length,
    },
  }),
  'agency.create': simple('agency_create'),
  'agency.update': simple('agency_update'),
  'agency.type.put': (entry, context) => ({
    key: 'agency_type_put',
    values: { target: target(entry, context), type: text(obj(entry.after).typeId) },
  }),
  'agency.type.remove': (entry, context) => ({
    key: 'agency_type_remove',
    values: {
      target: target(entry, context),
      type: text(obj(entry.before).typeId ?? obj(entry.after).typeId),
    },
  }),
  'agency.operator.link': simple('agency_operator_link'),
  'agency.operator.unlink': simple('agency_operator_unlink'),
  'agency.topup': (entry, context) => ({
    key: 'agency_topup',
    values: {
      target: target(entry, context),
      amount: context.money(Number(obj(entry.after).amountFen ?? 0)),
    },
  }),
  'agency.adjust': (entry, context) => ({
    key: 'agency_adjust',
    values: {
      target: target(entry, context),
      amount: context.money(Number(obj(entry.after).amountFen ?? 0)),
      reason: text(obj(entry.after).note ?? obj(entry.after).reason),
    },
  }),
  'channel_key.create': simple('channel_key_create'),
  'channel_key.rotate': simple('channel_key_rotate'),
  'channel_key.revoke': simple('channel_key_revoke'),
  'webhook_endpoint.create': simple('webhook_endpoint_create'),
  'webhook_endpoint.disable': simple('webhook_endpoint_disable'),
  'webhook_endpoint.rotate_secret': simple('webhook_endpoint_rotate_secret'),
  'webhook_delivery.redeliver': simple('webhook_delivery_redeliver'),
  'customer.create': simple('customer_create'),
  'customer.update': simple('customer_update'),
  'customer.card_bind': simple('customer_card_bind'),
  'customer.card_block': simple('customer_card_block'),
  'points.rules_update': simple('points_rules_update'),
  'points.adjust': (entry, context) => ({
    key: 'points_adjust',
    values: {
      target: target(entry, context),
      points: text(obj(entry.after).points),
      reason: text(obj(entry.after).reason),
    },
  }),
  'points.expire': simple('points_expire'),
  'holiday.create': simple('holiday_create'),
  'holiday.update': simple('holiday_update'),
  'holiday.delete': simple('holiday_delete'),
  'group_order.create': simple('group_order_create'),
  'group_order.confirm': simple('group_order_confirm'),
  'group_order.modify': simple('group_order_modify'),
  'group_order.visitors': simple('group_order_visitors'),
  'group_order.pick_up': simple('group_order_pick_up'),
  'group_order.cancel': simple('group_order_cancel'),
  'group_order.expire': simple('group_order_expire'),
  'group_order.close': simple('group_order_close'),
  'database.restore': simple('database_restore'),
  'shift.open': (entry, context) => {
    const after = obj(entry.after);
    return {
      key: after.handoverFrom ? 'shift_take_over' : 'shift_open',
      values: { window: text(after.windowId), amount: context.money(Number(after.floatFen ?? 0)) },
    };
  },
  'shift.drop': (entry, context) => movement('shift_drop', entry, context),
  'shift.payout': (entry, context) => movement('shift_payout', entry, context),
  'shift.close': (entry, context) => shiftCount('close', entry, context),
  'shift.handover': (entry, context) => shiftCount('handover', entry, context),
  'shift.approve': (entry, context) => ({
    key: 'shift_approve',
    values: {
      target: target(entry, context),
      variance: context.money(Number(obj(entry.after).varianceFen ?? 0)),
      note: text(obj(entry.after).note),
    },
  }),
  'shift.adjust': (entry, context) => movement('shift_adjust', entry, context),
  'settlement.day_close': (entry, context) => ({
    key: 'settlement_day_close',
    values: {
      target: target(entry, context),
      amount: context.money(Number(obj(entry.after).amountFen ?? 0)),
    },
  }),
  'settlement.month_close': (entry, context) => ({
    key: 'settlement_month_close',
    values: {
      target: target(entry, context),
      amount: context.money(Number(obj(entry.after).amountFen ?? 0)),
    },
  }),
  'setting.update': (entry, context): Sentence => {
    const after = obj(entry.after);
    return typeof after.thresholdFen === 'number'
      ? { key: 'setting_threshold', values: { amount: context.money(after.thresholdFen) } }
      : simple('setting_update')(entry, context);
  },
};

/** The action codes the table knows, for the search form's choice of action. */
export const KNOWN_ACTIONS = Object.keys(DISPLAY);

export type GroupKey = keyof (typeof admin)['zh-CN']['auditGroups'];

/** Action prefixes ("operator." matches every operator action), for the search form. */
export const ACTION_GROUPS: readonly GroupKey[] = [
  'auth',
  'operator',
  'role',
  'site',
  'zone',
  'window',
  'gate',
  'gate_credential',
  'gate_config',
  'gate_command',
  'occupancy',
  'signing_key',
  'ticket_type',
  'capacity_slot',
  'sale',
  'refund',
  'supplement',
  'ticket',
  'stock',
  'agency',
  'channel_key',
  'webhook',
  'customer',
  'points',
  'group_order',
  'holiday',
  'shift',
  'settlement',
  'setting',
];

export type EntityKey = keyof (typeof admin)['zh-CN']['auditEntities'];

/** The entity kinds entries name, for the search form. */
export const ENTITIES: readonly EntityKey[] = [
  'operator',
  'role',
  'site',
  'zone',
  'window',
  'gate',
  'gate_credential',
  'gate_command',
  'signing_key',
  'ticket_type',
  'capacity_slot',
  'sale',
  'refund',
  'supplement',
  'ticket',
  'stock_codes',
  'agency',
  'channel_key',
  'webhook_endpoint',
  'webhook_delivery',
  'customer',
  'group_order',
  'holiday',
  'till_shift',
  'settlement_day',
  'settlement_month',
  'setting',
];

export function describeEntry(entry: AuditEntry, context: DisplayContext): Sentence {
  const row = DISPLAY[entry.action];
  if (row) return row(entry, context);
  return {
    key: 'unknown',
    values: { action: entry.action, entity: entry.entity, target: target(entry, context) },
  };
}

export interface FieldChange {
  readonly field: string;
  readonly before: string | undefined;
  readonly after: string | undefined;
  readonly changed: boolean;
}

/** The before/after of an entry as rows of top-level fields, changed ones flagged (the drawer's diff). */
export function diffEntry(entry: Pick<AuditEntry, 'before' | 'after'>): FieldChange[] {
  const before = entry.before === null || entry.before === undefined ? undefined : obj(entry.before);
  const after = entry.after === null || entry.after === undefined ? undefined : obj(entry.after);
  const fields = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])];
  return fields.map((field) => {
    const was = before && field in before ? text(before[field]) : undefined;
    const now = after && field in after ? text(after[field]) : undefined;
    return { field, before: was, after: now, changed: was !== now };
  });
}
