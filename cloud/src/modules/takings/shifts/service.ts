/**
 * Cashier shifts (交接班 / 营业员日结): a cashier opens a till at a window with a float (备用金), takes money (the
 * takings journal files it under the open shift, resolver.ts), drops cash to the safe (上缴) and pays out (支出),
 * then closes with the till counted — or hands over, closing with the count and leaving the counted cash to the
 * next cashier as float. The close freezes the expected cash and the variance (report.ts); above the threshold
 * (`SHIFT_VARIANCE_APPROVAL_FEN`) the shift waits for a supervisor (`shifts.approve`), otherwise it is closed. A
 * closed shift never changes: a correction is an adjustment, its own row, counted on the day it was made.
 *
 * Every change is one audited transaction that changes the shift only from the state it was read in (a conditional
 * UPDATE), so of two parallel closes exactly one wins and the other answers SHIFT_STATE_CONFLICT; one open shift per
 * cashier and window is the database's partial unique index, so of two parallel opens exactly one inserts.
 *
 * Who: a shift is worked by its own cashier (`shifts.operate`); a supervisor (`shifts.approve`) may also close it or
 * record its drops (a cashier who went home), approves variances and adjusts closed shifts — never their own. A
 * reader without `shifts.approve` sees only their own shifts, and a blind shift's expected figures stay hidden from
 * its cashier until it is closed.
 */
import type { Kysely, Transaction } from 'kysely';
import type { ShiftPolicy } from '../../../config.js';
import { idempotentWrite, requestHashOf } from '../../../db/idempotency.js';
import type { Database } from '../../../db/schema.js';
import { auditedTransaction, recordAudit } from '../../../platform/audit/record.js';
import { activeOperatorsWith } from '../../../platform/auth/repo.js';
import type { OperatorChoice } from '../../../platform/auth/schemas.js';
import type { ChangeContext } from '../../../platform/change-context.js';
import { AppError } from '../../../platform/errors.js';
import type { IdempotentResult } from '../../../platform/idempotent-reply.js';
import type { Language } from '../../../platform/language.js';
import { ALL_SITES, assertSiteInScope, type SiteScope } from '../../../platform/site-scope.js';
import { dayOfIsoDate } from '../../capacity/local-time.js';
import type { VenuesService } from '../../venues/service.js';
import { namesOf } from '../names.js';
import {
  conflict,
  recordEvent,
  SHIFT,
  type ShiftActor,
  siteDay,
  visibleShift,
  workedShift,
} from './changes.js';
import { closeShift } from './close.js';
import { shiftTable } from './export-table.js';
import { journalOfShift } from './journal.js';
import { openShift } from './open.js';
import * as repo from './repo.js';
import { denominationsSum, eventView, shiftReport, shiftView } from './report.js';
import type {
  Adjustment,
  Approve,
  CloseShift,
  Handover,
  ListShiftsQuery,
  Movement,
  OpenShift,
  Shift,
  ShiftEvent,
  ShiftReport,
} from './schemas.js';

export type { ShiftActor } from './changes.js';

type Db = Kysely<Database>;

export interface ShiftsDependencies {
  readonly venues: VenuesService;
  readonly policy: ShiftPolicy;
}

export class ShiftsService {
  constructor(
    private readonly db: Db,
    private readonly deps: ShiftsDependencies,
    private readonly now: () => number = Date.now,
  ) {}

  /** Whether counts at this window are blind (config SHIFT_BLIND_COUNT). */
  blindAt(siteId: string, windowId: string): boolean {
    const { blindCount } = this.deps.policy;
    return blindCount.all || blindCount.windows.includes(`${siteId}/${windowId}`);
  }

  /** Opens a shift for the signed-in cashier, with a float or by taking over a handed-over till (open.ts). */
  open(input: OpenShift, actor: ShiftActor, context: ChangeContext): Promise<Shift> {
    const scope = context.sites ?? ALL_SITES;
    assertSiteInScope(scope, input.siteId);
    return auditedTransaction(this.db, (trx) =>
      openShift(
        trx,
        { venues: this.deps.venues, blindAt: (siteId, windowId) => this.blindAt(siteId, windowId) },
        { input, actor, context, scope, now: this.now() },
      ),
    );
  }

  /**
   * Who the caller may hand their till over to: active operators who may work a till, other than the caller, at most
   * 50, by username — the same test the handover applies (close.ts).
   */
  async successors(filter: { q?: string | undefined }, actor: ShiftActor): Promise<OperatorChoice[]> {
    const rows = await activeOperatorsWith(this.db, 'shifts.operate', { q: filter.q, limit: 51 });
    return rows
      .filter((row) => row.id !== actor.id)
      .slice(0, 50)
      .map((row) => ({ id: row.id, username: row.username, displayName: row.display_name }));
  }

  drop(
    id: string,
    input: Movement,
    actor: ShiftActor,
    context: ChangeContext,
    idempotencyKey?: string,
  ): Promise<IdempotentResult<ShiftEvent>> {
    return this.movement('drop', id, input, actor, context, idempotencyKey);
  }

