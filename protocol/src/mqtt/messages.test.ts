import { describe, expect, it } from 'vitest';
import type { CredentialRecord } from '../model.js';
import { CHANNELS } from './channels.js';
import { encodeMessage } from './codec.js';
import {
  commandAckSchema,
  commandSchema,
  commandTargetsGate,
  denialEventSchema,
  gateConfigSchema,
  gateStateSchema,
  heartbeatSchema,
  MAX_DEGRADED,
  MAX_DELTA_REMOVALS,
  MAX_DELTA_UPSERTS,
  MAX_SNAPSHOT_RECORDS,
  MODE_OF_COMMAND,
  passageEventSchema,
  RELAY_PULSE_MIN_MS,
  siteCommandSchema,
  validateRequestSchema,
  validateResponseSchema,
  whitelistDeltaSchema,
  whitelistSnapshotSchema,
} from './messages/index.js';
import { EXAMPLES, RECORD } from './testing.js';

const ok = (schema: { safeParse(v: unknown): { success: boolean } }, value: unknown) =>
  schema.safeParse(value).success;

describe('message rules', () => {
  it('gate state: the will may omit since, an online state may not', () => {
    expect(ok(gateStateSchema, { ...EXAMPLES.gate_state, online: false, since: null })).toBe(true);
    expect(ok(gateStateSchema, { ...EXAMPLES.gate_state, online: true, since: null })).toBe(false);
    expect(ok(gateStateSchema, { ...EXAMPLES.gate_state, mode: 'open' })).toBe(false);
    expect(ok(gateStateSchema, { ...EXAMPLES.gate_state, firmware: 'v1\n' })).toBe(false);
  });

  it('gate state and heartbeat may list degraded devices: optional, short names, bounded', () => {
    for (const [schema, example] of [
      [gateStateSchema, EXAMPLES.gate_state],
      [heartbeatSchema, EXAMPLES.heartbeat],
    ] as const) {
      expect(ok(schema, example)).toBe(true);
      expect(ok(schema, { ...example, degraded: ['led', 'recycler', 'passage.in'] })).toBe(true);
      expect(ok(schema, { ...example, degraded: ['LED'] })).toBe(false);
      expect(ok(schema, { ...example, degraded: ['led; rm'] })).toBe(false);
      expect(ok(schema, { ...example, degraded: ['x'.repeat(33)] })).toBe(false);
      const most = Array.from({ length: MAX_DEGRADED }, (_, i) => `d${i}`.padEnd(32, 'x'));
      expect(ok(schema, { ...example, degraded: most })).toBe(true);
      expect(ok(schema, { ...example, degraded: [...most, 'led'] })).toBe(false);
    }
    const most = Array.from(
      { length: MAX_DEGRADED },
      (_, i) => `${`d${i}`.padEnd(32, 'x')}.${'y'.repeat(32)}`,
    );
    const state = { ...EXAMPLES.gate_state, degraded: most };
    expect(encodeMessage(state, 'state').length).toBeLessThanOrEqual(CHANNELS.state.maxBytes);
  });

  it('event ids are canonical UUIDs or ULIDs', () => {
    const withId = (eventId: string) => ok(passageEventSchema, { ...EXAMPLES.passage, eventId });
    expect(withId('3f2b8c1e-9d4a-4f6b-8e2c-7a1d5b9c0e34')).toBe(true);
    expect(withId('01JT2ZK6Q8X9B4M3N5P7R2S0VW')).toBe(true);
    expect(withId('3F2B8C1E-9D4A-4F6B-8E2C-7A1D5B9C0E34')).toBe(false);
    expect(withId('01jt2zk6q8x9b4m3n5p7r2s0vw')).toBe(false);
    expect(withId('81JT2ZK6Q8X9B4M3N5P7R2S0VW')).toBe(false); // beyond the 48-bit ULID time range
    expect(withId('01JT2ZK6Q8X9B4M3N5P7R2S0VI')).toBe(false); // I is not Crockford base32
    expect(withId('evt-1')).toBe(false);
  });

  it('passage defaults correlationId to null; denials never carry OK or a raw code', () => {
    const { correlationId: _, ...rest } = EXAMPLES.passage;
    expect(passageEventSchema.parse(rest).correlationId).toBeNull();
    expect(ok(denialEventSchema, { ...EXAMPLES.denial, reason: 'OK' })).toBe(false);
    expect(ok(denialEventSchema, { ...EXAMPLES.denial, reason: 'NOT_A_REASON' })).toBe(false);
    expect(ok(denialEventSchema, { ...EXAMPLES.denial, codeHash: '123456789014' })).toBe(false);
    expect(ok(denialEventSchema, { ...EXAMPLES.denial, codeHash: 'A'.repeat(64) })).toBe(false);
    expect(ok(denialEventSchema, { ...EXAMPLES.denial, credentialKind: null, ticketId: null })).toBe(true);
  });

  it('a passage may be marked unconfirmed; the flag is left out of a confirmed one and must be a boolean', () => {
    expect(passageEventSchema.parse(EXAMPLES.passage).unconfirmed).toBeUndefined();
    expect(encodeMessage(EXAMPLES.passage, 'event/passage').toString()).not.toContain('unconfirmed');
    expect(passageEventSchema.parse({ ...EXAMPLES.passage, unconfirmed: true }).unconfirmed).toBe(true);
    expect(ok(passageEventSchema, { ...EXAMPLES.passage, unconfirmed: 'yes' })).toBe(false);
    expect(ok(passageEventSchema, { ...EXAMPLES.passage, unconfirmed: null })).toBe(false);
  });

  it('a passage carries its headcount, 1 when a gate leaves it out; a group pass counts up to 999', () => {
    const { persons: _, ...withoutHeadcount } = EXAMPLES.passage;
    expect(passageEventSchema.parse(withoutHeadcount).persons).toBe(1);
    expect(passageEventSchema.parse({ ...EXAMPLES.passage, persons: 25 }).persons).toBe(25);
    expect(ok(passageEventSchema, { ...EXAMPLES.passage, persons: 0 })).toBe(false);
    expect(ok(passageEventSchema, { ...EXAMPLES.passage, persons: 1000 })).toBe(false);
    expect(ok(passageEventSchema, { ...EXAMPLES.passage, persons: 2.5 })).toBe(false);
  });

  it('a group admit online says how many persons it holds; the config may set the group idle timeout', () => {
    const admit = { ...EXAMPLES.validate_response, decision: 'admit', reason: 'OK' };
    expect(validateResponseSchema.parse({ ...admit, persons: 5 }).persons).toBe(5);
    expect(validateResponseSchema.parse(admit).persons).toBeUndefined();
    expect(ok(validateResponseSchema, { ...admit, persons: 0 })).toBe(false);
    expect(ok(gateConfigSchema, { ...EXAMPLES.gate_config, groupIdleMs: 10_000 })).toBe(true);
    expect(gateConfigSchema.parse(EXAMPLES.gate_config).groupIdleMs).toBeUndefined();
    expect(ok(gateConfigSchema, { ...EXAMPLES.gate_config, groupIdleMs: 999 })).toBe(false);
    expect(ok(gateConfigSchema, { ...EXAMPLES.gate_config, groupIdleMs: 120_001 })).toBe(false);
  });

  it('commands expire after they are issued; actions are strict', () => {
    expect(ok(commandSchema, { ...EXAMPLES.command, expiresAt: EXAMPLES.command.issuedAt })).toBe(false);
    expect(ok(commandSchema, { ...EXAMPLES.command, action: { kind: 'deny_unauthorized' } })).toBe(false);
    expect(ok(commandSchema, { ...EXAMPLES.command, action: { kind: 'reboot', now: true } })).toBe(false);
    expect(ok(commandSchema, { ...EXAMPLES.command, action: { kind: 'self_destruct' } })).toBe(false);
    expect(ok(commandSchema, { ...EXAMPLES.command, target: { all: true } })).toBe(false);
    expect(ok(siteCommandSchema, { ...EXAMPLES.site_command, target: { all: false } })).toBe(false);
    expect(ok(siteCommandSchema, { ...EXAMPLES.site_command, target: { zoneIds: [] } })).toBe(false);
    expect(
      ok(siteCommandSchema, { ...EXAMPLES.site_command, target: { zoneIds: ['a'], gateIds: ['b'] } }),
    ).toBe(false);
    expect(MODE_OF_COMMAND.lock).toBe('locked');
  });

  it('site command targeting', () => {
    const gate = { gateId: 'G01', zoneId: 'north' };
    expect(commandTargetsGate({ all: true }, gate)).toBe(true);
    expect(commandTargetsGate({ zoneIds: ['north', 'east'] }, gate)).toBe(true);
    expect(commandTargetsGate({ zoneIds: ['south'] }, gate)).toBe(false);
    expect(commandTargetsGate({ gateIds: ['G01'] }, gate)).toBe(true);
    expect(commandTargetsGate({ gateIds: ['north'] }, gate)).toBe(false);
  });

  it('a rejected or failed ack says why', () => {
    expect(ok(commandAckSchema, { ...EXAMPLES.command_ack, result: 'rejected', reason: null })).toBe(false);
    expect(ok(commandAckSchema, { ...EXAMPLES.command_ack, result: 'rejected', reason: 'expired' })).toBe(
      true,
    );
  });

  it('config: unique type and key ids, canonical 32-byte keys, sane timings', () => {
    const cfg = EXAMPLES.gate_config;
    const key = cfg.signingKeys[0]!;
    expect(ok(gateConfigSchema, { ...cfg, signingKeys: [key, key] })).toBe(false);
    expect(ok(gateConfigSchema, { ...cfg, ticketTypes: [...cfg.ticketTypes, ...cfg.ticketTypes] })).toBe(
      false,
    );
    expect(ok(gateConfigSchema, { ...cfg, signingKeys: [{ keyId: 2, publicKey: 'AAAA' }] })).toBe(false);
    // Same length, but the last character leaves non-zero padding bits: not the canonical encoding of 32 bytes.
    expect(
      ok(gateConfigSchema, { ...cfg, signingKeys: [{ keyId: 2, publicKey: `${'A'.repeat(42)}B=` }] }),
    ).toBe(false);
    expect(Buffer.from(key.publicKey, 'base64')).toHaveLength(32);
    expect(ok(gateConfigSchema, { ...cfg, onlineValidation: { enabled: true, deadlineMs: 60_000 } })).toBe(
      false,
    );
    // A relay plus the mechanism's release input do not reliably see pulses shorter than 50 ms.
    expect(ok(gateConfigSchema, { ...cfg, relayPulseMs: 49 })).toBe(false);
    expect(ok(gateConfigSchema, { ...cfg, relayPulseMs: 20 })).toBe(false);
    expect(ok(gateConfigSchema, { ...cfg, relayPulseMs: RELAY_PULSE_MIN_MS })).toBe(true);
    expect(ok(gateConfigSchema, { ...cfg, timeZone: '../etc/passwd' })).toBe(false);
    expect(ok(gateConfigSchema, { ...cfg, timeZone: 'America/Argentina/Buenos_Aires' })).toBe(true);
    expect(gateConfigSchema.parse(cfg).ticketTypes[0]?.weekdays).toBe(0x7f);
  });

  it('whitelist: deltas move the version forward by one or a range, chunks stay in range', () => {
    const d = EXAMPLES.whitelist_delta;
    expect(ok(whitelistDeltaSchema, { ...d, toVersion: d.fromVersion + 1 })).toBe(true);
    expect(ok(whitelistDeltaSchema, { ...d, toVersion: d.fromVersion + 1_000 })).toBe(true);
    expect(ok(whitelistDeltaSchema, { ...d, toVersion: d.fromVersion })).toBe(false);
    expect(ok(whitelistDeltaSchema, { ...d, toVersion: d.fromVersion - 1 })).toBe(false);
    expect(ok(whitelistDeltaSchema, { ...d, removals: [RECORD.ticketId] })).toBe(false);
    // A range carries each ticket's last record only.
    expect(ok(whitelistDeltaSchema, { ...d, upserts: [RECORD, { ...RECORD, entriesUsed: 4 }] })).toBe(false);
    expect(ok(whitelistDeltaSchema, { ...d, upserts: [RECORD, { ...RECORD, ticketId: 7 }] })).toBe(true);
    expect(ok(whitelistDeltaSchema, { ...d, upserts: [], removals: [] })).toBe(true);
    const s = EXAMPLES.whitelist_snapshot;
    expect(ok(whitelistSnapshotSchema, { ...s, chunk: 1, chunks: 1 })).toBe(false);
    expect(ok(whitelistSnapshotSchema, { ...s, records: Array(MAX_SNAPSHOT_RECORDS + 1).fill(RECORD) })).toBe(
      false,
    );
  });

  it('validation: deadline after the scan, admit exactly with OK', () => {
    const q = EXAMPLES.validate_request;
    expect(ok(validateRequestSchema, { ...q, deadlineAt: q.at })).toBe(false);
    expect(ok(validateRequestSchema, { ...q, credential: { kind: 'card', cardUid: '04a2b3c4' } })).toBe(
      false,
    );
    expect(ok(validateRequestSchema, { ...q, credential: { kind: 'qr', barcode: '123456789014' } })).toBe(
      false,
    );
    const r = EXAMPLES.validate_response;
    expect(ok(validateResponseSchema, { ...r, decision: 'admit', reason: 'USED' })).toBe(false);
    expect(ok(validateResponseSchema, { ...r, decision: 'deny', reason: 'OK' })).toBe(false);
    expect(
      ok(validateResponseSchema, { ...r, decision: 'deny', reason: 'ENTRIES_EXHAUSTED', record: null }),
    ).toBe(true);
  });
});

