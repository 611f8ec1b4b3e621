import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../errors.js';
import {
  barcodeCheckDigit,
  checkBarcode,
  generateBarcode,
  generateBarcodes,
  validateBarcode,
} from './barcode.js';

function failure(text: string): string {
  const result = checkBarcode(text);
  return result.ok ? 'OK' : result.code;
}

describe('Damm check digit', () => {
  it('matches the published example', () => {
    expect(barcodeCheckDigit('572')).toBe(4);
    expect(validateBarcode('00005724')).toBe('00005724');
  });

  it('catches every single-digit substitution and adjacent transposition of 1,000 random codes', () => {
    let mutations = 0;
    for (const code of generateBarcodes(1000)) {
      for (let i = 0; i < code.length; i++) {
        for (let d = 0; d <= 9; d++) {
          if (String(d) === code[i]) continue;
          const mutated = code.slice(0, i) + d + code.slice(i + 1);
          expect(failure(mutated), mutated).toBe('BAD_CHECK_DIGIT');
          mutations++;
        }
        if (i + 1 < code.length && code[i] !== code[i + 1]) {
          const swapped = code.slice(0, i) + code[i + 1] + code[i] + code.slice(i + 2);
          expect(failure(swapped), swapped).toBe('BAD_CHECK_DIGIT');
          mutations++;
        }
      }
    }
    expect(mutations).toBeGreaterThan(108_000);
  });
});

describe('barcode generation', () => {
  it('makes 12-digit codes with a non-zero lead and a valid check digit', () => {
    for (let i = 0; i < 200; i++) {
      const code = generateBarcode();
      expect(code).toMatch(/^[1-9][0-9]{11}$/);
      expect(validateBarcode(code)).toBe(code);
    }
  });

  it('spreads every digit over every random position', () => {
    const codes = generateBarcodes(1000);
    for (let pos = 1; pos < 11; pos++) {
      expect(new Set(codes.map((c) => c[pos])).size, `position ${pos}`).toBe(10);
    }
  });

  it('supports 8 to 24 digits and nothing else', () => {
    expect(generateBarcode(8)).toHaveLength(8);
    const long = generateBarcode(24);
    expect(long).toHaveLength(24);
    expect(validateBarcode(long)).toBe(long);
    expect(() => generateBarcode(7)).toThrow(ProtocolError);
    expect(() => generateBarcode(25)).toThrow(ProtocolError);
  });

  it('returns distinct codes and refuses runs that would make guessing easy', () => {
    const codes = generateBarcodes(5000, 10);
    expect(new Set(codes).size).toBe(5000);
    expect(generateBarcodes(0)).toEqual([]);
    expect(generateBarcodes(90_000, 8)).toHaveLength(90_000);
    expect(() => generateBarcodes(90_001, 8)).toThrow(expect.objectContaining({ code: 'MALFORMED' }));
    expect(() => generateBarcodes(-1)).toThrow(ProtocolError);
  });
});

describe('barcode validation', () => {
  const code = generateBarcode();

  it('normalises separators, scanner line ends and full-width digits', () => {
    const spaced = `${code.slice(0, 4)} ${code.slice(4, 8)}-${code.slice(8)}\r\n`;
    expect(validateBarcode(spaced)).toBe(code);
    const fullWidth = [...code].map((d) => String.fromCharCode(0xff10 + Number(d))).join('');
    expect(validateBarcode(fullWidth)).toBe(code);
  });

  it('rejects non-digits and lengths outside 8–24 as MALFORMED', () => {
    for (const bad of ['', '1234567', '1'.repeat(25), `${code.slice(0, -1)}A`, `${code}x`, '½'.repeat(10)]) {
      expect(failure(bad), bad).toBe('MALFORMED');
    }
    expect(failure(' '.repeat(40) + code)).toBe('OK');
    expect(failure(' '.repeat(60) + code)).toBe('MALFORMED'); // bounded before any work
  });

  it('throws ProtocolError with the failure code', () => {
    const wrong = code.slice(0, -1) + ((Number(code.at(-1)) + 1) % 10);
    expect(() => validateBarcode(wrong)).toThrow(expect.objectContaining({ code: 'BAD_CHECK_DIGIT' }));
    expect(() => validateBarcode('abc')).toThrow(expect.objectContaining({ code: 'MALFORMED' }));
  });
});
