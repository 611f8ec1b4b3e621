import { describe, expect, it } from 'vitest';
import { classifyLookupInput, isResidentId, trimScan } from './scan';

/** A valid resident ID number (check character computed by the standard). */
const ID = '11010519491231002X';

describe('the lookup box', () => {
  it('checks a resident ID number’s check character', () => {
    expect(isResidentId(ID)).toBe(true);
    expect(isResidentId(ID.toLowerCase())).toBe(true);
    expect(isResidentId('110105194912310021')).toBe(false);
    expect(isResidentId('1101051949123100')).toBe(false);
  });

  it('drops a scanner’s CR/LF/TAB but keeps a QR text’s leading space', () => {
    expect(trimScan('\r\n 123456789012\r\n')).toBe(' 123456789012');
    expect(trimScan('ABC \t')).toBe('ABC');
  });

  it('tells a QR text, a barcode, an ID number and a card UID apart', () => {
    const qr = ` ${'A'.repeat(121)}`;
    expect(classifyLookupInput(`${qr}\r`)).toEqual({ param: 'code', value: qr });
    expect(classifyLookupInput('123456789012\n')).toEqual({ param: 'code', value: '123456789012' });
    expect(classifyLookupInput(ID.toLowerCase())).toEqual({ param: 'idNumber', value: ID });
    // 18 digits whose check does not hold: a long barcode.
    expect(classifyLookupInput('110105194912310021')).toEqual({ param: 'code', value: '110105194912310021' });
    expect(classifyLookupInput('04a22b1c')).toEqual({ param: 'cardUid', value: '04a22b1c' });
    expect(classifyLookupInput('04:A2:2B:1C:5D:80:00')).toEqual({
      param: 'cardUid',
      value: '04:A2:2B:1C:5D:80:00',
    });
    // Eight digits read as a barcode unless the operator says it is a card.
    expect(classifyLookupInput('12345678')).toEqual({ param: 'code', value: '12345678' });
    expect(classifyLookupInput('12345678', 'card')).toEqual({ param: 'cardUid', value: '12345678' });
    expect(classifyLookupInput('  ')).toBeNull();
    expect(classifyLookupInput('hello')).toEqual({ param: 'code', value: 'hello' });
  });

  it('follows a forced mode', () => {
    expect(classifyLookupInput(ID, 'code')).toEqual({ param: 'code', value: ID });
    expect(classifyLookupInput('11010519491231002x', 'id')).toEqual({ param: 'idNumber', value: ID });
  });
});
