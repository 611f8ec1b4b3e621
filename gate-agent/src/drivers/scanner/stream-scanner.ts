import type { Readable } from 'node:stream';
import { Emitter } from '../emitter.js';
import { asDriverError, DriverError } from '../errors.js';
import type { CodeScanner, CodeScannerEvents } from '../interfaces.js';
import { LineSplitter, type LineSplitterOptions } from './line-splitter.js';

export interface StreamScannerOptions extends LineSplitterOptions {
  /** Default process.stdin. */
  readonly input?: Readable;
}

/**
 * A keyboard-wedge scanner (USB HID typing into the console the agent runs on) or any byte stream that carries
 * one code per line: the agent's stdin, or a tty opened by the caller. Same line rules as the serial scanner.
 */
export class StreamScanner extends Emitter<CodeScannerEvents> implements CodeScanner {
  readonly #splitter: LineSplitter;
  readonly #input: Readable;
  #running = false;

  constructor(options: StreamScannerOptions = {}) {
    super();
    this.#splitter = new LineSplitter(options);
    this.#input = options.input ?? process.stdin;
  }

  readonly #onData = (chunk: Buffer | string) => {
    if (!this.#running) return;
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    for (const result of this.#splitter.push(bytes)) {
      if ('line' in result) this.emit('line', result.line);
      else this.emit('fault', result.error);
    }
  };

  readonly #onEnd = () => {
    this.emit('fault', new DriverError('INPUT_CLOSED', 'scanner input stream ended'));
  };

  readonly #onError = (err: Error) => {
    this.emit('fault', asDriverError(err, 'INPUT_CLOSED', 'scanner input stream failed'));
  };

  async start(): Promise<void> {
    if (this.#running) return;
    this.#running = true;
    this.#splitter.reset();
    this.#input.on('data', this.#onData);
    this.#input.on('end', this.#onEnd);
    this.#input.on('error', this.#onError);
  }

  async stop(): Promise<void> {
    if (!this.#running) return;
    this.#running = false;
    this.#input.off('data', this.#onData);
    this.#input.off('end', this.#onEnd);
    this.#input.off('error', this.#onError);
    // Let the process exit: a paused stdin does not keep the event loop alive.
    this.#input.pause();
  }
}
