import {
  type CodeScanner,
  type CodeScannerEvents,
  DriverError,
  Emitter,
  LineSplitter,
} from '@scenic/gate-agent/drivers';

/**
 * A scanner you feed by hand (a simulator's text box, a test). scan() sends a code as a scanner would, terminator
 * included; feed() sends raw bytes, so overlong lines and binary garbage take the real line rules.
 */
export class VirtualScanner extends Emitter<CodeScannerEvents> implements CodeScanner {
  readonly #splitter: LineSplitter;
  #running = false;

  constructor(options: { readonly maxLength?: number } = {}) {
    super();
    this.#splitter = new LineSplitter({ maxLength: options.maxLength ?? 1024 });
  }

  async start(): Promise<void> {
    if (this.#running) return;
    this.#running = true;
    this.#splitter.reset();
  }

  async stop(): Promise<void> {
    this.#running = false;
  }

  scan(code: string): void {
    this.feed(Buffer.from(`${code}\r\n`, 'utf8'));
  }

  feed(bytes: Uint8Array): void {
    if (!this.#running) throw new DriverError('NOT_STARTED', 'virtual scanner is not started');
    for (const result of this.#splitter.push(bytes)) {
      if ('line' in result) this.emit('line', result.line);
      else this.emit('fault', result.error);
    }
  }
}
