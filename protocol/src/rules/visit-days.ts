/**
 * Visit days (任选 N 天): a credential usable on at most N distinct venue-local days within its validity. Which days
 * it has used comes from its record (`visitDaysUsed`, and `lastVisitAt` naming the latest of them) plus the entries in
 * `recent` on later days — the gate's own entries not yet synced, the cloud's open reservations. Entries on or before
 * the record's latest visit day are already counted in the record, so they are not counted again.
 */
import type { CredentialRecord, PassageRecord } from '../model.js';
import type { VenueClock } from './venue-clock.js';

export interface VisitDays {
  /** Distinct visit days used before today. */
  readonly usedBefore: number;
  /** Whether today already is a visit day (then entering again uses no further day). */
  readonly today: boolean;
}

export function visitDaysOf(
  record: CredentialRecord,
  recent: readonly PassageRecord[],
  clock: VenueClock,
  today: number,
): VisitDays {
  const lastDay =
    record.lastVisitAt === undefined ? Number.NEGATIVE_INFINITY : clock.dayNumber(record.lastVisitAt);
  let usedBefore = (record.visitDaysUsed ?? 0) - (lastDay === today ? 1 : 0);
  let isToday = lastDay === today;
  const later: number[] = [];
  for (const passage of recent) {
    if (passage.direction !== 'in') continue;
    const day = clock.dayNumber(passage.at);
    if (!(day > lastDay)) continue;
    if (day === today) isToday = true;
    else if (!later.includes(day)) later.push(day);
  }
  usedBefore += later.length;
  return { usedBefore: Math.max(0, usedBefore), today: isToday };
}
