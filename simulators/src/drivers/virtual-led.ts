import {
  DriverError,
  Emitter,
  fitLedText,
  type LedCharset,
  type LedColour,
  type LedContent,
  type LedDisplay,
  type LedDisplayEvents,
} from '@scenic/gate-agent/drivers';

export interface VirtualLedOptions {
  readonly lines?: number;
  readonly widthBytes?: number;
  readonly charset?: LedCharset;
  readonly colour?: LedColour;
}

/**
 * An LED display that keeps its current lines, cut exactly as the real serial display cuts them (same width in
 * bytes, same charset), so what the simulator shows is what the lane would show.
 */
export class VirtualLed extends Emitter<LedDisplayEvents> implements LedDisplay {
  readonly #lines: number;
  readonly #widthBytes: number;
  readonly #charset: LedCharset;
  readonly #colour: LedColour;
  #content: Required<LedContent>;

  constructor(options: VirtualLedOptions = {}) {
    super();
    this.#lines = options.lines ?? 2;
    this.#widthBytes = options.widthBytes ?? 16;
    this.#charset = options.charset ?? 'gb2312';
    this.#colour = options.colour ?? 'green';
    this.#content = { lines: [], colour: this.#colour };
  }

  get content(): Required<LedContent> {
    return this.#content;
  }

  async start(): Promise<void> {}

  async stop(): Promise<void> {}

  async show(content: LedContent): Promise<void> {
    if (content.lines.length > this.#lines) {
      throw new DriverError(
        'LED_TOO_MANY_LINES',
        `LED has ${this.#lines} lines, asked to show ${content.lines.length}`,
      );
    }
    const lines = content.lines.map(
      (line) => fitLedText(line, { charset: this.#charset, widthBytes: this.#widthBytes }).text,
    );
    this.#content = { lines, colour: content.colour ?? this.#colour };
    this.emit('shown', this.#content);
  }

  async clear(): Promise<void> {
    this.#content = { lines: [], colour: this.#colour };
    this.emit('shown', this.#content);
  }
}
