import { describe, expect, it } from 'vitest';
import { cardInUseField, fieldOf } from './refusals';

describe('fieldOf', () => {
  const lines = ['t101', 't102', 's102'];
  const methods = ['cash', 'wechat'] as const;

  it('puts holder problems on the holder’s field of the line that was sent', () => {
    expect(fieldOf(['lines', 1, 'holders', 0, 'idNumber'], lines, methods)).toBe('holder:t102:0:idNumber');
    expect(fieldOf(['lines', 2, 'holders', 3, 'name'], lines, methods)).toBe('holder:s102:3:name');
  });

  it('puts payment problems on the method’s amount', () => {
    expect(fieldOf(['payments', 1, 'amountFen'], lines, methods)).toBe('pay:wechat');
  });

  it('leaves the rest to the sale as a whole', () => {
    expect(fieldOf(['slotId'], lines, methods)).toBeNull();
    expect(fieldOf(['lines', 0, 'quantity'], lines, methods)).toBeNull();
    expect(fieldOf(['lines', 9, 'holders', 0, 'name'], lines, methods)).toBeNull();
    expect(fieldOf(['payments', 5, 'amountFen'], lines, methods)).toBeNull();
  });

  it('puts a bad card UID on its card field', () => {
    expect(fieldOf(['lines', 0, 'cardUids', 2], lines, methods)).toBe('card:t101:2');
  });

  it('finds the card a CARD_UID_IN_USE refusal names', () => {
    const sent = [
      { lineKey: 't104', uids: ['04A22B1C', '04A22B1D'] },
      { lineKey: 't105', uids: ['04A22B1C5D8000'] },
    ];
    const messages = (uid: string) => ({
      'zh-CN': `IC 卡 ${uid} 已绑定在有效的票上，请先退票或换卡`,
      en: `IC card ${uid} is already bound to a live ticket: refund or reissue that ticket first`,
    });
    expect(cardInUseField(messages('04A22B1D'), sent)).toBe('card:t104:1');
    expect(cardInUseField(messages('04A22B1C5D8000'), sent)).toBe('card:t105:0');
    expect(cardInUseField(messages('AABBCCDD'), sent)).toBeNull();
  });
});
