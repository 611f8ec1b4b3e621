/**
 * Hostile-input fuzzing of the decoder and the topic parser: whatever arrives, the only thing that may come out is a
 * decoded message or a ProtocolError. Deterministic (seeded) so a failure reproduces.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isProtocolError } from '../errors.js';
import { CHANNELS, type Channel, isGateChannel } from './channels.js';
import { decodeMessage, encodeMessage } from './codec.js';
import { MESSAGE_SCHEMAS, MESSAGE_TYPES } from './messages/index.js';
import { EXAMPLES } from './testing.js';
import { gateTopic, parseTopic, siteTopic } from './topics.js';

/** mulberry32: tiny, fast, seedable. */
function prng(seed: number) {
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
  return { next, int, pick };
}

const CHANNEL_LIST = Object.keys(CHANNELS) as Channel[];
const VALID: { channel: Channel; value: unknown; text: string }[] = MESSAGE_TYPES.flatMap((type) =>
  CHANNEL_LIST.filter((c) => (CHANNELS[c].types as readonly string[]).includes(type)).map((channel) => ({
    channel,
    value: MESSAGE_SCHEMAS[type].parse(EXAMPLES[type]),
    text: encodeMessage(EXAMPLES[type]).toString('utf8'),
  })),
);

const SNAPSHOT_TEXT = encodeMessage(EXAMPLES.whitelist_snapshot).toString('utf8');
const DECODE_CODES = new Set(['TOO_LARGE', 'BAD_JSON', 'UNKNOWN_MESSAGE_TYPE', 'BAD_MESSAGE']);

interface Tally {
  cases: number;
  accepted: number;
  codes: Map<string, number>;
}

/** Decodes and checks the contract; an accepted message must re-encode to the same thing. */
function probe(tally: Tally, channel: Channel, payload: Uint8Array | string): void {
  tally.cases++;
  let decoded: unknown;
  try {
    decoded = decodeMessage(channel, payload);
  } catch (err) {
    if (!isProtocolError(err) || !DECODE_CODES.has(err.code)) {
      throw new Error(
        `escaped: ${String(err)} for ${channel} ${JSON.stringify(String(payload).slice(0, 200))}`,
      );
    }
    tally.codes.set(err.code, (tally.codes.get(err.code) ?? 0) + 1);
    return;
  }
  tally.accepted++;
  const again = decodeMessage(channel, encodeMessage(decoded as never, channel));
  if (JSON.stringify(again) !== JSON.stringify(decoded)) throw new Error(`unstable round trip on ${channel}`);
}

const HOSTILE: unknown[] = [
  null,
  true,
  false,
  0,
  -1,
  -0,
  1.5,
  1e308,
  -1e308,
  2 ** 53,
  2 ** 64,
  Number.MIN_VALUE,
  '',
  'x'.repeat(300),
  '__proto__',
  'constructor',
  '\u0000',
  '\ud800',
  '12',
  [],
  [null],
  {},
  JSON.parse('{"__proto__":{"polluted":true}}'),
  { constructor: { prototype: { polluted: true } } },
  { type: 'command', v: 1 },
];

function nested(depth: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { a: value };
  return value;
}

type Path = (string | number)[];
function paths(value: unknown, prefix: Path = [], out: Path[] = []): Path[] {
  if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      const p = [...prefix, Array.isArray(value) ? Number(k) : k];
      out.push(p);
      paths(v, p, out);
    }
  }
  return out;
}

/** One structural mutation: delete, add a key, nest deeply, duplicate array items, nudge a number, or replace. */
function mutate(rnd: ReturnType<typeof prng>, value: unknown): unknown {
  // A JSON round trip (not structuredClone) keeps `__proto__` keys as plain own properties, as a decoder sees them.
  const copy = JSON.parse(JSON.stringify(value)) as Record<string | number, unknown>;
  const all = paths(copy);
  const path = rnd.pick(all);
  let parent: Record<string | number, unknown> = copy;
  for (const k of path.slice(0, -1)) parent = parent[k] as Record<string | number, unknown>;
  const key = path[path.length - 1]!;
  const op = rnd.int(6);
  if (op === 0) delete parent[key];
  else if (op === 1) parent[`${String(key)}_x`] = rnd.pick(HOSTILE);
  else if (op === 2) parent[key] = nested(1 + rnd.int(300));
  else if (op === 3 && Array.isArray(parent[key]))
    (parent[key] as unknown[]).push(...(parent[key] as unknown[]));
  else if (op === 4 && typeof parent[key] === 'number')
    parent[key] = (parent[key] as number) + rnd.pick([-1, 1]);
  else parent[key] = rnd.pick(HOSTILE);
  return copy;
}

const JSONISH = [
  '{',
  '}',
  '[',
  ']',
  '"',
  ':',
  ',',
  '0',
  '-',
  '1e9',
  'e',
  '.',
  'true',
  'null',
  '\\',
  '\\u00',
  ' ',
];
const NUMBER_SWAPS = [
  '1e999',
  '-1e999',
  '123456789012345678901234567890',
  '0.0000001',
  '-0',
  '1E+2',
  '00',
  '0x10',
];

