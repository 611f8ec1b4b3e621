import { describe, expect, it } from 'vitest';
import { isAppError } from '../errors.js';
import { parseLocalized } from '../validation.js';
import { ageOn, parseIsoDate } from './civil-date.js';
import {
  maskResidentId,
  parseResidentId,
  requireResidentId,
  residentIdCheckCharacter,
  residentIdNumberSchema,
} from './resident-id.js';

/** Builds a valid number from its parts, so the tables below read as intent, not magic digits. */
function idFor(region: string, birth: string, sequence: string): string {
  const first17 = `${region}${birth}${sequence}`;
  return `${first17}${residentIdCheckCharacter(first17)}`;
}

describe('parseResidentId', () => {
  it.each([
    // The GB 11643-1999 worked example and other published checksum examples.
    ['11010519491231002X', 'female', '1949-12-31'],
    ['110101199003074477', 'male', '1990-03-07'],
    ['310101200002290023', 'female', '2000-02-29'],
    ['810000199507040012', 'male', '1995-07-04'],
  ])('accepts %s', (number, gender, birth) => {
    expect(parseResidentId(number)).toEqual({
      ok: true,
      id: { number, regionCode: number.slice(0, 6), birthDate: parseIsoDate(birth), gender },
    });
  });

  it('computes X as the check character for remainder 2 and normalises a lower-case x', () => {
    expect(residentIdCheckCharacter('11010519491231002')).toBe('X');
    const result = parseResidentId(' 11010519491231002x ');
    expect(result.ok && result.id.number).toBe('11010519491231002X');
  });

  it.each([
    ['11010519491231002Y', 'format'],
    ['1101051949123100', 'format'],
    ['1101051949123100211', 'format'],
    ['11010519491231002１', 'format'],
    ['', 'format'],
    ['991105194912310021', 'region'],
    ['001105194912310021', 'region'],
    ['110105194913310021', 'birth_date'],
    ['110105190002290021', 'birth_date'], // 1900 was not a leap year
    ['110105194912320021', 'birth_date'],
    ['110105194912310021', 'checksum'], // should end in X
    ['110101199003074478', 'checksum'],
    ['440524188001010014', 'birth_date'], // checksum fine, but born before 1900: a typo
  ])('rejects %s (%s)', (number, problem) => {
    expect(parseResidentId(number)).toEqual({ ok: false, problem });
  });

  it('catches every single-digit typo and every swap of adjacent different digits', () => {
    const valid = '110101199003074477';
    for (let i = 0; i < 17; i++) {
      for (let digit = 0; digit <= 9; digit++) {
        if (String(digit) === valid[i]) continue;
        const typo = `${valid.slice(0, i)}${digit}${valid.slice(i + 1)}`;
        expect(parseResidentId(typo).ok, typo).toBe(false);
      }
    }
    for (let i = 0; i < 16; i++) {
      if (valid[i] === valid[i + 1]) continue;
      const swapped = `${valid.slice(0, i)}${valid[i + 1]}${valid[i]}${valid.slice(i + 2)}`;
      expect(parseResidentId(swapped).ok, swapped).toBe(false);
    }
  });

  it('rejects a birth date after the venue-local today when given one', () => {
    const number = idFor('110101', '20300101', '123');
    expect(parseResidentId(number).ok).toBe(true);
    expect(parseResidentId(number, parseIsoDate('2029-12-31'))).toEqual({ ok: false, problem: 'birth_date' });
    expect(parseResidentId(number, parseIsoDate('2030-01-01')).ok).toBe(true);
  });

  it('reads gender from the 17th digit: odd male, even female', () => {
    for (let last = 0; last <= 9; last++) {
      const result = parseResidentId(idFor('320102', '19851111', `01${last}`));
      expect(result.ok && result.id.gender).toBe(last % 2 === 1 ? 'male' : 'female');
    }
  });
});

describe('requireResidentId', () => {
  it('throws ID_NUMBER_INVALID with the problem and a masked number, never the number itself', () => {
    try {
      requireResidentId('110105194912310021');
      expect.unreachable();
    } catch (error) {
      if (!isAppError(error)) throw error;
      expect(error.code).toBe('ID_NUMBER_INVALID');
      expect(error.status).toBe(400);
      expect(error.messages).toEqual({
        'zh-CN': '身份证号码无效：校验码不符',
        en: 'Invalid ID number: check digit does not match',
      });
      expect(error.details).toEqual({ problem: 'checksum', idNumber: '1101**********0021' });
    }
  });
});

describe('residentIdNumberSchema', () => {
  it('normalises valid numbers and reports problems in both languages', () => {
    expect(residentIdNumberSchema.parse('11010519491231002x')).toBe('11010519491231002X');
    const parsed = parseLocalized(residentIdNumberSchema, '110105194912310021');
    expect(parsed).toEqual({
      success: false,
      issues: [
        { path: [], code: 'custom', messages: { 'zh-CN': '校验码不符', en: 'check digit does not match' } },
      ],
    });
  });
});

describe('maskResidentId', () => {
  it.each([
    ['110101199003074477', '1101**********4477'],
    ['11010519491231002X', '1101**********002X'],
    ['12345', '***45'],
    ['1', '*'],
    ['', ''],
  ])('%s → %s', (input, masked) => {
    expect(maskResidentId(input)).toBe(masked);
  });
});

describe('ageOn', () => {
  const age = (birth: string, on: string) => ageOn(parseIsoDate(birth)!, parseIsoDate(on)!);

  it('goes up on the birthday, not the day after', () => {
    expect(age('2019-06-15', '2025-06-14')).toBe(5);
    expect(age('2019-06-15', '2025-06-15')).toBe(6);
    expect(age('2019-06-15', '2025-12-31')).toBe(6);
    expect(age('2019-06-15', '2026-01-01')).toBe(6);
  });

  it('gives someone born on 29 February their birthday on 1 March in non-leap years', () => {
    expect(age('2000-02-29', '2001-02-28')).toBe(0);
    expect(age('2000-02-29', '2001-03-01')).toBe(1);
    expect(age('2000-02-29', '2004-02-28')).toBe(3);
    expect(age('2000-02-29', '2004-02-29')).toBe(4);
  });

  it('is 0 on the birth date and negative before it', () => {
    expect(age('2020-05-05', '2020-05-05')).toBe(0);
    expect(age('2020-05-05', '2020-05-04')).toBe(-1);
  });
});
