/**
 * 18-digit PRC resident identity numbers (居民身份证号码, GB 11643-1999): 6-digit administrative region code,
 * 8-digit birth date YYYYMMDD, 3-digit sequence (odd = male, even = female) and an ISO 7064 MOD 11-2 check
 * character (0–9 or X). Residence permits for Hong Kong, Macao and Taiwan residents (港澳台居民居住证) use the same
 * layout with region codes 810000 / 820000 / 830000, so they validate here too. Old 15-digit numbers are not
 * accepted: they stopped being valid ID cards in 2013.
 *
 * Only the province part of the region code is checked (first two digits): the full county list changes every
 * year and an old card keeps its original code, so a county-level check would reject valid cards.
 */
import { z } from 'zod';
import { AppError } from '../errors.js';
import type { Localized } from '../language.js';
import { bilingual } from '../validation.js';
import { ageOn, type CivilDate, isValidCivilDate } from './civil-date.js';

/** Provinces, autonomous regions, municipalities (11–65), Taiwan (71), HK / Macao / Taiwan residence permits (81–83). */
const PROVINCE_CODES = new Set([
  11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61,
  62, 63, 64, 65, 71, 81, 82, 83,
]);

/** Weight of digit i is 2^(17−i) mod 11. */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
/** Check character for (Σ digit·weight) mod 11. */
const CHECK_CHARACTERS = '10X98765432';

/** Nobody alive was born earlier; a date before this is a typo. */
const EARLIEST_BIRTH_YEAR = 1900;

export type ResidentIdProblem = 'format' | 'region' | 'birth_date' | 'checksum';

export const RESIDENT_ID_PROBLEMS: Readonly<Record<ResidentIdProblem, Localized>> = {
  format: { 'zh-CN': '应为 17 位数字加 1 位数字或 X', en: 'expected 17 digits followed by a digit or X' },
  region: { 'zh-CN': '地区码无效', en: 'unknown region code' },
  birth_date: { 'zh-CN': '出生日期无效', en: 'invalid birth date' },
  checksum: { 'zh-CN': '校验码不符', en: 'check digit does not match' },
};

export interface ResidentId {
  /** Normalised: trimmed, check character upper-case. */
  readonly number: string;
  readonly regionCode: string;
  readonly birthDate: CivilDate;
  readonly gender: 'male' | 'female';
}

export type ResidentIdResult =
  | { readonly ok: true; readonly id: ResidentId }
  | { readonly ok: false; readonly problem: ResidentIdProblem };

/** The check character for the first 17 digits. */
export function residentIdCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK_CHARACTERS[sum % 11]!;
}

/**
 * Validates an ID number. `today` (the venue-local date) rejects birth dates in the future; omit it to check only
 * that the date exists.
 */
export function parseResidentId(input: string, today?: CivilDate): ResidentIdResult {
  const number = input.trim().toUpperCase();
  if (!/^\d{17}[\dX]$/.test(number)) return { ok: false, problem: 'format' };
  if (!PROVINCE_CODES.has(Number(number.slice(0, 2)))) return { ok: false, problem: 'region' };
  const birthDate = {
    year: Number(number.slice(6, 10)),
    month: Number(number.slice(10, 12)),
    day: Number(number.slice(12, 14)),
  };
  if (
    !isValidCivilDate(birthDate.year, birthDate.month, birthDate.day) ||
    birthDate.year < EARLIEST_BIRTH_YEAR ||
    (today !== undefined && ageOn(birthDate, today) < 0)
  ) {
    return { ok: false, problem: 'birth_date' };
  }
  if (residentIdCheckCharacter(number) !== number[17]) return { ok: false, problem: 'checksum' };
  const gender = Number(number[16]) % 2 === 1 ? 'male' : 'female';
  return { ok: true, id: { number, regionCode: number.slice(0, 6), birthDate, gender } };
}

/** Like parseResidentId, but a bad number throws the catalogue's ID_NUMBER_INVALID (400) with the problem. */
export function requireResidentId(input: string, today?: CivilDate): ResidentId {
  const result = parseResidentId(input, today);
  if (result.ok) return result.id;
  throw new AppError(
    'ID_NUMBER_INVALID',
    { reason: RESIDENT_ID_PROBLEMS[result.problem] },
    { details: { problem: result.problem, idNumber: maskResidentId(input) } },
  );
}

/**
 * For screens, receipts and logs: the first 4 and last 4 characters stay (`1101**********1234`), enough for staff
 * to match a card in hand without the number being readable. Anything that is not 18 characters is masked whole
 * except its last 2, so a malformed number cannot leak either.
 */
export function maskResidentId(input: string): string {
  const text = input.trim();
  if (text.length === 18) return `${text.slice(0, 4)}${'*'.repeat(10)}${text.slice(14)}`;
  if (text.length <= 2) return '*'.repeat(text.length);
  return `${'*'.repeat(text.length - 2)}${text.slice(-2)}`;
}

/** A zod field for request bodies: normalises and validates, with the problem as a bilingual message. */
export const residentIdNumberSchema = z
  .string()
  .max(32)
  .transform((value, context) => {
    const result = parseResidentId(value);
    if (result.ok) return result.id.number;
    context.addIssue({
      code: 'custom',
      ...bilingual(RESIDENT_ID_PROBLEMS[result.problem]),
    });
    return z.NEVER;
  })
  .describe('18 位居民身份证号码 / 18-digit PRC resident ID number');
