/**
 * Integers as Chinese words for the gate's voice prompts (the TTS engine reads "3" inconsistently, "三" always
 * right). Covers 0 … 99,999,999; anything else (negative, fractional, larger) comes back as Arabic digits so a voice
 * prompt is never empty.
 */

const DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'] as const;
const UNITS = ['千', '百', '十', ''] as const;
const POWERS = [1000, 100, 10, 1] as const;

/** 1 … 9999 in full form ("一十" kept; the caller drops a leading 一 of 一十). */
function section(n: number): string {
  let out = '';
  let pendingZero = false;
  for (let i = 0; i < 4; i++) {
    const digit = Math.floor(n / POWERS[i]!) % 10;
    if (digit === 0) {
      if (out !== '') pendingZero = true;
      continue;
    }
    if (pendingZero) out += '零';
    pendingZero = false;
    out += DIGITS[digit]! + UNITS[i]!;
  }
  return out;
}

function words(n: number, counting: boolean): string {
  if (!Number.isInteger(n) || n < 0 || n >= 100_000_000) return String(n);
  if (n === 0) return '零';
  const high = Math.floor(n / 10_000);
  const low = n % 10_000;
  let out = '';
  if (high > 0) {
    out = `${section(high)}万`;
    if (low > 0 && low < 1000) out += '零';
  }
  if (low > 0) out += section(low);
  // 10–19 (and 十万…十九万) are said 十…, not 一十…
  if (out.startsWith('一十')) out = out.slice(1);
  // Before a measure word a leading 2 on its own or before 百/千/万 is 两: 两次, 两百人, 两万; 二十 stays.
  if (counting && out[0] === '二' && (out.length === 1 || out[1] !== '十')) out = `两${out.slice(1)}`;
  return out;
}

/** Reading form: 2 → 二, 200 → 二百, 12 → 十二, 105 → 一百零五. */
export function chineseNumber(n: number): string {
  return words(n, false);
}

/** Counting form, for a number followed by a measure word (次, 人): 2 → 两, 2000 → 两千, 22 → 二十二. */
export function chineseCount(n: number): string {
  return words(n, true);
}