describe('fuzzing the decoder and the topic parser', () => {
  it('only ProtocolError escapes, across ≥ 100,000 hostile payloads', () => {
    const rnd = prng(0x5eed);
    const tally: Tally = { cases: 0, accepted: 0, codes: new Map() };
    const validFor = () => {
      const v = rnd.pick(VALID);
      return { ...v, channel: rnd.next() < 0.85 ? v.channel : rnd.pick(CHANNEL_LIST) };
    };

    // Random bytes, mostly short, a few past the smaller channel limits.
    for (let i = 0; i < 20_000; i++) {
      const bytes = new Uint8Array(i % 100 === 0 ? 5_000 : rnd.int(200));
      for (let j = 0; j < bytes.length; j++) bytes[j] = rnd.int(256);
      probe(tally, rnd.pick(CHANNEL_LIST), bytes);
    }
    // JSON-looking token soup.
    for (let i = 0; i < 15_000; i++) {
      let text = '';
      for (let j = rnd.int(60); j > 0; j--) text += rnd.pick(JSONISH);
      probe(tally, rnd.pick(CHANNEL_LIST), text);
    }
    // Truncated valid messages.
    for (let i = 0; i < 15_000; i++) {
      const v = validFor();
      probe(tally, v.channel, Buffer.from(v.text.slice(0, rnd.int(v.text.length))));
    }
    // Byte-level mutations: flips, insertions, deletions, and number literals swapped for extreme ones.
    for (let i = 0; i < 20_000; i++) {
      const v = validFor();
      let text = v.text;
      for (let n = 1 + rnd.int(3); n > 0; n--) {
        const at = rnd.int(text.length);
        const op = rnd.int(4);
        if (op === 0) text = text.slice(0, at) + String.fromCharCode(rnd.int(128)) + text.slice(at + 1);
        else if (op === 1) text = text.slice(0, at) + rnd.pick(JSONISH) + text.slice(at);
        else if (op === 2) text = text.slice(0, at) + text.slice(at + 1 + rnd.int(8));
        else text = text.replace(/-?\d+(\.\d+)?/, rnd.pick(NUMBER_SWAPS));
      }
      probe(tally, v.channel, rnd.next() < 0.5 ? text : Buffer.from(text));
    }
    // Structural mutations of valid messages: wrong types, missing and unknown keys, prototype keys, nesting.
    for (let i = 0; i < 25_000; i++) {
      const v = validFor();
      let value = v.value;
      for (let n = 1 + rnd.int(2); n > 0; n--) value = mutate(rnd, value);
      probe(tally, v.channel, JSON.stringify(value));
    }
    // Deep nesting right up to the large channels' limits.
    for (let i = 0; i < 60; i++) {
      const depth = 2 * (500 + rnd.int(75_000));
      const text = rnd.next() < 0.5 ? `${'['.repeat(depth)}${']'.repeat(depth)}` : '{"a":'.repeat(depth);
      probe(tally, rnd.pick(['whitelist', 'config', 'site/whitelist', 'cmd'] as const), text);
      const deep = `${'['.repeat(depth / 2)}${']'.repeat(depth / 2)}`;
      probe(tally, 'whitelist', `{"type":${deep},"v":1}`);
      probe(tally, 'whitelist', SNAPSHOT_TEXT.replace('"records":[', `"records":[${deep},`));
    }
    // Arbitrary JSON values, bare and dressed as messages of every type.
    fc.assert(
      fc.property(
        fc.jsonValue(),
        fc.constantFrom(...CHANNEL_LIST),
        fc.constantFrom(undefined, ...MESSAGE_TYPES),
        (value, channel, type) => {
          const dressed = type === undefined ? value : { type, v: 1, body: value };
          probe(tally, channel, JSON.stringify(dressed) ?? 'undefined');
        },
      ),
      { numRuns: 6_000, seed: 42 },
    );

    expect(tally.cases).toBeGreaterThanOrEqual(100_000);
    for (const code of DECODE_CODES) expect(tally.codes.get(code) ?? 0, code).toBeGreaterThan(50);
    // Some mutations (e.g. another valid number) still decode, and those passed the round-trip check above.
    expect(tally.accepted).toBeGreaterThan(100);
    // CPU-bound: about 15 s alone, twice that when the rest of the suite shares the cores.
  }, 120_000);

  it('random topics either parse back to themselves or are BAD_TOPIC', () => {
    const rnd = prng(0x70b1c);
    const segments = [
      'sg',
      'v1',
      'v2',
      'gate',
      'site',
      'state',
      'heartbeat',
      'event',
      'passage',
      'cmd',
      'ack',
      'whitelist',
      'req',
      'validate',
      'res',
      'config',
      'park',
      'G01',
      '+',
      '#',
      '',
      '$SYS',
      '__proto__',
      'x'.repeat(64),
      'x'.repeat(65),
      'a b',
      '票',
    ];
    let parsed = 0;
    for (let i = 0; i < 20_000; i++) {
      const parts = rnd.next() < 0.6 ? ['sg', 'v1', rnd.pick(segments), rnd.pick(['gate', 'site'])] : [];
      for (let n = rnd.int(5); n > 0; n--)
        parts.push(rnd.next() < 0.9 ? rnd.pick(segments) : String(rnd.next()));
      const topic = parts.join('/');
      try {
        const t = parseTopic(topic);
        parsed++;
        const rebuilt =
          t.gateId !== undefined && isGateChannel(t.channel)
            ? gateTopic(t.siteId, t.gateId, t.channel)
            : siteTopic(t.siteId, t.channel as 'site/cmd');
        expect(rebuilt).toBe(topic);
      } catch (err) {
        if (!isProtocolError(err) || err.code !== 'BAD_TOPIC') throw err;
      }
    }
    expect(parsed).toBeGreaterThan(100);
  });
});
