/**
 * When a ticket of a type is valid, from its version's validity definition. Boundaries are venue-local midnights (or
 * the sale minute), as instants in whole minutes — the QR code counts minutes.
 *
 * - `visit_date`: from the start of the visit date for `length` days / calendar months.
 * - `sale`: from the minute of the sale until the end of the local day `length` days / months after the sale date.
 * - `first_use`: valid from the start of the visit date (the first day it may be used) until its first entry
 *   activates it, at the latest before `activateWithinDays` days from the visit date (default 365; the visit date is
 *   day 1) and no later than the local date `activateBy`, whichever comes first. The first entry then makes it
 *   valid for `length` counted from the local day of that entry (protocol rules/first-use.ts: the one definition
 *   the gates and the cloud both decide with). The ticket is issued with that activation and, as its window, the
 *   envelope: from the visit date until the end for a first entry in the last minute it could be activated — what
 *   its signed QR code carries.
 *
 * Every window ends up in a signed QR credential, whose times stop at the protocol's QR_TIME_MAX_MS (u24 minutes from
 * 2024-01-01, 2055-11). That bound is read from the protocol, never repeated here: a type whose tickets would run past
 * it is refused when it is defined (credentialLimitIssue), and a sale that would still run past it (the type was
 * defined years earlier) is refused cleanly (issuableWindow) instead of failing inside the encoder.
 */
import { activationEnd, addPeriod, localMidnight, QR_TIME_MAX_MS } from '@scenic/protocol';
import { AppError } from '../../platform/errors.js';
import type { FieldIssue } from '../../platform/validation.js';
import { clockOf, dayOfIsoDate, formatMinute, instantOf, isoDateOfDay } from '../capacity/local-time.js';
import { DEFAULT_ACTIVATION_DAYS, type Validity } from './schemas.js';

const MINUTE_MS = 60_000;

/** How far ahead a ticket is sold (window sales, upgrades): today and the next 365 venue-local days. */
export const MAX_ADVANCE_DAYS = 365;

function addLength(day: number, length: Validity['length']): number {
  return addPeriod(day, length.unit, length.count);
}

function wholeMinute(ms: number): number {
  return Math.floor(ms / MINUTE_MS) * MINUTE_MS;
}

/** A ticket's window, and for a first-use ticket its activation (protocol CredentialRecord.activation). */
export interface IssueWindow {
  readonly validFrom: number;
  readonly validTo: number;
  readonly activation: { readonly by: number; readonly unit: 'day' | 'month'; readonly count: number } | null;
}

export function validityWindow(
  validity: Validity,
  visitDay: number,
  soldAt: number,
  timeZone: string,
): IssueWindow {
  if (validity.from === 'sale') {
    const saleDay = clockOf(timeZone).dayNumber(soldAt);
    return {
      validFrom: wholeMinute(soldAt),
      validTo: wholeMinute(instantOf(addLength(saleDay, validity.length), 0, timeZone)),
      activation: null,
    };
  }
  const validFrom = wholeMinute(instantOf(visitDay, 0, timeZone));
  if (validity.from === 'first_use') {
    const clock = clockOf(timeZone);
    let lastDay = visitDay + (validity.activateWithinDays ?? DEFAULT_ACTIVATION_DAYS);
    const byDate = validity.activateBy === undefined ? undefined : dayOfIsoDate(validity.activateBy);
    if (byDate !== undefined) lastDay = Math.min(lastDay, byDate + 1);
    const by = wholeMinute(localMidnight(clock, lastDay));
    const { unit, count } = validity.length;
    // The envelope: a first entry in the last minute before `by` is valid the longest.
    const validTo = wholeMinute(activationEnd(Math.max(validFrom, by - MINUTE_MS), { unit, count }, clock));
    return { validFrom, validTo, activation: { by, unit, count } };
  }
  return {
    validFrom,
    validTo: wholeMinute(instantOf(addLength(visitDay, validity.length), 0, timeZone)),
    activation: null,
  };
}

/** `YYYY-MM-DD HH:MM` in the venue's zone, as staff read times. */
function localTime(ms: number, timeZone: string): string {
  const { dayNumber, minuteOfDay } = clockOf(timeZone).localParts(ms);
  return `${isoDateOfDay(dayNumber)} ${formatMinute(minuteOfDay)}`;
}

/**
 * Why `validity` cannot be defined at `now`, as the field issue of `validity.length`, or undefined when it can: the
 * latest ticket sellable today (sold now, or for the last visit date on sale) must still end within what a QR
 * credential can carry.
 */
export function credentialLimitIssue(
  validity: Validity,
  now: number,
  timeZone: string,
): FieldIssue | undefined {
  const today = clockOf(timeZone).dayNumber(now);
  if (validity.activateBy !== undefined && (dayOfIsoDate(validity.activateBy) ?? today) < today)
    return {
      path: ['validity', 'activateBy'],
      code: 'too_small',
      messages: {
        'zh-CN': `最晚激活日期 ${validity.activateBy} 已过，按此有效期的票已不能售出`,
        en: `the last activation date ${validity.activateBy} has passed: no ticket of this validity could be sold`,
      },
    };
  const lastVisitDay = today + MAX_ADVANCE_DAYS;
  const { validTo } = validityWindow(validity, lastVisitDay, now, timeZone);
  if (validTo <= QR_TIME_MAX_MS) return undefined;
  const latest = localTime(QR_TIME_MAX_MS, timeZone);
  const end = localTime(validTo, timeZone);
  return {
    path: ['validity', 'length'],
    code: 'too_big',
    messages: {
      'zh-CN': `有效期过长：二维码凭证最晚只能表示到 ${latest}（景区当地时间），按此有效期今天可售的票将有效至 ${end}`,
      en: `too long: a ticket credential can carry times up to ${latest} (site time), and with this validity a ticket sold today would be valid until ${end}`,
    },
  };
}

/** The validity window of a ticket about to be issued, refused when its credential could not carry it. */
export function issuableWindow(
  type: { readonly typeId: number; readonly validity: Validity },
  visitDay: number,
  soldAt: number,
  timeZone: string,
): IssueWindow {
  const window = validityWindow(type.validity, visitDay, soldAt, timeZone);
  if (window.activation !== null && !(window.activation.by > window.validFrom))
    throw new AppError('ACTIVATION_DEADLINE_PASSED', {
      typeId: type.typeId,
      latest: localTime(window.activation.by, timeZone),
      visitDate: isoDateOfDay(visitDay),
    });
  if (window.validTo > QR_TIME_MAX_MS)
    throw new AppError('VALIDITY_BEYOND_CREDENTIAL', {
      typeId: type.typeId,
      end: localTime(window.validTo, timeZone),
      latest: localTime(QR_TIME_MAX_MS, timeZone),
    });
  return window;
}
