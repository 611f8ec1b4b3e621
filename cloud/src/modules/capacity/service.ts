/**
 * Capacity (限量 / 分时预约): a daily cap per site (sites.daily_capacity) and timed-entry slots with their own caps.
 * Every channel that sells calls `consume` inside its sale transaction and `release` inside its refund/cancel
 * transaction; both are conditional updates, so concurrent sales can never push `sold` past a cap. A slot sale counts
 * against the slot and the day. When a day has slots, a sale for that day must name one.
 */

import { randomUUID } from 'node:crypto';
import { isUniqueViolation } from '../../db/constraint-errors.js';
import type { Connection } from '../../db/scoped.js';
import { auditedTransaction, recordAudit } from '../../platform/audit/record.js';
import type { ChangeContext } from '../../platform/change-context.js';
import { AppError } from '../../platform/errors.js';
import type { Localized } from '../../platform/language.js';
import { ALL_SITES, assertSiteInScope, type SiteScope } from '../../platform/site-scope.js';
import { invalidInput, type RequestPart } from '../../platform/validation.js';
import type { VenuesService } from '../venues/service.js';
import { dayOfIsoDate, formatMinute, instantOf, isoDateOfDay, parseMinute } from './local-time.js';
import * as repo from './repo.js';
import {
  type Availability,
  type Calendar,
  type CreateSlots,
  MAX_CALENDAR_DAYS,
  type Slot,
} from './schemas.js';
import { type CapacityDb, capacityTables } from './tables.js';

const SLOT: Localized = { 'zh-CN': '时段', en: 'Time slot' };
const WHOLE_DAY: Localized = { 'zh-CN': '全天', en: 'the day' };

export interface CapacityRequest {
  readonly siteId: string;
  /** Venue-local visit date, YYYY-MM-DD. */
  readonly visitDate: string;
  /** Its day number, when the caller has parsed the date already (a sale parses its request once). */
  readonly visitDay?: number;
  readonly slotId?: string | null | undefined;
  readonly persons: number;
}

/** What a consumed request was counted against: the ticket needs the slot's times. */
export interface CapacityClaim {
  readonly day: number;
  readonly slot: { readonly id: string; readonly startAt: number; readonly endAt: number } | null;
}

function slotOf(row: repo.SlotRow): Slot {
  return {
    id: row.id,
    siteId: row.site_id,
    date: isoDateOfDay(row.day),
    start: formatMinute(row.start_minute),
    end: formatMinute(row.end_minute),
    startAt: row.start_at,
    endAt: row.end_at,
    cap: row.cap,
    sold: row.sold,
    remaining: row.cap - row.sold,
  };
}

function slotScope(row: repo.SlotRow): Localized {
  const range = `${formatMinute(row.start_minute)}–${formatMinute(row.end_minute)}`;
  return { 'zh-CN': `时段 ${range}`, en: `slot ${range}` };
}

/** The day of an ISO date from the request: `field` of `part` names it in the refusal. */
function dayOrFail(date: string, field: string, part: RequestPart): number {
  const day = dayOfIsoDate(date);
  if (day !== undefined) return day;
  throw invalidInput(part, [
    { path: [field], code: 'invalid_format', messages: { 'zh-CN': '日期无效', en: 'invalid date' } },
  ]);
}

function invalidQuery(field: string, messages: Localized): AppError {
  return invalidInput('querystring', [{ path: [field], code: 'custom', messages }]);
}

export class CapacityService {
  private readonly db: CapacityDb;

  constructor(
    db: Connection,
    private readonly venues: VenuesService,
    private readonly now: () => number = Date.now,
  ) {
    this.db = capacityTables(db);
  }

