/**
 * When a ticket of a type is valid, from its version's validity definition. Boundaries are venue-local midnights (or
 * the sale minute), as instants in whole minutes — the QR code counts minutes.
 *
 * - `visit_date`: from the start of the visit date for `length` days / calendar months.
 * - `sale`: from the minute of the sale until the end of the local day `length` days / months after the sale date.
 * - `first_use`: the credential cannot know its first use in advance, so it is issued for `length` counted from the
 *   visit date (the cashier picks the first day of use as the visit date); a module that tracks first use may narrow
 *   the window later through TicketsService.change.
 *
 * Every window ends up in a signed QR credential, whose times stop at the protocol's QR_TIME_MAX_MS (u24 minutes from
 * 2024-01-01, 2055-11). That bound is read from the protocol, never repeated here: a type whose tickets would run past
 * it is refused when it is defined (credentialLimitIssue), and a sale that would still run past it (the type was
 * defined years earlier) is refused cleanly (issuableWindow) instead of failing inside the encoder.
 */
import { QR_TIME_MAX_MS } from '@scenic/protocol';
import { AppError } from '../../platform/errors.js';
import { daysInMonth } from '../../platform/identity/civil-date.js';
import type { FieldIssue } from '../../platform/validation.js';
import { clockOf, formatMinute, instantOf, isoDateOfDay } from '../capacity/local-time.js';
import type { Validity } from './schemas.js';

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

/** How far ahead a ticket is sold (window sales, upgrades): today and the next 365 venue-local days. */
export const MAX_ADVANCE_DAYS = 365;

function addLength(day: number, length: Validity['length']): number {
  if (length.unit === 'day') return day + length.count;
  const date = new Date(day * DAY_MS);
  const months = date.getUTCFullYear() * 12 + date.getUTCMonth() + length.count;
  const year = Math.floor(months / 12);
  const month = (months % 12) + 1;
  const dayOfMonth = Math.min(date.getUTCDate(), daysInMonth(year, month));
  return Math.floor(Date.UTC(year, month - 1, dayOfMonth) / DAY_MS);
}

function wholeMinute(ms: number): number {
  return Math.floor(ms / MINUTE_MS) * MINUTE_MS;
}

export function validityWindow(
  validity: Validity,
  visitDay: number,
  soldAt: number,
  timeZone: string,
): { validFrom: number; validTo: number } {
  if (validity.from === 'sale') {
    const saleDay = clockOf(timeZone).dayNumber(soldAt);
    return {
      validFrom: wholeMinute(soldAt),
      validTo: wholeMinute(instantOf(addLength(saleDay, validity.length), 0, timeZone)),
    };
  }
  return {
    validFrom: wholeMinute(instantOf(visitDay, 0, timeZone)),
    validTo: wholeMinute(instantOf(addLength(visitDay, validity.length), 0, timeZone)),
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
  const lastVisitDay = clockOf(timeZone).dayNumber(now) + MAX_ADVANCE_DAYS;
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
): { validFrom: number; validTo: number } {
  const window = validityWindow(type.validity, visitDay, soldAt, timeZone);
  if (window.validTo > QR_TIME_MAX_MS)
    throw new AppError('VALIDITY_BEYOND_CREDENTIAL', {
      typeId: type.typeId,
      end: localTime(window.validTo, timeZone),
      latest: localTime(QR_TIME_MAX_MS, timeZone),
    });
  return window;
}
