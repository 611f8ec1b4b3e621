/**
 * Hostile payloads on a gate's own gate → cloud topics, for fuzzing the cloud's MQTT side: random bytes, truncated
 * JSON, random JSON (the route fuzzer's generators: every value type, huge and unwritable numbers, big strings),
 * deep nesting, oversized payloads, another channel's message, another gate's id, byte-level damage of a valid
 * message, and a valid message with one field mutated. Every payload handed out is one the protocol's decoder
 * refuses on that topic (or an empty payload, which is no message): a mutation that happens to stay valid is
 * counted and not sent, so "nothing stored from invalid input" is exactly what a test can check afterwards.
 *
 * Deterministic for a seed: fast-check pools sampled once, then a small PRNG picks and damages.
 */
import {
  CHANNELS,
  GATE_CHANNELS,
  type GateChannel,
  gateTopic,
  type MessageInput,
  tryDecodeMessage,
} from '@scenic/protocol';
import fc from 'fast-check';
import { deepJson, jsonText, jsonValue, mutationsOf } from '../../platform/fuzz/inputs.js';
import { MAX_INBOUND_PACKET_BYTES } from '../packet-limit.js';

/** The channels a gate publishes on (fuzz.test.ts checks this against the protocol's channel table). */
export const GATE_TO_CLOUD = [
  'state',
  'heartbeat',
  'event/passage',
  'event/denial',
  'cmd/ack',
  'whitelist/req',
  'validate/req',
] as const satisfies readonly GateChannel[];
export type GateToCloud = (typeof GATE_TO_CLOUD)[number];

/** The protocol's own list, for that check. */
export function protocolGateToCloud(): GateChannel[] {
  return GATE_CHANNELS.filter((c) => CHANNELS[c].from === 'gate');
}

/** mulberry32: tiny, fast and seedable, so a failing run reproduces from its seed. */
export function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  const bytes = (n: number) => {
    const out = Buffer.allocUnsafe(n);
    for (let i = 0; i < n; i++) out[i] = int(256);
    return out;
  };
  return { next, int, pick, bytes };
}
export type Prng = ReturnType<typeof prng>;

/** One valid message of every gate → cloud channel, from `gateId` (what a mutation starts from). */
export function validGateMessages(gateId: string, now = Date.now()): Record<GateToCloud, MessageInput> {
  return {
    state: {
      type: 'gate_state',
      v: 1,
      gateId,
      online: true,
      mode: 'normal',
      denyUnauthorized: true,
      firmware: '1.4.2',
      whitelistVersion: 5,
      configVersion: 1,
      since: now,
    },
    heartbeat: {
      type: 'heartbeat',
      v: 1,
      gateId,
      at: now,
      uptimeSec: 86_400,
      counters: { scans: 1204, admits: 1187, denies: 17 },
      outboxDepth: 0,
      whitelistVersion: 5,
      configVersion: 1,
    },
    'event/passage': {
      type: 'passage',
      v: 1,
      eventId: '01JT2ZK6Q8X9B4M3N5P7R2S0VW',
      gateId,
      at: now,
      ticketId: 100_234,
      credentialKind: 'barcode',
      direction: 'in',
      persons: 1,
      entriesLeft: 7,
      decidedOffline: false,
      correlationId: 'vr-8812',
    },
    'event/denial': {
      type: 'denial',
      v: 1,
      eventId: '3f2b8c1e-9d4a-4f6b-8e2c-7a1d5b9c0e34',
      gateId,
      at: now,
      direction: 'in',
      reason: 'EXPIRED',
      credentialKind: 'qr',
      ticketId: 99_871,
      codeHash: 'a'.repeat(64),
    },
    'cmd/ack': {
      type: 'command_ack',
      v: 1,
      commandId: 'cmd-20250501-0001',
      gateId,
      result: 'ok',
      reason: null,
      at: now,
    },
    'whitelist/req': {
      type: 'sync_request',
      v: 1,
      requestId: 'sr-1',
      gateId,
      haveVersion: 5,
      full: false,
      reason: 'gap',
      at: now,
    },
    'validate/req': {
      type: 'validate_request',
      v: 1,
      correlationId: 'vr-8812',
      gateId,
      credential: { kind: 'card', cardUid: '04A2B3C4D5E6F7' },
      direction: 'in',
      at: now,
      deadlineAt: now + 800,
    },
  };
}