  /**
   * Takes `persons` places for the visit date (and slot) inside the caller's transaction, or throws
   * CAPACITY_EXHAUSTED without taking any (the caller's transaction rolls back whatever it already did).
   */
  async consume(trx: Connection, request: CapacityRequest): Promise<CapacityClaim> {
    const day = request.visitDay ?? dayOrFail(request.visitDate, 'visitDate', 'body');
    let slot: CapacityClaim['slot'] = null;
    if (request.slotId) {
      const taken = await repo.consumeSlot(
        trx,
        { id: request.slotId, siteId: request.siteId, day },
        request.persons,
      );
      if (!taken) {
        const current = await this.slotFor(trx, request.siteId, day, request.slotId, request.visitDate);
        throw new AppError('CAPACITY_EXHAUSTED', {
          date: request.visitDate,
          scope: slotScope(current),
          remaining: current.cap - current.sold,
          requested: request.persons,
        });
      }
      slot = { id: request.slotId, startAt: taken.start_at, endAt: taken.end_at };
    } else if (await repo.hasSlots(trx, request.siteId, day)) {
      throw invalidInput('body', [
        {
          path: ['slotId'],
          code: 'custom',
          messages: {
            'zh-CN': `${request.visitDate} 实行分时预约，请选择时段`,
            en: `${request.visitDate} has timed-entry slots: choose one`,
          },
        },
      ]);
    }
    // The day's row exists after its first sale, so try the update first and create the row only when it is missing.
    let taken = await repo.consumeDay(trx, request.siteId, day, request.persons);
    if (!taken && !(await repo.dayExists(trx, request.siteId, day))) {
      await repo.ensureDay(trx, request.siteId, day);
      taken = await repo.consumeDay(trx, request.siteId, day, request.persons);
    }
    if (!taken) {
      const site = await this.venues.getSite(request.siteId, trx);
      const sold = await repo.daySold(trx, request.siteId, day);
      throw new AppError('CAPACITY_EXHAUSTED', {
        date: request.visitDate,
        scope: WHOLE_DAY,
        remaining: Math.max(0, (site.dailyCapacity ?? 0) - sold),
        requested: request.persons,
      });
    }
    return { day, slot };
  }

  /** Gives back places taken by `consume` (refund, cancellation) inside the caller's transaction. */
  async release(trx: Connection, request: CapacityRequest): Promise<void> {
    const day = request.visitDay ?? dayOrFail(request.visitDate, 'visitDate', 'body');
    if (request.slotId) await repo.releaseSlot(trx, request.slotId, request.persons);
    await repo.releaseDay(trx, request.siteId, day, request.persons);
  }

  /** A site out of `scope` is not found. */
  async availability(siteId: string, date: string, scope: SiteScope = ALL_SITES): Promise<Availability> {
    const site = await this.venues.getSite(siteId, undefined, scope);
    const day = dayOrFail(date, 'date', 'querystring');
    const [sold, slots] = await Promise.all([
      repo.daySold(this.db, siteId, day),
      repo.listSlots(this.db, siteId, day),
    ]);
    const cap = site.dailyCapacity;
    return {
      siteId,
      date,
      daily: { cap, sold, remaining: cap === null ? null : Math.max(0, cap - sold) },
      slots: slots.map(slotOf),
    };
  }

  /**
   * The calendar of a date range (at most MAX_CALENDAR_DAYS): every date with its daily cap, sold and left, and its
   * slots in total, from two queries whatever the range.
   */
  async calendar(siteId: string, from: string, to: string, scope: SiteScope = ALL_SITES): Promise<Calendar> {
    const site = await this.venues.getSite(siteId, undefined, scope);
    const fromDay = dayOfIsoDate(from);
    if (fromDay === undefined) throw invalidQuery('from', { 'zh-CN': '日期无效', en: 'invalid date' });
    const toDay = dayOfIsoDate(to);
    if (toDay === undefined) throw invalidQuery('to', { 'zh-CN': '日期无效', en: 'invalid date' });
    if (toDay < fromDay || toDay - fromDay >= MAX_CALENDAR_DAYS)
      throw invalidQuery('to', {
        'zh-CN': `结束日期不能早于开始日期，最多 ${MAX_CALENDAR_DAYS} 天`,
        en: `to must not be before from, at most ${MAX_CALENDAR_DAYS} days`,
      });
    const [sold, slots] = await Promise.all([
      repo.soldByDay(this.db, siteId, fromDay, toDay),
      repo.slotTotalsByDay(this.db, siteId, fromDay, toDay),
    ]);
    const soldOn = new Map(sold.map((row) => [row.day, row.sold]));
    const slotsOn = new Map(slots.map((row) => [row.day, row]));
    const cap = site.dailyCapacity;
    const days: Calendar['days'] = [];
    for (let day = fromDay; day <= toDay; day++) {
      const daySold = soldOn.get(day) ?? 0;
      const daySlots = slotsOn.get(day);
      days.push({
        date: isoDateOfDay(day),
        cap,
        sold: daySold,
        remaining: cap === null ? null : Math.max(0, cap - daySold),
        slots: {
          count: daySlots?.count ?? 0,
          cap: daySlots?.cap ?? 0,
          sold: daySlots?.sold ?? 0,
        },
      });
    }
    return { siteId, from, to, days };
  }