describe('count bounds and byte limits agree', () => {
  // The largest record the schema admits, so the count bounds are checked against the channel byte limits.
  const widest: CredentialRecord = {
    ticketId: 2 ** 40 - 1,
    typeId: 0xffff,
    barcode: '9'.repeat(24),
    cardUid: 'F'.repeat(14),
    status: 'not_activated',
    validFrom: 8.64e15,
    validTo: 8.64e15,
    entriesTotal: 100_000,
    entriesUsed: 100_000,
    slot: { start: 8.64e15, end: 8.64e15 },
    persons: 999,
  };

  it('a full snapshot chunk of the widest records fits the whitelist channel', () => {
    const chunk = {
      ...EXAMPLES.whitelist_snapshot,
      snapshotId: 's'.repeat(64),
      version: Number.MAX_SAFE_INTEGER,
      records: Array(MAX_SNAPSHOT_RECORDS).fill(widest),
    };
    expect(encodeMessage(chunk, 'whitelist').length).toBeLessThanOrEqual(CHANNELS.whitelist.maxBytes);
  });

  it('a full delta fits the site whitelist channel', () => {
    const delta = {
      ...EXAMPLES.whitelist_delta,
      fromVersion: Number.MAX_SAFE_INTEGER - 1,
      toVersion: Number.MAX_SAFE_INTEGER,
      upserts: Array.from({ length: MAX_DELTA_UPSERTS }, (_, i) => ({ ...widest, ticketId: i + 1 })),
      removals: Array.from({ length: MAX_DELTA_REMOVALS }, (_, i) => 2 ** 40 - 1 - i),
    };
    expect(encodeMessage(delta, 'site/whitelist').length).toBeLessThanOrEqual(
      CHANNELS['site/whitelist'].maxBytes,
    );
  });

  it('a site command to the most gates fits the site command channel', () => {
    const gateIds = Array.from({ length: 1024 }, (_, i) => `${i}`.padStart(64, 'g'));
    const command = { ...EXAMPLES.site_command, commandId: 'c'.repeat(64), target: { gateIds } };
    expect(encodeMessage(command, 'site/cmd').length).toBeLessThanOrEqual(CHANNELS['site/cmd'].maxBytes);
  });
});
