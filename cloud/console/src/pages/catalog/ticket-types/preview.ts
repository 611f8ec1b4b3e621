/**
 * A ticket type's entry rules in one plain sentence, as a cashier would say them to a visitor: "首次入园后 30 天内有效，
 * 任选 3 天，每天不限次数" / "Valid for 30 days from first entry, any 3 days, unlimited entries per day". Pure (no
 * React, no i18next) so every combination is unit-tested in both languages; the editor shows it as the operator
 * types. The first sentence says how long and how often; the second, when and where (weekdays, hours, slots, zones,
 * passback); each clause appears only when the rule is set.
 */
import type { TicketTypeDefinition } from '../../../api/types';

export type PreviewLanguage = 'zh-CN' | 'en';
export type PreviewInput = Pick<TicketTypeDefinition, 'kind' | 'validity' | 'entries' | 'persons' | 'rules'>;

type Unit = 'day' | 'month';

const ZH_WEEKDAYS = ['一', '二', '三', '四', '五', '六', '日'];
const EN_WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

function hhmm(minute: number): string {
  return `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
}

const plural = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;

const zhLength = (count: number, unit: Unit) => (unit === 'day' ? `${count} 天` : `${count} 个月`);
const enLength = (count: number, unit: Unit) => plural(count, unit);

function zhDuration(seconds: number): string {
  if (seconds % 3600 === 0) return `${seconds / 3600} 小时`;
  if (seconds % 60 === 0) return `${seconds / 60} 分钟`;
  return `${seconds} 秒`;
}

function enDuration(seconds: number): string {
  if (seconds % 3600 === 0) return plural(seconds / 3600, 'hour');
  if (seconds % 60 === 0) return plural(seconds / 60, 'minute');
  return plural(seconds, 'second');
}

/** Whether the type can be used on more than one day (then the per-day rule is worth saying). */
function multiDay(input: PreviewInput): boolean {
  const { length } = input.validity;
  return length.unit === 'month' || length.count > 1;
}

function zhMain(input: PreviewInput): string[] {
  const { validity, entries, rules } = input;
  const length = zhLength(validity.length.count, validity.length.unit);
  const clauses: string[] = [];
  if (validity.from === 'first_use') {
    clauses.push(`首次入园后 ${length}内有效`);
    if (validity.activateBy) clauses.push(`须在 ${validity.activateBy} 前（含当日）首次入园`);
    if (validity.activateWithinDays) clauses.push(`须在游玩日起 ${validity.activateWithinDays} 天内首次入园`);
  } else if (validity.from === 'sale') clauses.push(`自售出起 ${length}内有效`);
  else if (validity.length.unit === 'day' && validity.length.count === 1) clauses.push('仅限游玩日当天有效');
  else clauses.push(`自游玩日起 ${length}内有效`);
  if (rules.visitDays !== undefined) clauses.push(`任选 ${rules.visitDays} 天`);
  if (entries !== null) clauses.push(entries === 1 ? '限入园 1 次' : `共可入园 ${entries} 次`);
  if (rules.entriesPerDay !== null) clauses.push(`每天最多 ${rules.entriesPerDay} 次`);
  else if (entries !== 1 && (rules.visitDays !== undefined || multiDay(input))) clauses.push('每天不限次数');
  if (rules.reentry)
    clauses.push(
      rules.reentry.until === null
        ? '当天可出园后再入园（须一进一出）'
        : `当天 ${hhmm(rules.reentry.until)} 前可出园后再入园（须一进一出）`,
    );
  if (input.kind === 'group') clauses.push(`每张 ${input.persons.min}–${input.persons.max} 人`);
  return clauses;
}

function enMain(input: PreviewInput): string[] {
  const { validity, entries, rules } = input;
  const length = enLength(validity.length.count, validity.length.unit);
  const clauses: string[] = [];
  if (validity.from === 'first_use') {
    clauses.push(`valid for ${length} from first entry`);
    if (validity.activateBy) clauses.push(`first entry by ${validity.activateBy}`);
    if (validity.activateWithinDays)
      clauses.push(`first entry within ${plural(validity.activateWithinDays, 'day')} of the visit date`);
  } else if (validity.from === 'sale') clauses.push(`valid for ${length} from the sale`);
  else if (validity.length.unit === 'day' && validity.length.count === 1)
    clauses.push('valid on the visit date only');
  else clauses.push(`valid for ${length} from the visit date`);
  if (rules.visitDays !== undefined) clauses.push(`any ${plural(rules.visitDays, 'day')}`);
  if (entries !== null) clauses.push(entries === 1 ? 'one entry' : `${entries} entries in all`);
  if (rules.entriesPerDay !== null)
    clauses.push(`up to ${plural(rules.entriesPerDay, 'entry', 'entries')} per day`);
  else if (entries !== 1 && (rules.visitDays !== undefined || multiDay(input)))
    clauses.push('unlimited entries per day');
  if (rules.reentry)
    clauses.push(
      rules.reentry.until === null
        ? 'may leave and come back in on the same day (in and out alternately)'
        : `may leave and come back in on the same day until ${hhmm(rules.reentry.until)} (in and out alternately)`,
    );
  if (input.kind === 'group') clauses.push(`${input.persons.min}–${input.persons.max} persons per ticket`);
  return clauses;
}

function weekdayIndexes(mask: number): number[] {
  return [0, 1, 2, 3, 4, 5, 6].filter((i) => (mask & (1 << i)) !== 0);
}

function zhConditions(rules: PreviewInput['rules']): string[] {
  const clauses: string[] = [];
  if (rules.weekdays !== 0x7f)
    clauses.push(
      `仅限周${weekdayIndexes(rules.weekdays)
        .map((i) => ZH_WEEKDAYS[i])
        .join('、周')}`,
    );
  if (rules.hours.length > 0)
    clauses.push(`入园时段 ${rules.hours.map((w) => `${hhmm(w.from)}–${hhmm(w.to)}`).join('、')}`);
  if (rules.slotEarlyMin > 0 || rules.slotLateMin > 0)
    clauses.push(`预约时段可提前 ${rules.slotEarlyMin} 分钟、延后 ${rules.slotLateMin} 分钟入园`);
  if (rules.zones.length > 0 || rules.gates.length > 0) clauses.push('仅限指定区域或闸机');
  if (rules.strictAlternation) clauses.push('进出须交替');
  if (rules.antiPassbackSec > 0) clauses.push(`同向再次通过须间隔 ${zhDuration(rules.antiPassbackSec)}`);
  if (!rules.exitFree) clauses.push('出园也须验票');
  if (rules.unconfirmedUsesEntry === false) clauses.push('未确认通过不计次');
  return clauses;
}

function enConditions(rules: PreviewInput['rules']): string[] {
  const clauses: string[] = [];
  if (rules.weekdays !== 0x7f)
    clauses.push(
      `${weekdayIndexes(rules.weekdays)
        .map((i) => EN_WEEKDAYS[i])
        .join(', ')} only`,
    );
  if (rules.hours.length > 0)
    clauses.push(`entry ${rules.hours.map((w) => `${hhmm(w.from)}–${hhmm(w.to)}`).join(', ')}`);
  if (rules.slotEarlyMin > 0 || rules.slotLateMin > 0)
    clauses.push(
      `timed slot: up to ${plural(rules.slotEarlyMin, 'minute')} early, ${plural(rules.slotLateMin, 'minute')} late`,
    );
  if (rules.zones.length > 0 || rules.gates.length > 0) clauses.push('chosen zones or gates only');
  if (rules.strictAlternation) clauses.push('in and out must alternate');
  if (rules.antiPassbackSec > 0)
    clauses.push(`no second passage the same way within ${enDuration(rules.antiPassbackSec)}`);
  if (!rules.exitFree) clauses.push('exits are checked too');
  if (rules.unconfirmedUsesEntry === false) clauses.push('an unconfirmed passage uses no entry');
  return clauses;
}

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** The type's entry rules in plain words, in `language`. */
export function entryRulesPreview(input: PreviewInput, language: PreviewLanguage): string {
  if (language === 'zh-CN') {
    return [zhMain(input), zhConditions(input.rules)]
      .filter((clauses) => clauses.length > 0)
      .map((clauses) => clauses.join('，'))
      .join('。');
  }
  return [enMain(input), enConditions(input.rules)]
    .filter((clauses) => clauses.length > 0)
    .map((clauses) => capitalise(clauses.join(', ')))
    .join('. ');
}