  async getSlot(slotId: string, scope: SiteScope = ALL_SITES): Promise<Slot> {
    const row = await repo.findSlot(this.db, slotId, scope);
    if (!row) throw new AppError('NOT_FOUND', { resource: SLOT, id: slotId });
    return slotOf(row);
  }

  /** Adds slots to a day; a start already taken that day is refused (SLOT_TAKEN) and nothing is written. */
  createSlots(input: CreateSlots, context: ChangeContext): Promise<Slot[]> {
    const day = dayOrFail(input.date, 'date', 'body');
    return auditedTransaction(this.db, async (trx) => {
      assertSiteInScope(context.sites ?? ALL_SITES, input.siteId);
      const site = await this.venues.getSite(input.siteId, trx);
      const existing = await repo.listSlots(trx, input.siteId, day);
      const now = this.now();
      const rows: repo.SlotRow[] = input.slots.map((slot) => {
        const start = parseMinute(slot.start)!;
        const end = parseMinute(slot.end)!;
        return {
          id: randomUUID(),
          site_id: input.siteId,
          day,
          start_minute: start,
          end_minute: end,
          start_at: instantOf(day, start, site.timezone),
          end_at: instantOf(day, end, site.timezone),
          cap: slot.cap,
          sold: 0,
          created_at: now,
          updated_at: now,
        };
      });
      for (const row of rows) {
        if (
          existing.some((other) => row.start_minute < other.end_minute && other.start_minute < row.end_minute)
        )
          throw new AppError('SLOT_TAKEN', {
            siteId: input.siteId,
            date: input.date,
            start: formatMinute(row.start_minute),
          });
      }
      try {
        await repo.insertSlots(trx, rows);
      } catch (error) {
        if (isUniqueViolation(error))
          throw new AppError(
            'SLOT_TAKEN',
            { siteId: input.siteId, date: input.date, start: input.slots[0]!.start },
            { cause: error },
          );
        throw error;
      }
      const slots = rows.map(slotOf);
      await recordAudit(trx, {
        actor: context.actor,
        ip: context.ip,
        action: 'capacity_slot.create',
        entity: 'site',
        entityId: input.siteId,
        after: slots,
      });
      return slots;
    });
  }

  /** Changes a slot's cap; never below what is already sold (CAPACITY_BELOW_SOLD). */
  updateSlotCap(slotId: string, cap: number, context: ChangeContext): Promise<Slot> {
    return auditedTransaction(this.db, async (trx) => {
      const before = await repo.findSlot(trx, slotId, context.sites);
      if (!before) throw new AppError('NOT_FOUND', { resource: SLOT, id: slotId });
      if (!(await repo.updateSlotCap(trx, slotId, cap, this.now())))
        throw new AppError('CAPACITY_BELOW_SOLD', { sold: before.sold });
      const after = slotOf((await repo.findSlot(trx, slotId))!);
      await recordAudit(trx, {
        actor: context.actor,
        ip: context.ip,
        action: 'capacity_slot.update',
        entity: 'capacity_slot',
        entityId: slotId,
        before: slotOf(before),
        after,
      });
      return after;
    });
  }

  private async slotFor(
    trx: Connection,
    siteId: string,
    day: number,
    slotId: string,
    date: string,
  ): Promise<repo.SlotRow> {
    const slot = await repo.findSlot(trx, slotId);
    if (!slot) throw new AppError('NOT_FOUND', { resource: SLOT, id: slotId });
    if (slot.site_id !== siteId || slot.day !== day)
      throw new AppError('SLOT_MISMATCH', { slotId, siteId, date });
    return slot;
  }
}
