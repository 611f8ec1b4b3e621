/**
 * Remote commands end to end: HTTP → registry → one MQTT command per gate → acks published by the test with each
 * gate's login (a late one, none, refusals) → stored per-gate results, on each database and on the embedded broker
 * (plus Mosquitto below). The agent's own handling of every command is covered in test/e2e/gate-modes.test.ts.
 */
import { encodeMessage } from '@scenic/protocol';
import { eventually } from '@scenic/testkit/eventually';
import { serviceUrl } from '@scenic/testkit/services';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { databaseBackends } from '../../db/testing.js';
import {
  type ControlRoomEnv,
  createControlRoomEnv,
  GateConnection,
  LAYOUT,
  SITE,
} from '../metrics/testing.js';

const [sqlite] = databaseBackends();

describe.each(databaseBackends())('gate commands on $name', (backend) => {
  let env: ControlRoomEnv;
  let gates: Record<string, GateConnection>;

  beforeEach(async () => {
    env = await createControlRoomEnv(backend);
    gates = {};
    for (const id of [...LAYOUT.north, ...LAYOUT.south]) gates[id] = await GateConnection.open(env, id);
  });
  afterEach(async () => {
    await Promise.all(Object.values(gates).map((g) => g.close()));
    await env.dispose();
  });

  function issue(body: object, wait = 0, role: 'control_room' | 'gate_staff' = 'control_room') {
    return env.app.inject({
      method: 'POST',
      url: `/api/v1/commands?wait=${wait}`,
      headers: env.auth.as(role),
      payload: body,
    });
  }

  /**
   * Issues a command and, once it has reached each gate in `answers`, publishes that gate's ack (`ok` unless a
   * result and reason are given); gates answered `silent` get the command and say nothing.
   */
  async function issueAnswered(
    body: object,
    wait: number,
    answers: Record<string, 'ok' | 'silent' | { result: 'rejected' | 'error'; reason: string }>,
  ) {
    const response = issue(body, wait);
    const commands = await eventually(() => {
      const arrived = Object.keys(answers).map((id) => gates[id]?.commands.at(-1));
      return arrived.every((c) => c !== undefined) ? arrived : undefined;
    });
    await Promise.all(
      Object.entries(answers).map(([id, answer], i) => {
        const commandId = commands[i]!.commandId;
        if (answer === 'silent') return undefined;
        if (answer === 'ok') return gates[id]?.ack(commandId);
        return gates[id]?.ack(commandId, answer.result, answer.reason);
      }),
    );
    return response;
  }

  async function commLogReasons(): Promise<(string | null)[]> {
    await env.cloud.commLog.flush();
    const rows = await env.db
      .selectFrom('comm_log')
      .select('reason')
      .where('result', '=', 'rejected')
      .execute();
    return rows.map((r) => r.reason);
  }

  it('an emergency open for a zone reaches every gate of that zone, and only those; results and audit are stored', async () => {
    const response = await issueAnswered(
      { action: { kind: 'emergency_open' }, target: { kind: 'zone', siteId: SITE, zoneId: 'north' } },
      5_000,
      { N1: 'ok', N2: 'ok', N3: 'ok' },
    );
    expect(response.statusCode).toBe(201);
    const command = response.json();
    expect(command.status).toBe('completed');
    expect(command.summary).toEqual({ gates: 3, pending: 0, ok: 3, rejected: 0, error: 0, timeout: 0 });
    expect(command.results.map((r: { gateId: string }) => r.gateId)).toEqual(['N1', 'N2', 'N3']);
    expect(command.expiresAt - command.issuedAt).toBe(30_000);
    for (const id of LAYOUT.north) {
      expect(gates[id]?.commands.map((c) => [c.commandId, c.action.kind])).toEqual([
        [command.id, 'emergency_open'],
      ]);
    }
    expect(gates.S1?.commands).toEqual([]);
    for (const r of command.results) {
      expect(r).toMatchObject({ result: 'ok', reason: null, late: false });
      expect(r.latencyMs).toBeGreaterThanOrEqual(0);
    }

    const read = await env.app.inject({
      method: 'GET',
      url: `/api/v1/commands/${command.id}`,
      headers: env.auth.as('gate_staff'),
    });
    expect(read.json()).toEqual(command);
    const list = await env.app.inject({
      method: 'GET',
      url: `/api/v1/commands?siteId=${SITE}`,
      headers: env.auth.as('control_room'),
    });
    expect(list.json()).toMatchObject({ total: 1, items: [{ id: command.id }] });

    const audit = await env.db
      .selectFrom('audit_log')
      .select(['action', 'actor_username', 'after_json'])
      .where('entity_id', '=', command.id)
      .orderBy('seq')
      .execute();
    expect(audit.map((a) => [a.action, a.actor_username])).toEqual([
      ['gate_command.issue', 'test_control_room'],
      ['gate_command.complete', 'system'],
    ]);
    expect(JSON.parse(audit[0]?.after_json ?? '{}').gates).toEqual(['N1', 'N2', 'N3']);
    expect(JSON.parse(audit[1]?.after_json ?? '{}')).toEqual({ ok: ['N1', 'N2', 'N3'] });
    expect(env.cloud.controlRoom.metrics.prometheus()).toMatch(/sg_command_ack_seconds_count 3/);
  });

  it('a gate that does not ack times out after the expiry; its late ack is kept and flagged', async () => {
    const response = await issueAnswered(
      {
        action: { kind: 'always_closed' },
        target: { kind: 'zone', siteId: SITE, zoneId: 'north' },
        ttlSec: 5,
      },
      60_000,
      { N1: 'ok', N2: 'ok', N3: 'silent' },
    );
    const command = response.json();
    expect(command.summary).toMatchObject({ ok: 2, timeout: 1, pending: 0 });
    expect(command.results.find((r: { gateId: string }) => r.gateId === 'N3')).toMatchObject({
      result: 'timeout',
      wasOnline: null,
    });
    expect(Date.now()).toBeGreaterThanOrEqual(command.expiresAt);

    await gates.N3?.publish(
      'cmd/ack',
      encodeMessage(
        {
          type: 'command_ack',
          v: 1,
          commandId: command.id,
          gateId: 'N3',
          result: 'ok',
          reason: null,
          at: Date.now(),
        },
        'cmd/ack',
      ),
    );
    const late = await eventually(async () => {
      const view = (
        await env.app.inject({
          method: 'GET',
          url: `/api/v1/commands/${command.id}`,
          headers: env.auth.as('admin'),
        })
      ).json();
      return view.summary.ok === 3 ? view : undefined;
    });
    expect(late.results.find((r: { gateId: string }) => r.gateId === 'N3')).toMatchObject({
      result: 'ok',
      late: true,
    });
  }, 20_000);

  it('stores rejected and failed acks with their reasons (an expired command, a relay fault)', async () => {
    const command = (
      await issueAnswered(
        { action: { kind: 'deny_unauthorized', on: true }, target: { kind: 'site', siteId: SITE } },
        5_000,
        {
          N1: { result: 'rejected', reason: 'expired' },
          N2: { result: 'error', reason: 'relay fault' },
          N3: 'ok',
          S1: 'ok',
        },
      )
    ).json();
    expect(command.summary).toEqual({ gates: 4, pending: 0, ok: 2, rejected: 1, error: 1, timeout: 0 });
    expect(command.action).toEqual({ kind: 'deny_unauthorized', on: true });
    const byGate = Object.fromEntries(
      command.results.map((r: { gateId: string; result: string; reason: string }) => [
        r.gateId,
        [r.result, r.reason],
      ]),
    );
    expect(byGate).toEqual({
      N1: ['rejected', 'expired'],
      N2: ['error', 'relay fault'],
      N3: ['ok', null],
      S1: ['ok', null],
    });
  });

  it('a repeated ack changes nothing, an ack for an unknown command is refused; both reach the comm log', async () => {
    const command = (
      await issueAnswered(
        { action: { kind: 'sync', full: true }, target: { kind: 'gate', gateId: 'S1' } },
        5_000,
        { S1: 'ok' },
      )
    ).json();
    expect(command.summary.ok).toBe(1);
    expect(gates.S1?.commands[0]?.action).toEqual({ kind: 'sync', full: true });
    const ack = (commandId: string, result: 'ok' | 'error') =>
      encodeMessage(
        {
          type: 'command_ack',
          v: 1,
          commandId,
          gateId: 'S1',
          result,
          reason: result === 'ok' ? null : 'x',
          at: 1,
        },
        'cmd/ack',
      );
    await gates.S1?.publish('cmd/ack', ack(command.id, 'error'));
    await gates.S1?.publish('cmd/ack', ack('cmd-never-issued', 'ok'));
    await eventually(async () => {
      const reasons = await commLogReasons();
      return reasons.includes('DUPLICATE_ACK') && reasons.includes('UNKNOWN_COMMAND') ? true : undefined;
    });
    const again = (
      await env.app.inject({
        method: 'GET',
        url: `/api/v1/commands/${command.id}`,
        headers: env.auth.as('admin'),
      })
    ).json();
    expect(again).toEqual(command);
  });

  it('commands for all sites reach every gate; refusals come with stable codes and store nothing', async () => {
    const all = (
      await issueAnswered({ action: { kind: 'normal' }, target: { kind: 'all' } }, 5_000, {
        N1: 'ok',
        N2: 'ok',
        N3: 'ok',
        S1: 'ok',
      })
    ).json();
    expect(all.summary).toMatchObject({ gates: 4, ok: 4 });

    const refusals = [
      [{ action: { kind: 'open_sesame' }, target: { kind: 'all' } }, 400, 'VALIDATION_FAILED'],
      [
        { action: { kind: 'lock' }, target: { kind: 'zone', siteId: SITE, zoneId: 'east' } },
        404,
        'NOT_FOUND',
      ],
      [{ action: { kind: 'lock' }, target: { kind: 'gate', gateId: 'X9' } }, 404, 'NOT_FOUND'],
      [{ action: { kind: 'lock' }, target: { kind: 'all' }, ttlSec: 1 }, 400, 'VALIDATION_FAILED'],
    ] as const;
    for (const [body, status, code] of refusals) {
      const response = await issue(body);
      expect([response.statusCode, response.json().error.code]).toEqual([status, code]);
    }
    await env.db.updateTable('gates').set({ active: 0 }).where('zone_id', '=', 'south').execute();
    const empty = await issue({
      action: { kind: 'lock' },
      target: { kind: 'zone', siteId: SITE, zoneId: 'south' },
    });
    expect([empty.statusCode, empty.json().error.code]).toEqual([409, 'COMMAND_NO_GATES']);
    expect(
      (await issue({ action: { kind: 'reboot' }, target: { kind: 'all' } }, 0, 'gate_staff')).statusCode,
    ).toBe(403);
    const stored = await env.db.selectFrom('gate_commands').select('id').execute();
    expect(stored).toHaveLength(1);

    // The HTTP app without the MQTT side cannot send, but still reads.
    const offline = await env.auth.app.inject({
      method: 'POST',
      url: '/api/v1/commands',
      headers: env.auth.as('admin'),
      payload: { action: { kind: 'lock' }, target: { kind: 'all' } },
    });
    expect([offline.statusCode, offline.json().error.code]).toEqual([503, 'MQTT_UNAVAILABLE']);
    const read = await env.auth.app.inject({
      method: 'GET',
      url: `/api/v1/commands/${all.id}`,
      headers: env.auth.as('admin'),
    });
    expect(read.json().id).toBe(all.id);
  });
});

