/** Read models of stock rows, as the API returns them. */
import type * as repo from './repo.js';
import type { Batch, CodeDetail } from './schemas.js';

export function batchOf(row: repo.BatchRow): Batch {
  return {
    batchId: row.id,
    siteId: row.site_id,
    ticketTypeId: row.ticket_type_id,
    count: row.count,
    source: row.source,
    note: row.note,
    createdBy: row.created_by,
    createdByUsername: row.created_by_username,
    createdAt: row.created_at,
  };
}

export function codeDetailOf(row: repo.CodeRow, movements: readonly repo.MovementRow[]): CodeDetail {
  return {
    code: row.code,
    batchId: row.batch_id,
    seq: row.seq,
    siteId: row.site_id,
    ticketTypeId: row.ticket_type_id,
    state: row.state,
    holderId: row.holder_id,
    ticketId: row.ticket_id,
    stateChangedAt: row.state_changed_at,
    movements: movements.map((m) => ({
      kind: m.kind,
      fromState: m.from_state,
      toState: m.to_state,
      fromHolder: m.from_holder,
      toHolder: m.to_holder,
      ticketId: m.ticket_id,
      reason: m.reason,
      operatorId: m.operator_id,
      operatorUsername: m.operator_username,
      at: m.at,
    })),
  };
}
