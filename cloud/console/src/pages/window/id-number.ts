/**
 * 18-digit resident ID numbers (GB 11643-1999) checked as the cashier types, with the same rules as the API
 * (cloud/src/platform/identity/resident-id.ts): digits, a province code, a real birth date from 1900 on, and the
 * ISO 7064 MOD 11-2 check character. A number still being typed is `partial` as long as nothing typed so far is
 * already wrong, so a mistake shows at the character where it happens, not only at the 18th.
 */

export type IdProblem = 'format' | 'region' | 'birth_date' | 'checksum';

export type IdCheck =
  | { readonly state: 'empty' }
  | { readonly state: 'partial' }
  | { readonly state: 'invalid'; readonly problem: IdProblem }
  | {
      readonly state: 'valid';
      /** Trimmed, check character upper-case: what the API receives. */
      readonly number: string;
      /** YYYY-MM-DD. */
      readonly birthDate: string;
      readonly gender: 'male' | 'female';
    };

/** Provinces, autonomous regions, municipalities (11–65), Taiwan (71), HK / Macao / Taiwan residence permits (81–83). */
const PROVINCE_CODES = new Set([
  11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61,
  62, 63, 64, 65, 71, 81, 82, 83,
]);
/** Weight of digit i is 2^(17−i) mod 11. */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARACTERS = '10X98765432';
const EARLIEST_BIRTH_YEAR = 1900;

/** The check character of the first 17 digits. */
export function checkCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK_CHARACTERS[sum % 11]!;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Whether the birth-date digits typed so far (0–8 of YYYYMMDD) can still become a valid date. */
function birthDigitsPlausible(digits: string): boolean {
  if (digits.length >= 2 && Number(digits.slice(0, 2)) < 19) return false;
  if (digits.length >= 4 && Number(digits.slice(0, 4)) < EARLIEST_BIRTH_YEAR) return false;
  if (digits.length >= 5 && Number(digits[4]) > 1) return false;
  if (digits.length >= 6) {
    const month = Number(digits.slice(4, 6));
    if (month < 1 || month > 12) return false;
  }
  if (digits.length >= 7 && Number(digits[6]) > 3) return false;
  if (digits.length >= 8) {
    const [year, month, day] = [
      Number(digits.slice(0, 4)),
      Number(digits.slice(4, 6)),
      Number(digits.slice(6, 8)),
    ];
    if (day < 1 || day > daysInMonth(year, month)) return false;
  }
  return true;
}

/**
 * Checks what has been typed. `today` (YYYY-MM-DD, the venue's date) refuses a birth date after it; without it only
 * the date's existence is checked.
 */
export function checkIdNumber(input: string, today?: string): IdCheck {
  const text = input.trim().toUpperCase();
  if (text === '') return { state: 'empty' };
  if (text.length > 18 || !/^\d{0,17}[\dX]?$/.test(text) || (text.length < 18 && text.endsWith('X')))
    return { state: 'invalid', problem: 'format' };
  if (text.length >= 2 && !PROVINCE_CODES.has(Number(text.slice(0, 2))))
    return { state: 'invalid', problem: 'region' };
  const birthDigits = text.slice(6, 14);
  if (!birthDigitsPlausible(birthDigits)) return { state: 'invalid', problem: 'birth_date' };
  if (text.length >= 14 && today !== undefined) {
    const birthDate = `${birthDigits.slice(0, 4)}-${birthDigits.slice(4, 6)}-${birthDigits.slice(6, 8)}`;
    if (birthDate > today) return { state: 'invalid', problem: 'birth_date' };
  }
  if (text.length < 18) return { state: 'partial' };
  if (checkCharacter(text) !== text[17]) return { state: 'invalid', problem: 'checksum' };
  return {
    state: 'valid',
    number: text,
    birthDate: `${text.slice(6, 10)}-${text.slice(10, 12)}-${text.slice(12, 14)}`,
    gender: Number(text[16]) % 2 === 1 ? 'male' : 'female',
  };
}

/** Completed years (周岁) on `date` for someone born on `birthDate` (both YYYY-MM-DD). */
export function ageOn(birthDate: string, date: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const hadBirthday = m > bm || (m === bm && d >= bd);
  return y - by - (hadBirthday ? 0 : 1);
}

/** A valid number for tests and examples: the first 17 digits with their check character. */
export function withCheckCharacter(first17: string): string {
  return first17 + checkCharacter(first17);
}
