import type { Log } from '@scenic/gate-agent';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface LogEntry {
  readonly at: number;
  readonly level: LogLevel;
  readonly message: string;
  readonly fields: object;
}

/**
 * The agent's log kept in memory for the simulator's screens (pino's JSON on stdout would tear the terminal UI
 * apart). Keeps the last `size` entries at info and above; `onEntry` lets the UI redraw.
 */
export class SimLog implements Log {
  readonly entries: LogEntry[] = [];
  onEntry: (entry: LogEntry) => void = () => {};
  readonly #size: number;

  constructor(size = 100) {
    this.#size = size;
  }

  debug(): void {}

  info(fields: object, message: string): void {
    this.#add('info', fields, message);
  }

  warn(fields: object, message: string): void {
    this.#add('warn', fields, message);
  }

  error(fields: object, message: string): void {
    this.#add('error', fields, message);
  }

  /** The latest warnings and errors, newest last. */
  problems(count: number): LogEntry[] {
    return this.entries.filter((e) => e.level === 'warn' || e.level === 'error').slice(-count);
  }

  #add(level: LogLevel, fields: object, message: string): void {
    const entry = { at: Date.now(), level, message, fields };
    this.entries.push(entry);
    if (this.entries.length > this.#size) this.entries.shift();
    this.onEntry(entry);
  }
}