const sharedUrl = serviceUrl('TEST_MQTT_URL');

describe.skipIf(!sharedUrl || !sqlite)('gate commands through Mosquitto (TEST_MQTT_URL)', () => {
  it('a zone command reaches every gate of the zone and the acks come back', async () => {
    const site = `t${Math.random().toString(36).slice(2, 10)}`;
    const env = await createControlRoomEnv(sqlite!, { mqttEnv: { MQTT_URL: sharedUrl ?? '' }, siteId: site });
    const gates = await Promise.all(
      LAYOUT.north.map((id) => GateConnection.open(env, `${site}-${id}`, site)),
    );
    try {
      const issued = env.app.inject({
        method: 'POST',
        url: '/api/v1/commands?wait=5000',
        headers: env.auth.as('control_room'),
        payload: {
          action: { kind: 'emergency_open' },
          target: { kind: 'zone', siteId: site, zoneId: 'north' },
        },
      });
      // Each gate answers the command once it has it.
      const arrived = await eventually(() =>
        gates.every((g) => g.commands.length > 0) ? gates.map((g) => g.commands[0]!) : undefined,
      );
      await Promise.all(gates.map((g, i) => g.ack(arrived[i]!.commandId)));
      const response = await issued;
      expect(response.json().summary).toMatchObject({ gates: 3, ok: 3, pending: 0 });
      for (const gate of gates) expect(gate.commands).toHaveLength(1);
    } finally {
      await Promise.all(gates.map((g) => g.close()));
      await env.dispose();
    }
  });
});