export interface FuzzFrame {
  readonly topic: string;
  readonly channel: GateToCloud;
  readonly payload: Buffer;
  readonly kind: PayloadKind;
}

const KINDS = [
  'random-bytes',
  'truncated-json',
  'random-json',
  'mutated-field',
  'deep-nesting',
  'oversized',
  'wrong-channel',
  'other-gate',
  'damaged-bytes',
  'duplicate-keys',
  'empty',
] as const;
export type PayloadKind = (typeof KINDS)[number];
/** How often each kind comes up (relative): mostly cheap frames, a few big ones. */
const WEIGHTS: Record<PayloadKind, number> = {
  'random-bytes': 10,
  'truncated-json': 10,
  'random-json': 14,
  'mutated-field': 30,
  'deep-nesting': 3,
  oversized: 1,
  'wrong-channel': 6,
  'other-gate': 6,
  'damaged-bytes': 14,
  'duplicate-keys': 4,
  empty: 2,
};
/** Pool values above this are left out: big payloads come from the `oversized` kind, at its own (low) rate. */
const POOL_MAX_BYTES = 8 * 1024;
/**
 * The biggest payload sent: past every gate → cloud channel's 4 KiB, so refused as TOO_LARGE, but within the embedded
 * broker's packet bound (packet-limit.ts), past which the broker drops the gate instead — raw packets
 * (fuzz-packets.ts) cover that, and a gate's client would only send the same packet again on reconnecting.
 */
const MAX_PAYLOAD_BYTES = MAX_INBOUND_PACKET_BYTES - 1_024;

export interface PayloadFuzzer {
  /** The next invalid frame on one of the gate's own gate → cloud topics. */
  next(): FuzzFrame;
  /** Generated mutations the decoder accepted (valid after all), which were not handed out. */
  readonly stillValid: number;
}