  payout(
    id: string,
    input: Movement,
    actor: ShiftActor,
    context: ChangeContext,
    idempotencyKey?: string,
  ): Promise<IdempotentResult<ShiftEvent>> {
    return this.movement('payout', id, input, actor, context, idempotencyKey);
  }

  /**
   * Writes a drop, payout or adjustment — once per Idempotency-Key when the request carries one (db/idempotency.ts:
   * a repeat answers the event the key already made, a key reused for another request is refused).
   */
  private async once(
    actor: ShiftActor,
    idempotencyKey: string | undefined,
    request: unknown,
    write: (trx: Transaction<Database>, idempotency?: { key: string; hash: string }) => Promise<ShiftEvent>,
  ): Promise<IdempotentResult<ShiftEvent>> {
    if (idempotencyKey === undefined)
      return { value: await auditedTransaction(this.db, (trx) => write(trx)), replayed: false };
    const idempotency = { key: idempotencyKey, hash: requestHashOf(request) };
    const outcome = await idempotentWrite(
      this.db,
      { lookup: repo.eventKeyLookup, cashierId: actor.id, ...idempotency },
      async (trx) => (await write(trx, idempotency)).id,
    );
    return { value: eventView(await repo.eventById(this.db, outcome.id)), replayed: outcome.replayed };
  }

  private movement(
    kind: 'drop' | 'payout',
    id: string,
    input: Movement,
    actor: ShiftActor,
    context: ChangeContext,
    idempotencyKey: string | undefined,
  ): Promise<IdempotentResult<ShiftEvent>> {
    return this.once(actor, idempotencyKey, { kind, shiftId: id, ...input }, async (trx, idempotency) => {
      const now = this.now();
      const row = await workedShift(trx, id, actor, context.sites ?? ALL_SITES);
      if (row.state !== 'open' || !(await repo.touchInState(trx, id, 'open', now))) throw conflict(row, kind);
      const day = await siteDay(this.deps.venues, trx, row.site_id, now);
      const event = await recordEvent(trx, row, {
        kind,
        method: 'cash',
        amountFen: input.amountFen,
        reason: input.reason,
        actor,
        day,
        now,
        idempotency,
      });
      await recordAudit(
        trx,
        {
          actor: context.actor,
          action: `shift.${kind}`,
          entity: 'till_shift',
          entityId: id,
          after: { amountFen: input.amountFen, reason: input.reason, eventId: event.id },
          ip: context.ip,
        },
        now,
      );
      return event;
    });
  }

  close(id: string, input: CloseShift, actor: ShiftActor, context: ChangeContext): Promise<ShiftReport> {
    return this.closeWith(id, input, null, actor, context);
  }

  /** Closes with the count and leaves the counted cash in the till for `toCashierId`, who opens with it. */
  handover(id: string, input: Handover, actor: ShiftActor, context: ChangeContext): Promise<ShiftReport> {
    const { toCashierId, ...count } = input;
    return this.closeWith(id, count, toCashierId, actor, context);
  }

  private closeWith(
    id: string,
    input: CloseShift,
    toCashierId: string | null,
    actor: ShiftActor,
    context: ChangeContext,
  ): Promise<ShiftReport> {
    if (input.denominations) {
      const sum = denominationsSum(input.denominations);
      if (sum !== input.countedCashFen)
        throw new AppError('SHIFT_COUNT_MISMATCH', { sum, counted: input.countedCashFen });
    }
    return auditedTransaction(this.db, (trx) =>
      closeShift(
        trx,
        { venues: this.deps.venues, thresholdFen: this.deps.policy.varianceApprovalFen },
        {
          shiftId: id,
          input,
          toCashierId,
          actor,
          context,
          scope: context.sites ?? ALL_SITES,
          now: this.now(),
        },
      ),
    );
  }

  /** Approves a variance above the threshold: the shift is closed from then on. */
  approve(id: string, input: Approve, actor: ShiftActor, context: ChangeContext): Promise<Shift> {
    return auditedTransaction(this.db, async (trx) => {
      const now = this.now();
      const row = await visibleShift(trx, id, context.sites ?? ALL_SITES);
      if (row.cashier_id === actor.id) throw new AppError('SHIFT_SELF_APPROVAL', { shiftId: id });
      const changes = {
        state: 'closed' as const,
        approved_at: now,
        approved_by_id: actor.id,
        approved_by_username: actor.username,
        approval_note: input.note,
        updated_at: now,
      };
      if (row.state !== 'pending_approval' || !(await repo.transition(trx, id, 'pending_approval', changes)))
        throw conflict(row, 'approve');
      await recordAudit(
        trx,
        {
          actor: context.actor,
          action: 'shift.approve',
          entity: 'till_shift',
          entityId: id,
          after: {
            note: input.note,
            varianceFen: row.variance_fen === null ? null : Number(row.variance_fen),
          },
          ip: context.ip,
        },
        now,
      );
      return shiftView({ ...row, ...changes }, (await repo.successorOf(trx, id)) ?? null);
    });
  }

