import { describe, expect, it } from 'vitest';
import { LineSplitter, type SplitResult } from './line-splitter.js';

const lines = (results: SplitResult[]) => results.flatMap((r) => ('line' in r ? [r.line] : []));
const codes = (results: SplitResult[]) => results.flatMap((r) => ('error' in r ? [r.error.code] : []));

function feed(splitter: LineSplitter, ...chunks: (string | number[])[]): SplitResult[] {
  return chunks.flatMap((c) =>
    splitter.push(typeof c === 'string' ? Buffer.from(c, 'utf8') : Uint8Array.from(c)),
  );
}

describe('LineSplitter', () => {
  it('splits on CR, LF and CRLF without inventing empty lines', () => {
    const out = feed(new LineSplitter(), 'A1\r\nB2\nC3\rD4\r\n\r\n');
    expect(lines(out)).toEqual(['A1', 'B2', 'C3', 'D4']);
    expect(codes(out)).toEqual([]);
  });

  it('treats a CRLF split across chunks as one terminator', () => {
    const s = new LineSplitter();
    expect(lines(feed(s, 'TICKET-1\r'))).toEqual(['TICKET-1']);
    expect(lines(feed(s, '\nTICKET-2\r', '\n'))).toEqual(['TICKET-2']);
  });

  it('reassembles a line delivered byte by byte and keeps UTF-8 split inside a character', () => {
    const bytes = [...Buffer.from('票号：欢迎\n', 'utf8')];
    const s = new LineSplitter();
    const out = bytes.flatMap((b) => s.push(Uint8Array.of(b)));
    expect(lines(out)).toEqual(['票号：欢迎']);
  });

  it('uses a configured terminator sequence, also when it is split across chunks', () => {
    const s = new LineSplitter({ terminator: '\x03\x04' });
    expect(lines(feed(s, 'AB\x03', '\x04CD\x03\x04'))).toEqual(['AB', 'CD']);
  });

  it('drops an overlong line whole, reports it once, and delivers the next line', () => {
    const s = new LineSplitter({ maxLength: 8 });
    const out = feed(s, '12345', '67890', 'abcdef', 'TAIL\nOK\n');
    expect(codes(out)).toEqual(['LINE_TOO_LONG']);
    expect(lines(out)).toEqual(['OK']);
  });

  it('drops an overlong line that arrives in one chunk with its terminator', () => {
    const out = feed(new LineSplitter({ maxLength: 4 }), 'ABCDE\nABCD\n');
    expect(codes(out)).toEqual(['LINE_TOO_LONG']);
    expect(lines(out)).toEqual(['ABCD']);
  });

  it('keeps memory bounded when the terminator never comes', () => {
    const s = new LineSplitter({ maxLength: 16 });
    for (let i = 0; i < 1000; i++) s.push(Buffer.alloc(1024, 0x41));
    expect(lines(feed(s, '\nafter\n'))).toEqual(['after']);
  });

  it('rejects binary garbage and invalid UTF-8 lines but keeps the good ones around them', () => {
    const out = feed(
      new LineSplitter(),
      'good1\n',
      [0x00, 0x01, 0xff, 0x41, 0x0a],
      [0xc3, 0x28, 0x0a],
      'x\x1by\n',
      'good2\n',
    );
    expect(lines(out)).toEqual(['good1', 'good2']);
    expect(codes(out)).toEqual(['LINE_NOT_TEXT', 'LINE_NOT_TEXT', 'LINE_NOT_TEXT']);
  });

  it('refuses an empty terminator or a non-positive maxLength', () => {
    expect(() => new LineSplitter({ terminator: '' })).toThrow(/terminator/);
    expect(() => new LineSplitter({ maxLength: 0 })).toThrow(/maxLength/);
  });
});
