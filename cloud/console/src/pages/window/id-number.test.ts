import { describe, expect, it } from 'vitest';
import { ageOn, checkCharacter, checkIdNumber, withCheckCharacter } from './id-number';

describe('checkIdNumber', () => {
  it('accepts the standard’s own examples, with the birth date and gender derived', () => {
    expect(checkIdNumber('11010519491231002X')).toEqual({
      state: 'valid',
      number: '11010519491231002X',
      birthDate: '1949-12-31',
      gender: 'female',
    });
    // The standard's other example was born in 1880: before any living visitor, so refused like the API does.
    expect(checkIdNumber(' 440524188001010014 ')).toEqual({ state: 'invalid', problem: 'birth_date' });
    expect(checkIdNumber('11010519491231002x')).toMatchObject({
      state: 'valid',
      number: '11010519491231002X',
    });
    expect(checkIdNumber(withCheckCharacter('32010219850615123'))).toMatchObject({
      state: 'valid',
      birthDate: '1985-06-15',
      gender: 'male',
    });
  });

  it('refuses a wrong check character', () => {
    const valid = withCheckCharacter('11010119900307451');
    const wrong = valid.slice(0, 17) + (valid[17] === '0' ? '1' : '0');
    expect(checkIdNumber(wrong)).toEqual({ state: 'invalid', problem: 'checksum' });
  });

  it('says partial while nothing typed so far is wrong, and names the first mistake as it is typed', () => {
    expect(checkIdNumber('')).toEqual({ state: 'empty' });
    expect(checkIdNumber('1')).toEqual({ state: 'partial' });
    expect(checkIdNumber('110101199')).toEqual({ state: 'partial' });
    expect(checkIdNumber('99')).toEqual({ state: 'invalid', problem: 'region' });
    expect(checkIdNumber('11010118')).toEqual({ state: 'invalid', problem: 'birth_date' });
    expect(checkIdNumber('1101011990130')).toEqual({ state: 'invalid', problem: 'birth_date' });
    expect(checkIdNumber('11010119900230')).toEqual({ state: 'invalid', problem: 'birth_date' });
    expect(checkIdNumber('11010120000229')).toEqual({ state: 'partial' });
    expect(checkIdNumber('11010119000229')).toEqual({ state: 'invalid', problem: 'birth_date' });
    expect(checkIdNumber('1101a')).toEqual({ state: 'invalid', problem: 'format' });
    expect(checkIdNumber('1101X')).toEqual({ state: 'invalid', problem: 'format' });
    expect(checkIdNumber(`${withCheckCharacter('11010119900307451')}1`)).toEqual({
      state: 'invalid',
      problem: 'format',
    });
  });

  it('refuses a birth date after the venue’s today', () => {
    const id = withCheckCharacter('11010120300101001');
    expect(checkIdNumber(id).state).toBe('valid');
    expect(checkIdNumber(id, '2026-12-07')).toEqual({ state: 'invalid', problem: 'birth_date' });
    expect(checkIdNumber(withCheckCharacter('11010120261207001'), '2026-12-07').state).toBe('valid');
  });

  it('computes the check character as MOD 11-2 (10 is X)', () => {
    expect(checkCharacter('11010519491231002')).toBe('X');
    expect(checkCharacter('44052418800101001')).toBe('4');
  });
});

describe('ageOn', () => {
  it('counts completed years, the birthday itself included', () => {
    expect(ageOn('1950-06-15', '2026-06-14')).toBe(75);
    expect(ageOn('1950-06-15', '2026-06-15')).toBe(76);
    expect(ageOn('2020-02-29', '2026-02-28')).toBe(5);
    expect(ageOn('2020-02-29', '2026-03-01')).toBe(6);
    expect(ageOn('2026-12-07', '2026-12-07')).toBe(0);
  });
});
