/**
 * The dispatcher without a broker: acks that arrive together, two cloud instances settling the same acks at once,
 * commands left open by concurrent settles, timeouts and late acks — on each database.
 */
import type { CommandAck } from '@scenic/protocol';
import type { Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../db/schema.js';
import { databaseBackends, type TestDatabase } from '../../db/testing.js';
import { silentLogger } from '../../mqtt/testing.js';
import { ControlRoomMetrics } from '../metrics/control-room-metrics.js';
import { SITE, seedSite } from '../metrics/testing.js';
import { ACK_GRACE_MS, CommandDispatcher } from './dispatcher.js';

const CONTEXT = { actor: { id: null, username: 'tester' }, ip: null };
const ALL = ['N1', 'N2', 'N3', 'S1'];

describe.each(databaseBackends())('command dispatcher on $name', (backend) => {
  let test: TestDatabase;
  let db: Kysely<Database>;
  let clock: number;
  const published: { gateId: string | undefined; type: unknown }[] = [];

  function dispatcher(): CommandDispatcher {
    return new CommandDispatcher({
      db,
      bus: {
        publish: async (target, message) => {
          published.push({ gateId: target.gateId, type: message.type });
        },
      },
      status: { get: () => undefined },
      metrics: new ControlRoomMetrics(),
      logger: silentLogger,
      now: () => clock,
    });
  }

  function ack(commandId: string, gateId: string, result: CommandAck['result'] = 'ok'): CommandAck {
    return {
      type: 'command_ack',
      v: 1,
      commandId,
      gateId,
      result,
      reason: result === 'ok' ? null : 'relay fault',
      at: clock,
    };
  }

  async function results(commandId: string) {
    return db
      .selectFrom('gate_command_results')
      .select(['gate_id', 'result', 'reason', 'latency_ms', 'late'])
      .where('command_id', '=', commandId)
      .orderBy('gate_id')
      .execute();
  }

  async function audits(commandId: string) {
    const rows = await db
      .selectFrom('audit_log')
      .select(['action', 'after_json'])
      .where('entity_id', '=', commandId)
      .orderBy('seq')
      .execute();
    return rows.map((row) => [row.action, JSON.parse(row.after_json ?? 'null')]);
  }

  async function completedAt(commandId: string) {
    const row = await db
      .selectFrom('gate_commands')
      .select('completed_at')
      .where('id', '=', commandId)
      .executeTakeFirstOrThrow();
    return row.completed_at;
  }

  beforeEach(async () => {
    test = await backend.create();
    db = test.database.db;
    clock = 1_800_000_000_000;
    published.length = 0;
    await seedSite(db);
  });
  afterEach(() => test.dispose());

  it('stores a failed ack whose gate-written reason carries a NUL, which PostgreSQL refuses in text', async () => {
    const cloud = dispatcher();
    const id = await cloud.issue(
      { action: { kind: 'emergency_open' }, target: { kind: 'site', siteId: SITE }, ttlMs: 30_000 },
      CONTEXT,
    );
    clock += 40;
    const failed = { ...ack(id, 'N1', 'error'), reason: 'relay\u0000fault' };
    expect(await cloud.applyAck(failed, clock)).toBe('applied');
    const row = (await results(id)).find((result) => result.gate_id === 'N1');
    expect(row).toMatchObject({ result: 'error', reason: 'relay\ufffdfault' });
  });

  it('settles acks that arrive together in one go: repeats and strangers refused, completed once', async () => {
    const cloud = dispatcher();
    const id = await cloud.issue(
      { action: { kind: 'emergency_open' }, target: { kind: 'site', siteId: SITE }, ttlMs: 30_000 },
      CONTEXT,
    );
    expect(published.map((p) => p.gateId).sort()).toEqual(ALL);
    const completed: string[] = [];
    cloud.on('completed', (commandId) => completed.push(commandId));
    clock += 40;
    const waiting = cloud.waitSettled(id, 30_000);
    const outcomes = await Promise.all([
      cloud.applyAck(ack(id, 'N1'), clock),
      cloud.applyAck(ack(id, 'N2', 'error'), clock),
      cloud.applyAck(ack(id, 'N1'), clock),
      cloud.applyAck(ack(id, 'X9'), clock),
      cloud.applyAck(ack('cmd-never-issued', 'N3'), clock),
      cloud.applyAck(ack(id, 'N3'), clock),
    ]);
    expect(outcomes).toEqual(['applied', 'applied', 'duplicate', 'unknown', 'unknown', 'applied']);
    expect(await completedAt(id)).toBeNull();
    expect(await cloud.applyAck(ack(id, 'S1'), clock + 5)).toBe('applied');
    await waiting;
    expect(completed).toEqual([id]);
    expect(await completedAt(id)).toBe(clock);
    expect(await results(id)).toEqual([
      { gate_id: 'N1', result: 'ok', reason: null, latency_ms: 40, late: 0 },
      { gate_id: 'N2', result: 'error', reason: 'relay fault', latency_ms: 40, late: 0 },
      { gate_id: 'N3', result: 'ok', reason: null, latency_ms: 40, late: 0 },
      { gate_id: 'S1', result: 'ok', reason: null, latency_ms: 45, late: 0 },
    ]);
    expect(await audits(id)).toEqual([
      ['gate_command.issue', expect.objectContaining({ gates: ALL })],
      ['gate_command.complete', { ok: ['N1', 'N3', 'S1'], error: ['N2'] }],
    ]);
    expect(await cloud.applyAck(ack(id, 'S1'), clock + 9)).toBe('duplicate');
    expect((await audits(id)).length).toBe(2);
    await cloud.stop();
  });

  it('two cloud instances settling the same acks at once: each gate once, the command completed once', async () => {
    const issuer = dispatcher();
    const other = dispatcher();
    for (let round = 0; round < 3; round++) {
      const id = await issuer.issue(
        { action: { kind: 'lock' }, target: { kind: 'site', siteId: SITE }, ttlMs: 30_000 },
        CONTEXT,
      );
      clock += 10;
      // Every instance receives every ack (each has its own subscription); here in opposite orders.
      const outcomes = await Promise.all([
        ...ALL.map((gate) => issuer.applyAck(ack(id, gate), clock).then((o) => [gate, o])),
        ...[...ALL].reverse().map((gate) => other.applyAck(ack(id, gate), clock).then((o) => [gate, o])),
      ]);
      for (const gate of ALL) {
        const mine = outcomes.filter(([g]) => g === gate).map(([, o]) => o);
        expect(mine.sort()).toEqual(['applied', 'duplicate']);
      }
      await issuer.sweep();
      await other.sweep();
      expect(await completedAt(id)).not.toBeNull();
      const complete = (await audits(id)).filter(([action]) => action === 'gate_command.complete');
      expect(complete).toEqual([['gate_command.complete', { ok: ALL }]]);
    }
    await issuer.stop();
    await other.stop();
  });

  it('a command whose last result another instance settled without completing it is completed by the sweep', async () => {
    const cloud = dispatcher();
    const id = await cloud.issue(
      { action: { kind: 'normal' }, target: { kind: 'zone', siteId: SITE, zoneId: 'north' }, ttlMs: 30_000 },
      CONTEXT,
    );
    expect(await cloud.applyAck(ack(id, 'N1'), clock)).toBe('applied');
    // What a second instance leaves behind when its count and this one's crossed: results settled, command open.
    await db
      .updateTable('gate_command_results')
      .set({ result: 'ok', acked_at: clock, latency_ms: 0 })
      .where('command_id', '=', id)
      .where('result', '=', 'pending')
      .execute();
    const waiting = cloud.waitSettled(id, 30_000);
    await cloud.sweep();
    await waiting;
    expect(await completedAt(id)).toBe(clock);
    expect(await audits(id)).toEqual([
      ['gate_command.issue', expect.anything()],
      ['gate_command.complete', { ok: ['N1', 'N2', 'N3'] }],
    ]);
    await cloud.sweep();
    expect((await audits(id)).length).toBe(2);
    await cloud.stop();
  });

  it('silent gates time out after expiry and grace; a late ack is kept, flagged and audited once', async () => {
    const cloud = dispatcher();
    const issuedAt = clock;
    const id = await cloud.issue(
      {
        action: { kind: 'always_open' },
        target: { kind: 'zone', siteId: SITE, zoneId: 'north' },
        ttlMs: 5_000,
      },
      CONTEXT,
    );
    expect(await cloud.applyAck(ack(id, 'N1'), clock + 20)).toBe('applied');
    clock = issuedAt + 5_000 + ACK_GRACE_MS - 1;
    await cloud.sweep();
    expect((await results(id)).map((r) => r.result)).toEqual(['ok', 'pending', 'pending']);
    clock += 1;
    await cloud.sweep();
    expect((await results(id)).map((r) => r.result)).toEqual(['ok', 'timeout', 'timeout']);
    expect(await completedAt(id)).toBe(clock);

    clock += 500;
    expect(await cloud.applyAck(ack(id, 'N2', 'rejected'), clock)).toBe('late');
    expect(await cloud.applyAck(ack(id, 'N2'), clock)).toBe('duplicate');
    expect((await results(id))[1]).toEqual({
      gate_id: 'N2',
      result: 'rejected',
      reason: 'relay fault',
      latency_ms: clock - issuedAt,
      late: 1,
    });
    expect(await audits(id)).toEqual([
      ['gate_command.issue', expect.anything()],
      ['gate_command.complete', { ok: ['N1'], timeout: ['N2', 'N3'] }],
      ['gate_command.late_ack', { gateId: 'N2', result: 'rejected', reason: 'relay fault' }],
    ]);
    await cloud.stop();
  });

  it('a publish that fails settles that gate as an error at once', async () => {
    const cloud = new CommandDispatcher({
      db,
      bus: {
        publish: async (target) => {
          if (target.gateId === 'N2') throw new Error('broker gone');
        },
      },
      status: { get: (gateId) => (gateId === 'N1' ? { online: true } : undefined) },
      metrics: new ControlRoomMetrics(),
      logger: silentLogger,
      now: () => clock,
    });
    const id = await cloud.issue(
      { action: { kind: 'reboot' }, target: { kind: 'zone', siteId: SITE, zoneId: 'north' }, ttlMs: 30_000 },
      CONTEXT,
    );
    expect((await results(id)).map((r) => [r.gate_id, r.result, r.reason])).toEqual([
      ['N1', 'pending', null],
      ['N2', 'error', 'publish_failed'],
      ['N3', 'pending', null],
    ]);
    expect(await cloud.applyAck(ack(id, 'N1'), clock)).toBe('applied');
    expect(await cloud.applyAck(ack(id, 'N3'), clock)).toBe('applied');
    expect(await completedAt(id)).toBe(clock);
    const online = await db
      .selectFrom('gate_command_results')
      .select(['gate_id', 'was_online'])
      .where('command_id', '=', id)
      .orderBy('gate_id')
      .execute();
    expect(online.map((r) => r.was_online)).toEqual([1, null, null]);
    await cloud.stop();
  });
});
