import { describe, expect, it } from 'vitest';
import { isProtocolError, type ProtocolError } from '../errors.js';
import { CHANNELS, type Channel } from './channels.js';
import { decodeMessage, decodeTopicMessage, encodeMessage, tryDecodeMessage } from './codec.js';
import { MESSAGE_SCHEMAS, MESSAGE_TYPES, type MessageType } from './messages/index.js';
import { EXAMPLES } from './testing.js';
import { gateTopic } from './topics.js';

function errorOf(fn: () => unknown): ProtocolError {
  try {
    fn();
  } catch (err) {
    if (isProtocolError(err)) return err;
    throw new Error(`expected a ProtocolError, got ${String(err)}`);
  }
  throw new Error('expected a ProtocolError, nothing was thrown');
}

const channelsOf = (type: MessageType) =>
  (Object.keys(CHANNELS) as Channel[]).filter((c) => (CHANNELS[c].types as readonly string[]).includes(type));

describe('round trips', () => {
  it('every message type survives encode → decode on every channel that carries it', () => {
    for (const type of MESSAGE_TYPES) {
      const channels = channelsOf(type);
      expect(channels.length, type).toBeGreaterThan(0);
      const expected = MESSAGE_SCHEMAS[type].parse(EXAMPLES[type]);
      for (const channel of channels) {
        const bytes = encodeMessage(EXAMPLES[type], channel);
        expect(decodeMessage(channel, bytes), `${type} on ${channel}`).toEqual(expected);
        expect(decodeMessage(channel, bytes.toString('utf8'))).toEqual(expected);
      }
    }
  });

  it('puts type and v first and fills defaults', () => {
    const bytes = encodeMessage({ ...EXAMPLES.command, action: { kind: 'sync' } });
    expect(bytes.toString('utf8')).toMatch(/^\{"type":"command","v":1,/);
    expect(decodeMessage('cmd', bytes)).toMatchObject({ action: { kind: 'sync', full: false } });
  });

  it('decodes a topic and its payload in one call', () => {
    const topic = gateTopic('park', 'G01', 'event/passage');
    const { topic: parsed, message } = decodeTopicMessage(topic, encodeMessage(EXAMPLES.passage));
    expect(parsed).toEqual({ version: 1, siteId: 'park', gateId: 'G01', channel: 'event/passage' });
    expect(message.type).toBe('passage');
  });

  it('tryDecodeMessage reports instead of throwing', () => {
    const ok = tryDecodeMessage('state', encodeMessage(EXAMPLES.gate_state));
    expect(ok.ok && ok.message.mode).toBe('normal');
    const bad = tryDecodeMessage('state', '{');
    expect(bad.ok ? null : bad.error.code).toBe('BAD_JSON');
  });
});

describe('rejections', () => {
  it('TOO_LARGE is decided from the size alone, before parsing', () => {
    const padding = ' '.repeat(4 * 1024);
    const text = `${encodeMessage(EXAMPLES.passage).toString('utf8')}${padding}`;
    expect(errorOf(() => decodeMessage('event/passage', text)).code).toBe('TOO_LARGE');
    expect(errorOf(() => decodeMessage('event/passage', Buffer.from(text))).code).toBe('TOO_LARGE');
    // Invalid JSON of the same size still reports TOO_LARGE: nothing was parsed.
    expect(errorOf(() => decodeMessage('cmd', Buffer.alloc(4097, 0x7b))).code).toBe('TOO_LARGE');
    // Multi-byte characters count as their UTF-8 size, not as string length.
    expect(errorOf(() => decodeMessage('cmd', '票'.repeat(1400))).code).toBe('TOO_LARGE');
    expect(errorOf(() => decodeMessage('whitelist', Buffer.alloc(1024 * 1024 + 1, 0x20))).code).toBe(
      'TOO_LARGE',
    );
    expect(errorOf(() => decodeMessage('whitelist', Buffer.alloc(1024 * 1024, 0x20))).code).toBe('BAD_JSON');
  });

  it('the encoder refuses to produce what the channel would refuse', () => {
    const ticketTypes = Array.from({ length: 1024 }, (_, i) => ({
      typeId: i + 1,
      name: { zh: '票'.repeat(32), en: 'n'.repeat(48) },
      gates: Array.from({ length: 256 }, (_, g) => `gate-${g}`),
    }));
    const err = errorOf(() => encodeMessage({ ...EXAMPLES.gate_config, ticketTypes }, 'config'));
    expect(err.code).toBe('TOO_LARGE');
    expect(err.details).toMatchObject({ limit: 256 * 1024 });
    expect(errorOf(() => encodeMessage(EXAMPLES.passage, 'cmd')).code).toBe('UNKNOWN_MESSAGE_TYPE');
    expect(errorOf(() => encodeMessage({ type: 'nope' } as never)).code).toBe('UNKNOWN_MESSAGE_TYPE');
    expect(errorOf(() => encodeMessage({ ...EXAMPLES.passage, persons: 0 })).code).toBe('BAD_MESSAGE');
  });

  it('BAD_JSON for text that is not JSON or bytes that are not UTF-8', () => {
    for (const payload of ['', '{', '{"type":"command",}', 'NaN', "{'type':'command'}", '\u0000']) {
      expect(errorOf(() => decodeMessage('cmd', payload)).code, payload).toBe('BAD_JSON');
    }
    const invalidUtf8 = Buffer.from([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x7d]);
    expect(errorOf(() => decodeMessage('cmd', invalidUtf8)).code).toBe('BAD_JSON');
  });

  it('UNKNOWN_MESSAGE_TYPE for a type that does not belong on the channel', () => {
    const passageOnCmd = errorOf(() => decodeMessage('cmd', encodeMessage(EXAMPLES.passage)));
    expect(passageOnCmd.code).toBe('UNKNOWN_MESSAGE_TYPE');
    expect(passageOnCmd.details).toMatchObject({ type: 'passage', channel: 'cmd', allowed: ['command'] });
    // A gate command is not a site command: the shapes differ, so the channels keep them apart.
    expect(errorOf(() => decodeMessage('site/cmd', encodeMessage(EXAMPLES.command))).code).toBe(
      'UNKNOWN_MESSAGE_TYPE',
    );
    expect(
      errorOf(() => decodeMessage('site/whitelist', encodeMessage(EXAMPLES.whitelist_snapshot))).code,
    ).toBe('UNKNOWN_MESSAGE_TYPE');
    for (const type of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', '']) {
      const code = errorOf(() => decodeMessage('cmd', JSON.stringify({ type, v: 1 }))).code;
      expect(code, type).toBe('UNKNOWN_MESSAGE_TYPE');
    }
  });

  it('BAD_MESSAGE with the failing paths in details', () => {
    const err = errorOf(() =>
      decodeMessage(
        'whitelist',
        JSON.stringify({ ...EXAMPLES.whitelist_snapshot, records: [{ ticketId: 0 }] }),
      ),
    );
    expect(err.code).toBe('BAD_MESSAGE');
    const paths = (err.details as { issues: { path: unknown[] }[] }).issues.map((i) => i.path.join('.'));
    expect(paths).toContain('records.0.ticketId');
    expect(paths).toContain('records.0.status');

    for (const payload of ['[]', 'null', '42', '"command"', '{}', '{"type":7}']) {
      expect(errorOf(() => decodeMessage('cmd', payload)).code, payload).toBe('BAD_MESSAGE');
    }
    const unknownKey = JSON.stringify({ ...EXAMPLES.command, extra: 1 });
    expect(errorOf(() => decodeMessage('cmd', unknownKey)).code).toBe('BAD_MESSAGE');
    const wrongVersion = JSON.stringify({ ...EXAMPLES.command, v: 2 });
    expect(errorOf(() => decodeMessage('cmd', wrongVersion)).code).toBe('BAD_MESSAGE');
  });

  it('caps the reported issues of a large bad chunk', () => {
    const records = Array.from({ length: 500 }, () => ({ ticketId: -1 }));
    const err = errorOf(() =>
      decodeMessage('whitelist', JSON.stringify({ ...EXAMPLES.whitelist_snapshot, records })),
    );
    const details = err.details as { issues: unknown[]; issueCount: number };
    expect(details.issues).toHaveLength(20);
    expect(details.issueCount).toBeGreaterThan(500);
  });

  it('prototype keys are plain unknown keys and pollute nothing', () => {
    const hostile = `{"type":"command","v":1,"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},
      "commandId":"c1","issuedAt":1,"expiresAt":2,"action":{"kind":"reboot"}}`;
    expect(errorOf(() => decodeMessage('cmd', hostile)).code).toBe('BAD_MESSAGE');
    const nested = JSON.stringify({ ...EXAMPLES.command, action: { kind: 'reboot' } }).replace(
      '"kind":"reboot"',
      '"kind":"reboot","__proto__":{"polluted":true}',
    );
    expect(errorOf(() => decodeMessage('cmd', nested)).code).toBe('BAD_MESSAGE');
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it('an unknown channel is BAD_TOPIC, not a crash', () => {
    for (const channel of ['nope', '__proto__', 'constructor']) {
      expect(errorOf(() => decodeMessage(channel as Channel, '{}')).code).toBe('BAD_TOPIC');
    }
    expect(errorOf(() => decodeMessage('cmd', 42 as unknown as string)).code).toBe('BAD_JSON');
  });
});
