import { describe, expect, it } from 'vitest';
import { generateBarcode } from './barcode.js';
import { classifyScan } from './detect.js';
import { generateSigningKey } from './keys.js';
import { encodeQrCredential, QR_TIME_EPOCH_MS } from './qr-code.js';

const fields = {
  ticketId: 77,
  typeId: 3,
  validFrom: QR_TIME_EPOCH_MS,
  validTo: QR_TIME_EPOCH_MS + 60_000,
  entries: 0,
  flags: 0,
};

describe('classifyScan', () => {
  const qr = encodeQrCredential(fields, generateSigningKey(7));

  it('recognises a QR credential and strips the scanner’s line ends', () => {
    expect(classifyScan(qr)).toEqual({ kind: 'qr', text: qr });
    expect(classifyScan(`${qr}\r\n`)).toEqual({ kind: 'qr', text: qr });
    expect(classifyScan(`\t${qr} \r`)).toEqual({ kind: 'qr', text: qr });
  });

  it('keeps the leading space of a code whose first character is a space', () => {
    // Key id 5: the first group is 0x01 0x05 = 261 = 36 + 5·45, and 36 is the base45 space.
    const spaced = encodeQrCredential(fields, generateSigningKey(5));
    expect(spaced.startsWith(' ')).toBe(true);
    expect(classifyScan(`${spaced}\n`)).toEqual({ kind: 'qr', text: spaced });
  });

  it('recognises a barcode, normalised', () => {
    const code = generateBarcode();
    expect(classifyScan(`${code}\r\n`)).toEqual({ kind: 'barcode', code });
    expect(classifyScan(`${code.slice(0, 6)} ${code.slice(6)}`)).toEqual({ kind: 'barcode', code });
    // A wrong check digit is still a barcode: the verifier reports BAD_CHECK_DIGIT.
    const wrong = code.slice(0, -1) + ((Number(code.at(-1)) + 1) % 10);
    expect(classifyScan(wrong)).toEqual({ kind: 'barcode', code: wrong });
  });

  it('calls everything else unknown', () => {
    for (const text of [
      '',
      '\r\n',
      'https://example.com/pay?id=1',
      qr.toLowerCase(),
      qr.slice(1),
      `${qr.slice(0, 60)}a${qr.slice(61)}`,
      '1234567',
      '1'.repeat(25),
      `${' '.repeat(10)}${qr}`,
    ]) {
      expect(classifyScan(text), JSON.stringify(text)).toEqual({ kind: 'unknown' });
    }
  });

  it('refuses oversized input before looking at it', () => {
    expect(classifyScan(`${qr}${'\n'.repeat(391)}`)).toEqual({ kind: 'unknown' });
    expect(classifyScan(`${qr}${'\n'.repeat(390)}`)).toEqual({ kind: 'qr', text: qr });
  });
});
