import { describe, expect, it } from 'vitest';
import { parseCodeList } from './codes-text';

describe('pasted code lists', () => {
  it('takes one code per line and skips blank lines, keeping each code’s line', () => {
    expect(parseCodeList('123456789012\n\n  234567890123  \r\n345678901234\n')).toEqual({
      codes: ['123456789012', '234567890123', '345678901234'],
      lines: [1, 3, 4],
    });
  });

  it('reads the first column of CSV, tab or semicolon rows and drops a heading row', () => {
    const csv = '票号,批次,备注\n"1234 5678 9012",7,first\n234567890123;x\n345678901234\tnote';
    expect(parseCodeList(csv)).toEqual({
      codes: ['1234 5678 9012', '234567890123', '345678901234'],
      lines: [2, 3, 4],
    });
  });

  it('keeps what is not a code for the API to refuse by line', () => {
    expect(parseCodeList('123456789012\nABC\n')).toEqual({ codes: ['123456789012', 'ABC'], lines: [1, 2] });
    expect(parseCodeList('   \n')).toEqual({ codes: [], lines: [] });
  });
});
