/**
 * Closing a shift (收班) or handing it over (交班), inside the caller's audited transaction. The shift's row is
 * touched first while still open, which takes its lock: a drop or a taking in flight commits before the count is
 * weighed, and one that comes after finds the shift no longer open. Then the journal and the events give the
 * expected cash (report.ts), the count gives the variance, and the conditional UPDATE from `open` writes it all
 * once: of two parallel closes exactly one wins, the other answers SHIFT_STATE_CONFLICT. Above the threshold the
 * shift waits for approval. A handover names the cashier taking over, who opens with the counted cash as float.
 */
import type { Connection } from '../../../db/scoped.js';
import { recordAudit } from '../../../platform/audit/record.js';
import { findOperatorById, rolesAndPermissionsOf } from '../../../platform/auth/repo.js';
import type { ChangeContext } from '../../../platform/change-context.js';
import type { SiteScope } from '../../../platform/site-scope.js';
import type { VenuesService } from '../../venues/service.js';
import {
  compact,
  conflict,
  handoverInvalid,
  recordEvent,
  type ShiftActor,
  siteDay,
  workedShift,
} from './changes.js';
import { journalOfShift } from './journal.js';
import * as repo from './repo.js';
import { expectedByMethod, expectedCash, needsApproval, shiftReport } from './report.js';
import type { CloseShift, NonCashMethod, ShiftReport } from './schemas.js';
import type { ShiftState } from './tables.js';

export interface CloseDependencies {
  readonly venues: VenuesService;
  /** SHIFT_VARIANCE_APPROVAL_FEN. */
  readonly thresholdFen: number;
}

export interface CloseCommand {
  readonly shiftId: string;
  readonly input: CloseShift;
  /** The cashier taking the till over, for a handover; null for a close. */
  readonly toCashierId: string | null;
  readonly actor: ShiftActor;
  readonly context: ChangeContext;
  readonly scope: SiteScope;
  readonly now: number;
}

export async function closeShift(
  trx: Connection,
  deps: CloseDependencies,
  command: CloseCommand,
): Promise<ShiftReport> {
  const { shiftId: id, input, toCashierId, actor, context, now } = command;
  const action = toCashierId === null ? 'close' : 'handover';
  const row = await workedShift(trx, id, actor, command.scope);
  if (row.state !== 'open' || !(await repo.touchInState(trx, id, 'open', now))) throw conflict(row, action);
  if (toCashierId !== null) await requireSuccessor(trx, row, toCashierId);
  const events = await repo.eventsOf(trx, id);
  const journal = await journalOfShift(trx, id);
  const expectedFen = expectedCash(row, events, journal);
  const varianceFen = input.countedCashFen - expectedFen;
  const expected = expectedByMethod(journal);
  const recorded = input.recorded ?? {};
  const differences = (Object.keys(recorded) as NonCashMethod[]).map(
    (method) => (recorded[method] ?? 0) - expected[method],
  );
  const state: ShiftState = needsApproval(varianceFen, differences, deps.thresholdFen)
    ? 'pending_approval'
    : 'closed';
  const day = await siteDay(deps.venues, trx, row.site_id, now);
  const changes = {
    state,
    closed_at: now,
    close_day: day,
    closed_by_id: actor.id,
    closed_by_username: actor.username,
    counted_cash_fen: input.countedCashFen,
    denominations_json: input.denominations ? JSON.stringify(compact(input.denominations)) : null,
    recorded_json: input.recorded ? JSON.stringify(compact(input.recorded)) : null,
    expected_cash_fen: expectedFen,
    variance_fen: varianceFen,
    threshold_fen: deps.thresholdFen,
    close_note: input.note || null,
    handover_to_cashier_id: toCashierId,
    updated_at: now,
  };
  if (!(await repo.transition(trx, id, 'open', changes))) throw conflict(row, action);
  if (toCashierId !== null)
    await recordEvent(trx, row, {
      kind: 'handover',
      method: 'cash',
      amountFen: input.countedCashFen,
      reason: null,
      actor,
      day,
      now,
    });
  await recordAudit(
    trx,
    {
      actor: context.actor,
      action: `shift.${action}`,
      entity: 'till_shift',
      entityId: id,
      after: {
        state,
        countedCashFen: input.countedCashFen,
        expectedCashFen: expectedFen,
        varianceFen,
        thresholdFen: deps.thresholdFen,
        recorded: input.recorded ? compact(input.recorded) : null,
        ...(toCashierId !== null && { toCashierId }),
      },
      ip: context.ip,
    },
    now,
  );
  return shiftReport({
    row: { ...row, ...changes },
    takenOverBy: null,
    events: await repo.eventsOf(trx, id),
    journal,
    hidden: false,
  });
}

/** The cashier taking over: another active operator who may work a till. */
async function requireSuccessor(trx: Connection, row: repo.ShiftRow, toCashierId: string): Promise<void> {
  if (toCashierId === row.cashier_id)
    throw handoverInvalid({ 'zh-CN': '不能交班给自己', en: 'a cashier cannot hand over to themselves' });
  const operator = await findOperatorById(trx, toCashierId);
  const allowed =
    operator?.active === 1 &&
    (await rolesAndPermissionsOf(trx, toCashierId)).permissions.includes('shifts.operate');
  if (!allowed)
    throw handoverInvalid({
      'zh-CN': '接班人不是可开班的在职收银员',
      en: 'the cashier named is not an active operator who may open a shift',
    });
}
