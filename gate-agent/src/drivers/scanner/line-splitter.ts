import { DriverError } from '../errors.js';

export interface LineSplitterOptions {
  /**
   * 'auto' (default): CR, LF or CRLF each end a line, so it does not matter how the scanner is configured.
   * Any other string: exactly that byte sequence (UTF-8) ends a line, e.g. '\t' or '\x03'.
   */
  readonly terminator?: 'auto' | string;
  /** Longest accepted line in bytes, terminator excluded. Default 1024: a signed QR ticket is ~150. */
  readonly maxLength?: number;
}

export type SplitResult = { readonly line: string } | { readonly error: DriverError };

const CR = 0x0d;
const LF = 0x0a;
// C0 and C1 controls and DEL. Tickets carry no GS1 FNC1 (GS) separators, so none is legitimate in a code.
const CONTROL = /\p{Cc}/u;

/**
 * Turns a byte stream from a scanner into lines, with bounded memory: a stream that never sends a terminator
 * (wrong baud rate, a stuck device) cannot grow the buffer beyond maxLength. An overlong line is dropped whole —
 * its head and its tail — and reported once; binary garbage or non-UTF-8 bytes drop the line they are in.
 */
export class LineSplitter {
  readonly #terminator: Buffer | 'auto';
  readonly #maxLength: number;
  #decoder = new TextDecoder('utf-8', { fatal: true });
  #pending: Buffer = Buffer.alloc(0);
  /** Inside an overlong line: drop bytes until its terminator. */
  #discarding = false;
  /** The previous chunk ended in CR ('auto' mode): a leading LF completes that CRLF, it is not an empty line. */
  #afterCr = false;

  constructor(options: LineSplitterOptions = {}) {
    const terminator = options.terminator ?? 'auto';
    if (terminator !== 'auto' && terminator.length === 0) {
      throw new DriverError('BAD_CONFIG', 'scanner line terminator must not be empty');
    }
    this.#terminator = terminator === 'auto' ? 'auto' : Buffer.from(terminator, 'utf8');
    this.#maxLength = options.maxLength ?? 1024;
    if (!Number.isInteger(this.#maxLength) || this.#maxLength < 1) {
      throw new DriverError('BAD_CONFIG', 'scanner maxLength must be a positive integer');
    }
  }

  /** Forgets any partial line, e.g. after a reconnect: half a code must not prefix the next one. */
  reset(): void {
    this.#pending = Buffer.alloc(0);
    this.#discarding = false;
    this.#afterCr = false;
    this.#decoder = new TextDecoder('utf-8', { fatal: true });
  }

  push(chunk: Uint8Array): SplitResult[] {
    const results: SplitResult[] = [];
    let data = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (this.#afterCr && data.length > 0) {
      if (data[0] === LF) data = data.subarray(1);
      this.#afterCr = false;
    }
    this.#pending = this.#pending.length === 0 ? data : Buffer.concat([this.#pending, data]);
    for (;;) {
      const found = this.#findTerminator();
      if (!found) break;
      const body = this.#pending.subarray(0, found.start);
      this.#pending = this.#pending.subarray(found.end);
      if (this.#discarding) {
        this.#discarding = false;
        continue;
      }
      const result = this.#toLine(body);
      if (result) results.push(result);
    }
    // No terminator in what is left: bound it.
    const keep = this.#terminator === 'auto' ? 0 : this.#terminator.length - 1;
    if (this.#discarding) {
      this.#pending = Buffer.from(this.#pending.subarray(Math.max(0, this.#pending.length - keep)));
    } else if (this.#pending.length > this.#maxLength + keep) {
      this.#discarding = true;
      this.#pending = Buffer.from(this.#pending.subarray(this.#pending.length - keep));
      results.push({
        error: new DriverError('LINE_TOO_LONG', `scanned line longer than ${this.#maxLength} bytes dropped`),
      });
    } else {
      // Own the bytes: the chunk's buffer may be reused by the stream.
      this.#pending = Buffer.from(this.#pending);
    }
    return results;
  }

  #findTerminator(): { start: number; end: number } | null {
    const buf = this.#pending;
    if (this.#terminator !== 'auto') {
      const start = buf.indexOf(this.#terminator);
      return start < 0 ? null : { start, end: start + this.#terminator.length };
    }
    for (let i = 0; i < buf.length; i++) {
      const b = buf[i];
      if (b === LF) return { start: i, end: i + 1 };
      if (b === CR) {
        if (i + 1 < buf.length) return { start: i, end: buf[i + 1] === LF ? i + 2 : i + 1 };
        this.#afterCr = true;
        return { start: i, end: i + 1 };
      }
    }
    return null;
  }

  #toLine(body: Buffer): SplitResult | null {
    if (body.length === 0) return null;
    if (body.length > this.#maxLength) {
      return {
        error: new DriverError('LINE_TOO_LONG', `scanned line longer than ${this.#maxLength} bytes dropped`),
      };
    }
    let text: string;
    try {
      text = this.#decoder.decode(body);
    } catch {
      return { error: new DriverError('LINE_NOT_TEXT', 'scanned line is not valid UTF-8; dropped') };
    }
    if (CONTROL.test(text)) {
      return { error: new DriverError('LINE_NOT_TEXT', 'scanned line contains control characters; dropped') };
    }
    return { line: text };
  }
}
