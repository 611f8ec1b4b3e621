import { Emitter } from '../emitter.js';
import { DriverError, isDriverError } from '../errors.js';
import type { LedColour, LedContent, LedDisplay, LedDisplayEvents } from '../interfaces.js';
import {
  closePort,
  openPort,
  type SerialPortFactory,
  type SerialPortLike,
  systemSerialPort,
  writeAll,
} from '../serial/serial-port.js';
import {
  fitLedText,
  type LedCharset,
  ledClearFrame,
  ledTextFrame,
  MAX_LINE_WIDTH,
  MAX_LINES,
} from './led-frame.js';

export interface SerialLedDisplayOptions {
  readonly path: string;
  /** Default 9600. */
  readonly baudRate?: number;
  /** Lines on the display. Default 2. */
  readonly lines?: number;
  /** Bytes per line. Default 16: eight hanzi on a 128×16 single-colour module. */
  readonly widthBytes?: number;
  /** Default gb2312, what most Chinese LED controller cards expect. */
  readonly charset?: LedCharset;
  /** Colour when show() names none. Default green. */
  readonly colour?: LedColour;
  readonly portFactory?: SerialPortFactory;
}

/** The lane's LED text display on a serial port, speaking the framed protocol of led-frame.ts. */
export class SerialLedDisplay extends Emitter<LedDisplayEvents> implements LedDisplay {
  readonly #options: SerialLedDisplayOptions;
  readonly #lines: number;
  readonly #widthBytes: number;
  readonly #charset: LedCharset;
  readonly #colour: LedColour;
  readonly #factory: SerialPortFactory;
  #port: SerialPortLike | undefined;
  #content: Required<LedContent>;

  constructor(options: SerialLedDisplayOptions) {
    super();
    this.#options = options;
    this.#lines = options.lines ?? 2;
    this.#widthBytes = options.widthBytes ?? 16;
    this.#charset = options.charset ?? 'gb2312';
    this.#colour = options.colour ?? 'green';
    this.#factory = options.portFactory ?? systemSerialPort;
    if (!Number.isInteger(this.#lines) || this.#lines < 1 || this.#lines > MAX_LINES) {
      throw new DriverError('BAD_CONFIG', `LED lines must be 1–${MAX_LINES}`);
    }
    if (!Number.isInteger(this.#widthBytes) || this.#widthBytes < 2 || this.#widthBytes > MAX_LINE_WIDTH) {
      throw new DriverError('BAD_CONFIG', `LED widthBytes must be 2–${MAX_LINE_WIDTH}`);
    }
    this.#content = { lines: [], colour: this.#colour };
  }

  get content(): Required<LedContent> {
    return this.#content;
  }

  async start(): Promise<void> {
    if (this.#port) return;
    const port = this.#factory({ path: this.#options.path, baudRate: this.#options.baudRate ?? 9600 });
    port.on('error', (err) =>
      this.emit('fault', new DriverError('SERIAL_IO', `LED ${this.#options.path}: ${err.message}`)),
    );
    await openPort(port, this.#options.path);
    this.#port = port;
    await this.clear();
  }

  async stop(): Promise<void> {
    const port = this.#port;
    this.#port = undefined;
    if (port) await closePort(port);
  }

  async show(content: LedContent): Promise<void> {
    if (content.lines.length > this.#lines) {
      throw new DriverError(
        'LED_TOO_MANY_LINES',
        `LED has ${this.#lines} lines, asked to show ${content.lines.length}`,
      );
    }
    const colour = content.colour ?? this.#colour;
    const fitted = Array.from({ length: this.#lines }, (_, i) =>
      fitLedText(content.lines[i] ?? '', { charset: this.#charset, widthBytes: this.#widthBytes }),
    );
    // Blank lines are sent too: the display keeps whatever a line last received.
    if (!(await this.#send(Buffer.concat(fitted.map((f, i) => ledTextFrame(i + 1, colour, f.bytes))))))
      return;
    this.#content = { lines: fitted.slice(0, content.lines.length).map((f) => f.text), colour };
    this.emit('shown', this.#content);
  }

  async clear(): Promise<void> {
    if (!(await this.#send(ledClearFrame()))) return;
    this.#content = { lines: [], colour: this.#colour };
    this.emit('shown', this.#content);
  }

  /** A failed write is a fault (and false): the gate keeps working without its display. */
  async #send(bytes: Buffer): Promise<boolean> {
    const port = this.#port;
    if (!port) throw new DriverError('NOT_STARTED', 'LED display is not started');
    try {
      if (!port.isOpen) await openPort(port, this.#options.path);
      await writeAll(port, bytes, this.#options.path);
      return true;
    } catch (err) {
      this.emit('fault', isDriverError(err) ? err : new DriverError('SERIAL_IO', String(err)));
      return false;
    }
  }
}
