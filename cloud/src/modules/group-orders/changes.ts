/** A transition written twice in its transaction: the order's own state log and the operation log. */
import type { Connection } from '../../db/scoped.js';
import { recordAudit, SYSTEM_ACTOR } from '../../platform/audit/record.js';
import type { ChangeContext } from '../../platform/change-context.js';
import * as repo from './repo.js';
import type { OrderAction, OrderState } from './states.js';

/** What one transition's work changes on the order row, and what its log entry says about it. */
export interface OrderChange {
  readonly patch: Partial<Omit<repo.OrderRow, 'id' | 'state'>>;
  readonly details: Record<string, unknown>;
}

export interface Transition {
  readonly order: repo.OrderRow;
  readonly action: OrderAction;
  readonly from: OrderState | null;
  readonly to: OrderState;
  readonly context: ChangeContext;
  readonly at: number;
  readonly details: Record<string, unknown>;
  /** The transition's seq when the caller knows it (1: the order is new); else the next after the last. */
  readonly seq?: number;
}

export async function recordTransition(trx: Connection, t: Transition): Promise<void> {
  const actor = t.context.actor ?? SYSTEM_ACTOR;
  const seq = await repo.appendTransition(
    trx,
    {
      order_id: t.order.id,
      action: t.action,
      from_state: t.from,
      to_state: t.to,
      at: t.at,
      actor_id: actor.id,
      actor_username: actor.username,
      details_json: JSON.stringify(t.details),
    },
    t.seq,
  );
  await recordAudit(
    trx,
    {
      actor,
      ip: t.context.ip,
      action: `group_order.${t.action}`,
      entity: 'group_order',
      entityId: t.order.id,
      ...(t.from !== null && { before: { state: t.from } }),
      after: {
        state: t.to,
        seq,
        siteId: t.order.site_id,
        agencyId: t.order.agency_id,
        reference: t.order.reference,
        ...t.details,
      },
    },
    t.at,
  );
}