export function payloadFuzzer(options: {
  siteId: string;
  gateId: string;
  /** A gate of the same site whose id a message may carry instead (GATE_MISMATCH). */
  otherGateId: string;
  seed: number;
  /** fast-check values sampled per pool (more: more variety, slower start). */
  poolSize?: number;
}): PayloadFuzzer {
  const { siteId, gateId, otherGateId, seed } = options;
  const poolSize = options.poolSize ?? 300;
  const rnd = prng(seed);
  const valid = validGateMessages(gateId);
  const texts = Object.fromEntries(
    GATE_TO_CLOUD.map((c) => [c, Buffer.from(JSON.stringify(valid[c]))]),
  ) as Record<GateToCloud, Buffer>;
  const topics = Object.fromEntries(GATE_TO_CLOUD.map((c) => [c, gateTopic(siteId, gateId, c)])) as Record<
    GateToCloud,
    string
  >;
  const small = (text: string) => text.length <= POOL_MAX_BYTES;
  const keys = [...new Set(GATE_TO_CLOUD.flatMap((c) => paths(valid[c])))];
  const randomJson = fc
    .sample(jsonValue(keys), { numRuns: poolSize * 2, seed })
    .map(jsonText)
    .filter(small);
  const mutants = Object.fromEntries(
    GATE_TO_CLOUD.map((c, i) => [
      c,
      fc
        .sample(mutationsOf(valid[c], keys), { numRuns: poolSize, seed: seed + i + 1 })
        .map(jsonText)
        .filter(small),
    ]),
  ) as Record<GateToCloud, string[]>;
  const deep = [
    ...fc
      .sample(deepJson, { numRuns: 6, seed })
      .map(jsonText)
      .filter((text) => text.length <= MAX_PAYLOAD_BYTES),
    `${'['.repeat(1_900)}${']'.repeat(1_900)}`,
    `${'{"a":'.repeat(700)}1${'}'.repeat(700)}`,
  ];
  const weighted = KINDS.flatMap((k) => Array<PayloadKind>(WEIGHTS[k]).fill(k));
  let stillValid = 0;

  function build(kind: PayloadKind, channel: GateToCloud): Buffer {
    const base = texts[channel];
    switch (kind) {
      case 'random-bytes':
        return rnd.bytes(rnd.int(600));
      case 'truncated-json':
        return base.subarray(0, rnd.int(base.length));
      case 'random-json':
        return Buffer.from(rnd.pick(randomJson));
      case 'mutated-field':
        return Buffer.from(rnd.pick(mutants[channel]));
      case 'deep-nesting':
        return Buffer.from(rnd.pick(deep));
      case 'oversized': {
        // Past the channel's 4 KiB, sometimes far past it; refused by size before it is read.
        const size = 4 * 1024 + 1 + rnd.int(rnd.next() < 0.8 ? 4_096 : MAX_PAYLOAD_BYTES - 4 * 1024);
        const text = `{"type":${JSON.stringify((valid[channel] as { type: string }).type)},"pad":"`;
        return Buffer.concat([
          Buffer.from(text),
          Buffer.alloc(size - text.length - 2, 0x78),
          Buffer.from('"}'),
        ]);
      }
      case 'wrong-channel': {
        const other = rnd.pick(GATE_TO_CLOUD.filter((c) => c !== channel));
        return texts[other];
      }
      case 'other-gate':
        return Buffer.from(JSON.stringify({ ...valid[channel], gateId: otherGateId }));
      case 'damaged-bytes':
        return damage(rnd, base);
      case 'duplicate-keys': {
        // JSON.parse keeps the last of duplicate keys: a valid body followed by a bad repeat of one field.
        const key = rnd.pick(Object.keys(valid[channel]));
        const junk = rnd.pick([
          'null',
          '"x"',
          '1e309',
          '-1',
          '{"__proto__":{"polluted":true}}',
          '[]',
          '"gate_state"',
        ]);
        return Buffer.from(`${base.toString('utf8').slice(0, -1)},${JSON.stringify(key)}:${junk}}`);
      }
      case 'empty':
        return Buffer.alloc(0);
    }
  }

  function isInvalid(channel: GateToCloud, payload: Buffer): boolean {
    // An empty retained payload clears the retained message: no message, nothing stored (bus.ts).
    if (payload.length === 0) return true;
    const decoded = tryDecodeMessage(channel, payload);
    if (!decoded.ok) return true;
    return (decoded.message as { gateId?: string }).gateId !== gateId;
  }

  return {
    get stillValid() {
      return stillValid;
    },
    next() {
      for (;;) {
        const channel = rnd.pick(GATE_TO_CLOUD);
        const kind = rnd.pick(weighted);
        const payload = build(kind, channel);
        if (isInvalid(channel, payload)) return { topic: topics[channel], channel, payload, kind };
        stillValid++;
      }
    },
  };
}

/** A few byte-level changes: flips, inserted or deleted bytes, a duplicated slice, a cut. */
export function damage(rnd: Prng, base: Buffer): Buffer {
  let out = Buffer.from(base);
  const edits = 1 + rnd.int(4);
  for (let e = 0; e < edits && out.length > 0; e++) {
    const at = rnd.int(out.length);
    switch (rnd.int(5)) {
      case 0:
        out[at] = out[at]! ^ (1 << rnd.int(8));
        break;
      case 1:
        out = Buffer.concat([out.subarray(0, at), rnd.bytes(1 + rnd.int(4)), out.subarray(at)]);
        break;
      case 2:
        out = Buffer.concat([out.subarray(0, at), out.subarray(at + 1 + rnd.int(8))]);
        break;
      case 3: {
        const end = Math.min(out.length, at + 1 + rnd.int(32));
        out = Buffer.concat([out.subarray(0, end), out.subarray(at, end), out.subarray(end)]);
        break;
      }
      default:
        out = out.subarray(0, at);
    }
  }
  return out;
}

function paths(value: unknown): string[] {
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => [k, ...paths(v)]);
}