  /**
   * Corrects a closed shift after the fact: a row of its own, counted on the day it is made (the day settlement of
   * that day, or the next one when that day is already closed), never rewriting the shift or a closed day.
   */
  adjust(
    id: string,
    input: Adjustment,
    actor: ShiftActor,
    context: ChangeContext,
    idempotencyKey?: string,
  ): Promise<IdempotentResult<ShiftEvent>> {
    const request = { kind: 'adjustment', shiftId: id, ...input };
    return this.once(actor, idempotencyKey, request, async (trx, idempotency) => {
      const now = this.now();
      const row = await visibleShift(trx, id, context.sites ?? ALL_SITES);
      if (row.cashier_id === actor.id) throw new AppError('SHIFT_SELF_APPROVAL', { shiftId: id });
      // Closed is final (nothing moves a shift out of it), so the shift's row is read, never written.
      if (row.state !== 'closed') throw conflict(row, 'adjust');
      const day = await siteDay(this.deps.venues, trx, row.site_id, now);
      const event = await recordEvent(trx, row, {
        kind: 'adjustment',
        method: input.method,
        amountFen: input.amountFen,
        reason: input.reason,
        actor,
        day,
        now,
        idempotency,
      });
      await recordAudit(
        trx,
        {
          actor: context.actor,
          action: 'shift.adjust',
          entity: 'till_shift',
          entityId: id,
          after: {
            method: input.method,
            amountFen: input.amountFen,
            reason: input.reason,
            eventId: event.id,
          },
          ip: context.ip,
        },
        now,
      );
      return event;
    });
  }

  async get(id: string, viewer: ShiftActor, scope: SiteScope = ALL_SITES): Promise<Shift> {
    const row = await this.readable(id, viewer, scope);
    const view = shiftView(row, (await repo.successorOf(this.db, id)) ?? null);
    return view;
  }

  async report(id: string, viewer: ShiftActor, scope: SiteScope = ALL_SITES): Promise<ShiftReport> {
    const row = await this.readable(id, viewer, scope);
    return shiftReport({
      row,
      takenOverBy: (await repo.successorOf(this.db, id)) ?? null,
      events: await repo.eventsOf(this.db, id),
      journal: await journalOfShift(this.db, id),
      hidden: row.blind === 1 && row.state === 'open' && !viewer.supervisor,
    });
  }

  /** The shift report as an export table in one language (export-table.ts), read under the report's rules. */
  async reportExport(id: string, viewer: ShiftActor, language: Language, scope: SiteScope = ALL_SITES) {
    const report = await this.report(id, viewer, scope);
    const site = await this.deps.venues.getSite(report.shift.siteId, this.db, scope);
    const names = await namesOf(this.db, {
      windows: [{ siteId: report.shift.siteId, windowId: report.shift.windowId }],
      types: report.ticketTypes.map((t) => t.typeId),
    });
    return shiftTable(site, report, names, language);
  }

  async list(
    query: ListShiftsQuery,
    viewer: ShiftActor,
    scope: SiteScope = ALL_SITES,
  ): Promise<{ shifts: Shift[]; total: number }> {
    const { rows, total } = await repo.listShifts(
      this.db,
      {
        ...(query.siteId !== undefined && { siteId: query.siteId }),
        ...(query.windowId !== undefined && { windowId: query.windowId }),
        // Without shifts.approve, one's own shifts only.
        ...(viewer.supervisor
          ? query.cashierId !== undefined && { cashierId: query.cashierId }
          : { cashierId: viewer.id }),
        ...(query.state !== undefined && { state: query.state }),
        ...(query.from !== undefined && { fromDay: dayOfIsoDate(query.from)! }),
        ...(query.to !== undefined && { toDay: dayOfIsoDate(query.to)! }),
        limit: query.limit,
        offset: query.offset,
      },
      scope,
    );
    return { shifts: rows.map((row) => shiftView(row)), total };
  }

  /** The caller's open shifts, and the tills handed over to them that they have not taken over yet. */
  async mine(
    viewer: ShiftActor,
    scope: SiteScope = ALL_SITES,
  ): Promise<{ open: Shift[]; handoversToMe: Shift[] }> {
    return {
      open: (await repo.openShiftsOf(this.db, viewer.id, scope)).map((row) => shiftView(row)),
      handoversToMe: (await repo.handoversTo(this.db, viewer.id, scope)).map((row) => shiftView(row)),
    };
  }

  /** A shift the viewer may read: in scope, and their own unless they supervise. */
  private async readable(id: string, viewer: ShiftActor, scope: SiteScope): Promise<repo.ShiftRow> {
    const row = await visibleShift(this.db, id, scope);
    if (!viewer.supervisor && row.cashier_id !== viewer.id)
      throw new AppError('NOT_FOUND', { resource: SHIFT, id });
    return row;
  }
}
