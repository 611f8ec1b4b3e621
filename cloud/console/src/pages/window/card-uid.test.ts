import { describe, expect, it } from 'vitest';
import { checkCardUid } from './card-uid';

describe('card UIDs at the till', () => {
  it('normalises 4- and 7-byte UIDs typed or read with separators', () => {
    expect(checkCardUid('04a22b1c')).toEqual({ state: 'valid', uid: '04A22B1C' });
    expect(checkCardUid(' 04:A2:2B:1C:5D:80:00 ')).toEqual({ state: 'valid', uid: '04A22B1C5D8000' });
    expect(checkCardUid('04-a2-2b-1c')).toEqual({ state: 'valid', uid: '04A22B1C' });
    expect(checkCardUid('  ')).toEqual({ state: 'empty' });
  });

  it('refuses what no card reads as', () => {
    expect(checkCardUid('04A22B1G')).toEqual({ state: 'invalid', problem: 'hex' });
    expect(checkCardUid('04A22B')).toEqual({ state: 'invalid', problem: 'length' });
    expect(checkCardUid('04A22B1C5D')).toEqual({ state: 'invalid', problem: 'length' });
    expect(checkCardUid('00000000')).toEqual({ state: 'invalid', problem: 'failed_read' });
    expect(checkCardUid('ffffffff')).toEqual({ state: 'invalid', problem: 'failed_read' });
    expect(checkCardUid('88A22B1C')).toEqual({ state: 'invalid', problem: 'partial' });
    expect(checkCardUid('04A22B885D8000')).toEqual({ state: 'invalid', problem: 'partial' });
    expect(checkCardUid('08A22B1C')).toEqual({ state: 'invalid', problem: 'random' });
  });
});
