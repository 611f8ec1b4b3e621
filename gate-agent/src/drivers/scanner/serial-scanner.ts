import { Emitter } from '../emitter.js';
import { asDriverError, DriverError } from '../errors.js';
import type { CodeScanner, CodeScannerEvents } from '../interfaces.js';
import {
  closePort,
  openPort,
  type SerialPortFactory,
  type SerialPortLike,
  systemSerialPort,
} from '../serial/serial-port.js';
import { LineSplitter, type LineSplitterOptions } from './line-splitter.js';

export interface SerialScannerOptions extends LineSplitterOptions {
  /** e.g. /dev/ttyACM0 (USB-CDC scanner) or /dev/ttyS0 (RS-232 module). */
  readonly path: string;
  /** Default 9600, the factory setting of most fixed-mount scanners. */
  readonly baudRate?: number;
  /** After the port drops (USB unplugged), try to reopen this often. Default 2000 ms. */
  readonly reconnectMs?: number;
  readonly portFactory?: SerialPortFactory;
}

/**
 * A barcode/QR scanner on a serial port. A failed open at start() rejects (SERIAL_IO): a gate booting without its
 * scanner must say so. A port lost while running is one `fault`, then reopened quietly until it is back.
 */
export class SerialScanner extends Emitter<CodeScannerEvents> implements CodeScanner {
  readonly #options: SerialScannerOptions;
  readonly #splitter: LineSplitter;
  readonly #factory: SerialPortFactory;
  #port: SerialPortLike | undefined;
  #running = false;
  #reconnectTimer: NodeJS.Timeout | undefined;

  constructor(options: SerialScannerOptions) {
    super();
    this.#splitter = new LineSplitter(options);
    this.#options = options;
    this.#factory = options.portFactory ?? systemSerialPort;
  }

  async start(): Promise<void> {
    if (this.#running) return;
    await this.#open();
    this.#running = true;
  }

  async stop(): Promise<void> {
    this.#running = false;
    clearTimeout(this.#reconnectTimer);
    const port = this.#port;
    this.#port = undefined;
    if (port) await closePort(port);
  }

  async #open(): Promise<void> {
    const { path } = this.#options;
    const port = this.#factory({ path, baudRate: this.#options.baudRate ?? 9600 });
    this.#splitter.reset();
    const current = () => this.#port === port;
    port.on('data', (chunk) => {
      if (!current()) return;
      for (const result of this.#splitter.push(chunk)) {
        if ('line' in result) this.emit('line', result.line);
        else this.emit('fault', result.error);
      }
    });
    port.on('error', (err) => {
      if (current()) this.emit('fault', asDriverError(err, 'SERIAL_IO', `scanner ${path}`));
    });
    port.on('close', () => {
      if (!current() || !this.#running) return;
      this.#port = undefined;
      this.emit('fault', new DriverError('SERIAL_IO', `scanner ${path} disconnected; reconnecting`));
      this.#scheduleReconnect();
    });
    this.#port = port;
    try {
      await openPort(port, path);
    } catch (err) {
      this.#port = undefined;
      throw err;
    }
  }

  #scheduleReconnect(): void {
    this.#reconnectTimer = setTimeout(() => {
      if (!this.#running) return;
      this.#open().catch(() => {
        if (this.#running) this.#scheduleReconnect();
      });
    }, this.#options.reconnectMs ?? 2000);
  }
}
