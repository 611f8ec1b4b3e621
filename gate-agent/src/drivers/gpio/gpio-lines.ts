/**
 * GPIO lines as the relay, passage and recycler drivers need them: outputs driven to a level, inputs read and
 * watched for edges. Two implementations: sysfs via onoff (onoff-gpio.ts) and in memory (memory-gpio.ts).
 * Levels here are electrical (1 = high); active-low wiring is handled by the drivers above.
 */
export type Level = 0 | 1;

export interface GpioOutput {
  write(level: Level): Promise<void>;
  release(): void;
}

export interface GpioInput {
  read(): Promise<Level>;
  /** Called on every edge with the new level (after debouncing). */
  watch(listener: (level: Level) => void): void;
  release(): void;
}

export interface GpioLines {
  /** Claims `line` as an output already driven to `initial`, so it never glitches through the other level. */
  output(line: number, initial: Level): Promise<GpioOutput>;
  input(line: number, options?: { readonly debounceMs?: number }): Promise<GpioInput>;
}
