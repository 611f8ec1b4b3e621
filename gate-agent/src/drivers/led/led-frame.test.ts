import { describe, expect, it } from 'vitest';
import { fitLedText, ledClearFrame, ledTextFrame } from './led-frame.js';

const gb = { charset: 'gb2312', widthBytes: 16 } as const;

describe('LED frame encoding', () => {
  it('encodes 欢迎 in GB2312 inside a framed, checksummed text frame', () => {
    const { bytes } = fitLedText('欢迎', gb);
    expect([...bytes]).toEqual([0xbb, 0xb6, 0xd3, 0xad]);
    const frame = ledTextFrame(1, 'green', bytes);
    // STX 'T' '1' 'G' 欢迎 ETX CHK; CHK = 54^31^47^BB^B6^D3^AD
    expect([...frame]).toEqual([0x02, 0x54, 0x31, 0x47, 0xbb, 0xb6, 0xd3, 0xad, 0x03, 0x51]);
  });

  it('frames a clear command with its checksum', () => {
    expect([...ledClearFrame()]).toEqual([0x02, 0x43, 0x03, 0x43]);
  });

  it('cuts overlong text at a character boundary, never splitting a hanzi', () => {
    expect(fitLedText('欢迎光临', { charset: 'gb2312', widthBytes: 6 }).text).toBe('欢迎光');
    const odd = fitLedText('欢迎光临', { charset: 'gb2312', widthBytes: 5 });
    expect(odd.text).toBe('欢迎');
    expect(odd.bytes.length).toBe(4);
    expect(fitLedText('A欢', { charset: 'gb2312', widthBytes: 2 }).text).toBe('A');
    expect(fitLedText('欢迎光临', { charset: 'utf8', widthBytes: 7 }).text).toBe('欢迎');
  });

  it('shows characters GB2312 lacks as ? and control characters as spaces, so STX/ETX never leak into text', () => {
    const fitted = fitLedText('镕€😀\x02\x03\n次', gb);
    expect(fitted.text).toBe('???   次');
    expect([...fitted.bytes]).toEqual([0x3f, 0x3f, 0x3f, 0x20, 0x20, 0x20, 0xb4, 0xce]);
    expect(fitLedText('a\u0085b', { charset: 'utf8', widthBytes: 16 }).text).toBe('a b');
  });

  it('refuses a line number the protocol cannot carry', () => {
    expect(() => ledTextFrame(10, 'red', Buffer.alloc(0))).toThrow(
      expect.objectContaining({ code: 'LED_TOO_MANY_LINES' }),
    );
  });
});
