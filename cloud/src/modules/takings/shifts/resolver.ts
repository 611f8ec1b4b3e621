/**
 * Which open shift a taking belongs to (takings/repo.ts `ShiftOf`), found inside the statement that records the
 * taking, so in its own transaction and without a statement of its own (a sale on PostgreSQL waits for each round
 * trip under the audit chain's lock):
 * - at a window: the cashier's open shift at that window (there is at most one);
 * - without a window (a refund made without naming its window): the cashier's only open shift at the site, when
 *   there is exactly one; otherwise none — the money is then outside every shift, never guessed into one.
 * Only `open` shifts are found, so money moved after a close (or while the close waits for approval) never lands in
 * that shift: the cashier opens a new one. A refund of an earlier shift's sale counts in the shift where the money
 * left, since it is asked at the refund, not at the sale. Closing and recording race safely: a close and a taking
 * are both audited transactions, run one after another (SQLite's single writer; PostgreSQL's audit chain lock and
 * SERIALIZABLE isolation), so a taking sees the shift either open (and the close then counts it) or closed.
 *
 * The SQL is the shifts' own (till_shifts), handed to the takings as an expression. `'open'` is a literal, not a
 * bound value: compared with a bound value where a partial index's WHERE has a literal (till_shifts_one_open),
 * SQLite plans the statement anew on every run to check the value.
 */
import { sql } from 'kysely';
import type { ShiftOf } from '../service.js';

export const shiftOfTaking: ShiftOf = ({ siteId, windowId, cashierId }) => sql<string | null>`case
  when cast(${windowId} as text) is not null then (
    select s.id from till_shifts s
    where s.site_id = ${siteId} and s.window_id = ${windowId} and s.cashier_id = ${cashierId} and s.state = 'open')
  else (
    select case when count(*) = 1 then min(o.id) end from (
      select s.id from till_shifts s
      where s.cashier_id = ${cashierId} and s.state = 'open' and s.site_id = ${siteId} limit 2) o)
  end`;
