import { describe, expect, it } from 'vitest';
import { type TicketTypeRules, ticketTypeRulesSchema } from '../model.js';
import { DECISION_REASONS } from '../reasons.js';
import { admitTexts, fitLed, type GateTexts, LED_COLUMNS, ledWidth, reasonTexts } from './texts.js';

function rules(zh: string, en: string): TicketTypeRules {
  return ticketTypeRulesSchema.parse({ typeId: 1, name: { zh, en } });
}

function expectLedFits(texts: GateTexts): void {
  for (const line of [...texts.led.zh, ...texts.led.en])
    expect(ledWidth(line)).toBeLessThanOrEqual(LED_COLUMNS);
}

describe('LED width', () => {
  it('counts CJK as two columns and Latin as one', () => {
    expect(ledWidth('abc 3')).toBe(5);
    expect(ledWidth('次卡')).toBe(4);
    expect(ledWidth('次卡·3')).toBe(6);
  });

  it('cuts at whole characters', () => {
    expect(fitLed('一二三四五六七八九')).toBe('一二三四五六七八');
    expect(fitLed('ab一二三四五六七八')).toBe('ab一二三四五六七');
    expect(fitLed('Annual family pass')).toBe('Annual family pa');
    expect(fitLed('短')).toBe('短');
  });
});

describe('reason texts', () => {
  it.each(DECISION_REASONS)('%s has short LED lines and a voice prompt in both languages', (reason) => {
    const texts = reasonTexts(reason);
    expectLedFits(texts);
    expect(texts.led.zh[0]).not.toBe('');
    expect(texts.led.en[0]).not.toBe('');
    expect(texts.voice.zh).not.toBe('');
    expect(texts.voice.en).not.toBe('');
  });

  it('are fixed objects, looked up rather than built', () => {
    expect(reasonTexts('EXPIRED')).toBe(reasonTexts('EXPIRED'));
    expect(Object.isFrozen(reasonTexts('EXPIRED').led.zh)).toBe(true);
    expect(reasonTexts('EXPIRED').led.zh[0]).toBe('已过期');
    expect(reasonTexts('EXPIRED').led.en[0]).toBe('Expired');
  });
});

describe('admit texts', () => {
  const countCard = rules('次卡', 'Count card');

  it('show and say the type and entries left on a count card', () => {
    const texts = admitTexts(countCard, 'in', 3, 1);
    expect(texts.led.zh).toEqual(['欢迎入园', '次卡 剩余3次']);
    expect(texts.led.en).toEqual(['Count card', '3 left']);
    expect(texts.voice.zh).toBe('次卡，剩余三次，请通行');
    expect(texts.voice.en).toBe('Count card, 3 entries left, please pass');
    expect(admitTexts(countCard, 'in', 2, 1).voice.zh).toBe('次卡，剩余两次，请通行');
    expect(admitTexts(countCard, 'in', 1, 1).voice.en).toBe('Count card, 1 entry left, please pass');
    expect(admitTexts(countCard, 'in', 0, 1).led.zh).toEqual(['欢迎入园', '次卡 剩余0次']);
  });

  it('show the greeting and name only when no count is shown', () => {
    const pass = rules('年卡', 'Annual pass');
    expect(admitTexts(pass, 'in', -1, 1).led.en).toEqual(['Welcome', 'Annual pass']);
    expect(admitTexts(pass, 'in', -1, 1).voice.zh).toBe('年卡，请通行');
    expect(admitTexts(pass, 'out', -1, 1).led.zh).toEqual(['欢迎再来', '年卡']);
    expect(admitTexts(pass, 'out', -1, 1).voice.en).toBe('Annual pass, goodbye');
  });

  it('show and say how many persons a group ticket admits', () => {
    const group = rules('团体票', 'Group ticket');
    const texts = admitTexts(group, 'in', -1, 30);
    expect(texts.led.zh).toEqual(['欢迎入园', '团体票 30人']);
    expect(texts.voice.zh).toBe('团体票，三十人，请通行');
    expect(texts.voice.en).toBe('Group ticket, 30 persons, please pass');
    expect(admitTexts(group, 'in', -1, 2).voice.zh).toBe('团体票，两人，请通行');
  });

  it('keep every line within the LED even for the longest names and numbers', () => {
    const long = rules('超'.repeat(32), 'x'.repeat(48));
    for (const [left, persons] of [
      [-1, 1],
      [99_999, 1],
      [7, 999],
      [100_000, 999],
    ] as const) {
      expectLedFits(admitTexts(long, 'in', left, persons));
      expectLedFits(admitTexts(countCard, 'out', left, persons));
    }
  });

  it('reuse the same texts per type, direction and count', () => {
    expect(admitTexts(countCard, 'in', 5, 1)).toBe(admitTexts(countCard, 'in', 5, 1));
    expect(admitTexts(countCard, 'in', -1, 1)).toBe(admitTexts(countCard, 'in', -1, 1));
    expect(admitTexts(countCard, 'in', 5, 1)).not.toBe(admitTexts(countCard, 'out', 5, 1));
    expect(admitTexts(countCard, 'in', 5, 1)).not.toBe(admitTexts(rules('次卡', 'Count card'), 'in', 5, 1));
  });
});
