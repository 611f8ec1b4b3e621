/**
 * The agent's own configuration file (JSON), written by the installer: who the gate is, where the broker is, where
 * data lives and which drivers run the hardware. Everything about ticket rules, modes and texts comes from the
 * cloud's gate config over MQTT instead.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { idStringSchema, RELAY_PULSE_MIN_MS } from '@scenic/protocol';
import { z } from 'zod';

const pin = z.strictObject({
  /** Line offset on the GPIO chip (not the global sysfs number). */
  line: z.number().int().min(0).max(1023),
  activeLow: z.boolean().default(false),
});

const hardwareDrivers = z.strictObject({
  kind: z.literal('hardware'),
  /** Label of the GPIO chip the lines belong to, e.g. "pinctrl-bcm2711"; default the first chip. */
  gpioChip: z.string().min(1).optional(),
  relays: z.strictObject({ entry: pin, exit: pin, alarm: pin }),
  passage: z.strictObject({
    entry: pin,
    exit: pin,
    debounceMs: z.number().int().min(0).max(1000).default(20),
    /**
     * An input active longer than this is a stuck input (jammed arm, blocked beam): the lane stops admitting that
     * way and raises the alarm. Longer than the slowest honest passage at this turnstile (a pram, a wheelchair).
     */
    stuckAfterMs: z.number().int().min(100).max(600_000).default(10_000),
  }),
  recycler: z
    .strictObject({
      sensor: pin,
      swallow: pin,
      eject: pin,
      actuateMs: z.number().int().min(50).max(5000).default(600),
    })
    .optional(),
  scanner: z.discriminatedUnion('kind', [
    z.strictObject({
      kind: z.literal('serial'),
      path: z.string().min(1),
      baudRate: z.number().int().positive().default(9600),
    }),
    /** A USB keyboard-wedge scanner typing into the agent's stdin. */
    z.strictObject({ kind: z.literal('stdin') }),
  ]),
  cardReader: z.strictObject({
    spiBus: z.number().int().min(0).max(9).default(0),
    spiDevice: z.number().int().min(0).max(9).default(0),
    speedHz: z.number().int().min(100_000).max(10_000_000).default(1_000_000),
    pollIntervalMs: z.number().int().min(10).max(1000).default(100),
    /**
     * GPIO line (on gpioChip) wired to the MFRC522's NRSTPD pin, if any: a hard reset through it cures a latched-up
     * chip that a soft reset cannot. Without it the pin is tied to 3.3 V and only soft resets are possible.
     */
    resetLine: z.number().int().min(0).max(1023).optional(),
    /** Oscillator start-up wait after a hard reset before the chip is spoken to. */
    resetSettleMs: z.number().int().min(1).max(1000).default(50),
  }),
  led: z.strictObject({
    path: z.string().min(1),
    baudRate: z.number().int().positive().default(9600),
    lines: z.number().int().min(1).max(4).default(2),
    widthBytes: z.number().int().min(8).max(64).default(16),
    charset: z.enum(['gb2312', 'utf8']).default('gb2312'),
  }),
  voice: z
    .strictObject({
      espeak: z.string().min(1).optional(),
      player: z.array(z.string().min(1)).min(1).optional(),
    })
    .default({}),
});

const virtualDrivers = z.strictObject({
  kind: z.literal('virtual'),
  /** A virtual visitor walks through this long after each release. */
  autoPassAfterMs: z.number().int().min(0).max(60_000).default(500),
});

export const agentConfigSchema = z.strictObject({
  siteId: idStringSchema,
  gateId: idStringSchema,
  /** The way this lane's scanner and card reader face. */
  direction: z.enum(['in', 'out']),
  broker: z.strictObject({
    url: z.string().regex(/^mqtts?:\/\/[^\s]+$/, 'must be an mqtt:// or mqtts:// URL'),
    username: z.string().min(1).optional(),
    password: z.string().min(1).optional(),
    reconnectMs: z.number().int().min(100).max(60_000).default(1_000),
    maxReconnectMs: z.number().int().min(100).max(600_000).default(30_000),
  }),
  /** Where the gate's SQLite store (and the voice clip cache) live. Relative paths are from the config file. */
  dataDir: z.string().min(1),
  /** Speak announcements; LED texts are always shown. */
  voice: z.boolean().default(true),
  /**
   * Local overrides of the cloud config for this turnstile's mechanics (installer's knowledge beats defaults). The
   * pulse has the cloud config's floor: shorter releases were missed by turnstile mechanisms, locking out a visitor.
   */
  relayPulseMs: z.number().int().min(RELAY_PULSE_MIN_MS).max(10_000).optional(),
  passageTimeoutMs: z.number().int().min(1_000).max(120_000).optional(),
  /** How long a group pass waits for the next person of the group (the cloud config's `groupIdleMs`). */
  groupIdleMs: z.number().int().min(1_000).max(120_000).optional(),
  logLevel: z.enum(['trace', 'debug', 'info', 'warn', 'error']).default('info'),
  drivers: z.discriminatedUnion('kind', [virtualDrivers, hardwareDrivers]),
});

export type AgentConfig = z.output<typeof agentConfigSchema>;
export type HardwareDriversConfig = z.output<typeof hardwareDrivers>;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Reads and validates a config file; every problem is listed with its path, so a typo is found in one go. */
export function loadAgentConfig(path: string): AgentConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read config file ${path}: ${(err as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`config file ${path} is not valid JSON: ${(err as Error).message}`);
  }
  const parsed = agentConfigSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new ConfigError(`config file ${path} is invalid:\n${problems.join('\n')}`);
  }
  return { ...parsed.data, dataDir: resolve(path, '..', parsed.data.dataDir) };
}
