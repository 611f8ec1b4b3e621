/**
 * Which open shift a taking belongs to (takings/service.ts `ShiftOf`), asked inside the taking's own transaction:
 * - at a window: the cashier's open shift at that window (there is at most one);
 * - without a window (a refund made without naming its window): the cashier's only open shift at the site, when
 *   there is exactly one; otherwise none — the money is then outside every shift, never guessed into one.
 * Only `open` shifts are found, so money moved after a close (or while the close waits for approval) never lands in
 * that shift: the cashier opens a new one. A refund of an earlier shift's sale counts in the shift where the money
 * left, since it is asked at the refund, not at the sale. Closing and recording race safely: a close and a taking
 * are both audited transactions, run one after another (SQLite's single writer; PostgreSQL's audit chain lock and
 * SERIALIZABLE isolation), so a taking sees the shift either open (and the close then counts it) or closed.
 */
import type { Connection } from '../../../db/scoped.js';
import type { ShiftOf } from '../service.js';
import { openShiftAt, openShiftsAtSite } from './repo.js';

export const shiftOfTaking: ShiftOf = async (conn: Connection, at) => {
  if (at.windowId !== null)
    return (
      (await openShiftAt(conn, { siteId: at.siteId, windowId: at.windowId, cashierId: at.cashierId })) ?? null
    );
  const open = await openShiftsAtSite(conn, at.siteId, at.cashierId);
  return open.length === 1 ? open[0]! : null;
};
