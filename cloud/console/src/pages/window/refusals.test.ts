import { describe, expect, it } from 'vitest';
import { fieldOf } from './refusals';

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
});
