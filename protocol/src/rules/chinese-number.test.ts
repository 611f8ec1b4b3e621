import { describe, expect, it } from 'vitest';
import { chineseCount, chineseNumber } from './chinese-number.js';

const DIGIT: Record<string, number> = {
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};
const UNIT: Record<string, number> = { 十: 10, 百: 100, 千: 1000 };

/** Independent reader of Chinese numerals, to check every output reads back as its number. */
function readChinese(text: string): number {
  let total = 0;
  let section = 0;
  let digit = 0;
  for (const ch of text) {
    if (ch === '零') continue;
    if (ch in DIGIT) digit = DIGIT[ch]!;
    else if (ch in UNIT) {
      section += (digit === 0 ? 1 : digit) * UNIT[ch]!;
      digit = 0;
    } else if (ch === '万') {
      total += (section + digit) * 10_000;
      section = 0;
      digit = 0;
    } else throw new Error(`unexpected ${ch} in ${text}`);
  }
  return total + section + digit;
}

describe('chineseNumber / chineseCount', () => {
  it.each([
    [0, '零', '零'],
    [1, '一', '一'],
    [2, '二', '两'],
    [10, '十', '十'],
    [12, '十二', '十二'],
    [20, '二十', '二十'],
    [22, '二十二', '二十二'],
    [100, '一百', '一百'],
    [101, '一百零一', '一百零一'],
    [110, '一百一十', '一百一十'],
    [200, '二百', '两百'],
    [202, '二百零二', '两百零二'],
    [1001, '一千零一', '一千零一'],
    [1010, '一千零一十', '一千零一十'],
    [2000, '二千', '两千'],
    [2222, '二千二百二十二', '两千二百二十二'],
    [10_000, '一万', '一万'],
    [10_001, '一万零一', '一万零一'],
    [10_010, '一万零一十', '一万零一十'],
    [10_100, '一万零一百', '一万零一百'],
    [11_000, '一万一千', '一万一千'],
    [20_000, '二万', '两万'],
    [20_002, '二万零二', '两万零二'],
    [22_000, '二万二千', '两万二千'],
    [99_999, '九万九千九百九十九', '九万九千九百九十九'],
    [100_000, '十万', '十万'],
    [100_100, '十万零一百', '十万零一百'],
    [200_000, '二十万', '二十万'],
    [12_345_678, '一千二百三十四万五千六百七十八', '一千二百三十四万五千六百七十八'],
  ])('%d → %s / %s', (n, reading, counting) => {
    expect(chineseNumber(n)).toBe(reading);
    expect(chineseCount(n)).toBe(counting);
  });

  it('reads back as the same number, in canonical form, for every count 0 … 100,000', () => {
    for (let n = 0; n <= 100_000; n++) {
      const words = chineseCount(n);
      if (readChinese(words) !== n) throw new Error(`${n} → ${words}`);
      if (n > 0 && (words.endsWith('零') || words.includes('零零'))) throw new Error(`${n} → ${words}`);
      if (words.startsWith('一十') || words.includes('两十') || words.slice(1).includes('两')) {
        throw new Error(`${n} → ${words}`);
      }
      if (chineseNumber(n).includes('两')) throw new Error(`${n} reading form ${chineseNumber(n)}`);
    }
  });

  it('falls back to digits outside its range instead of throwing', () => {
    expect(chineseCount(-1)).toBe('-1');
    expect(chineseCount(1.5)).toBe('1.5');
    expect(chineseCount(100_000_000)).toBe('100000000');
    expect(chineseCount(Number.NaN)).toBe('NaN');
  });
});
