/** The HTTP surface of gate credentials, live status and the communication log, with real sign-in and permissions. */
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { databaseBackends } from '../../db/testing.js';
import { verifyPassword } from '../../mqtt/password-hash.js';
import { seedGates } from '../../mqtt/testing.js';
import { type AuthTestApp, createAuthTestApp } from '../../platform/auth/testing.js';

describe.each(databaseBackends())('gate MQTT routes on $name', (backend) => {
  let env: AuthTestApp;
  beforeEach(async () => {
    env = await createAuthTestApp(backend);
    await seedGates(env.test.database.db, 'park', ['G01']);
  });
  afterEach(() => env.dispose());

  it('issues a credential once, rotates and revokes it; only gates.manage may', async () => {
    const url = '/api/v1/gates/G01/credentials';
    const denied = await env.app.inject({ method: 'POST', url, headers: env.as('control_room') });
    expect(denied.statusCode).toBe(403);

    const issued = await env.app.inject({ method: 'POST', url, headers: env.as('admin') });
    expect(issued.statusCode).toBe(201);
    const body = issued.json();
    expect(body).toMatchObject({
      gateId: 'G01',
      siteId: 'park',
      username: 'gate@park@G01',
      clientId: 'sg-park-G01',
      version: 1,
      revokedAt: null,
    });
    const row = await env.test.database.db
      .selectFrom('gate_mqtt_credentials')
      .selectAll()
      .executeTakeFirstOrThrow();
    expect(row.password_hash).not.toContain(body.password);
    expect(await verifyPassword(body.password, row.password_hash)).toBe(true);

    const again = await env.app.inject({ method: 'POST', url, headers: env.as('admin') });
    expect(again.statusCode).toBe(409);
    const shown = await env.app.inject({ method: 'GET', url, headers: env.as('admin') });
    expect(shown.json()).not.toHaveProperty('password');

    const rotated = await env.app.inject({ method: 'POST', url: `${url}/rotate`, headers: env.as('admin') });
    expect(rotated.json()).toMatchObject({ version: 2 });
    expect(rotated.json().password).not.toBe(body.password);

    const revoked = await env.app.inject({ method: 'DELETE', url, headers: env.as('admin') });
    expect(revoked.json().revokedAt).toEqual(expect.any(Number));
    const unknown = await env.app.inject({
      method: 'POST',
      url: '/api/v1/gates/NOPE/credentials',
      headers: env.as('admin'),
    });
    expect(unknown.statusCode).toBe(404);

    // Each change is in the operation log under the operator who made it, with no password or hash in it.
    const audit = await env.test.database.db
      .selectFrom('audit_log')
      .select(['action', 'actor_username', 'entity_id', 'before_json', 'after_json'])
      .where('entity', '=', 'gate_credential')
      .orderBy('seq')
      .execute();
    expect(audit.map((row) => [row.action, row.entity_id])).toEqual([
      ['gate_credential.issue', 'G01'],
      ['gate_credential.rotate', 'G01'],
      ['gate_credential.revoke', 'G01'],
    ]);
    expect(new Set(audit.map((row) => row.actor_username))).toEqual(new Set([env.operators.admin.username]));
    expect(JSON.parse(audit[1]!.before_json!)).toMatchObject({ version: 1 });
    expect(JSON.parse(audit[1]!.after_json!)).toMatchObject({ version: 2 });
    for (const row of audit) {
      expect(`${row.before_json}${row.after_json}`).not.toMatch(/password|\$scrypt|\$argon/i);
      for (const password of [body.password, rotated.json().password])
        expect(row.after_json).not.toContain(password);
    }
  });

  it('tells gates.manage where gates connect: the embedded broker port, never the cloud login', async () => {
    const url = '/api/v1/gates/broker';
    expect((await env.app.inject({ method: 'GET', url, headers: env.as('control_room') })).statusCode).toBe(
      403,
    );
    const embedded = await env.app.inject({ method: 'GET', url, headers: env.as('admin') });
    expect(embedded.statusCode).toBe(200);
    expect(embedded.json()).toEqual({ embedded: true, port: 1883, url: null });

    const external = await createAuthTestApp(backend, {
      MQTT_URL: 'mqtt://sg-cloud:cloud-secret@broker.lan:1884',
    });
    try {
      const answer = await external.app.inject({ method: 'GET', url, headers: external.as('admin') });
      expect(answer.json()).toEqual({ embedded: false, port: null, url: 'mqtt://broker.lan:1884' });
      expect(answer.body).not.toContain('cloud-secret');
    } finally {
      await external.dispose();
    }
  });

  it('issues credentials to 100 gates at once, every one of them (no serialization failure reaches the client)', async () => {
    const ids = Array.from({ length: 100 }, (_, i) => `P${String(i + 1).padStart(3, '0')}`);
    await seedGates(env.test.database.db, 'park', ids);
    const answers = await Promise.all(
      ids.map((id) =>
        env.app.inject({ method: 'POST', url: `/api/v1/gates/${id}/credentials`, headers: env.as('admin') }),
      ),
    );
    expect(answers.map((answer) => answer.statusCode)).toEqual(ids.map(() => 201));
    const rows = await env.test.database.db.selectFrom('gate_mqtt_credentials').select('gate_id').execute();
    expect(rows.map((row) => row.gate_id).sort()).toEqual(ids);
  });

  it('lists gate status, streams a snapshot over SSE, and serves the communication log with gates.read', async () => {
    await env.test.database.db
      .insertInto('gate_status')
      .values({
        gate_id: 'G01',
        site_id: 'park',
        online: 1,
        mode: 'normal',
        deny_unauthorized: 1,
        firmware: '1.0.0',
        whitelist_version: 3,
        config_version: 2,
        since: 1,
        last_seen_at: 2,
        last_state_at: 2,
        last_heartbeat_at: null,
        uptime_sec: null,
        scans: null,
        admits: null,
        denies: null,
        outbox_depth: null,
      })
      .execute();
    const list = await env.app.inject({
      method: 'GET',
      url: '/api/v1/gates/status',
      headers: env.as('control_room'),
    });
    expect(list.statusCode).toBe(200);
    expect(list.json().items).toEqual([
      expect.objectContaining({ gateId: 'G01', online: true, counters: null, whitelistVersion: 3 }),
    ]);
    expect((await env.app.inject({ method: 'GET', url: '/api/v1/gates/status' })).statusCode).toBe(401);

    await env.app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = env.app.server.address() as AddressInfo;
    const controller = new AbortController();
    const response = await fetch(`http://127.0.0.1:${port}/api/v1/gates/status/stream`, {
      headers: env.as('control_room'),
      signal: controller.signal,
    });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const reader = response.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    expect(first).toMatch(/^event: snapshot\ndata: \{"items":\[\{"gateId":"G01"/);
    controller.abort();

    const log = await env.app.inject({
      method: 'GET',
      url: '/api/v1/comm-log?gateId=G01&result=rejected&limit=10',
      headers: env.as('control_room'),
    });
    expect(log.json()).toEqual({ items: [], total: 0 });
    const summary = await env.app.inject({
      method: 'GET',
      url: '/api/v1/comm-log/summary?from=2025-05-01&to=2025-05-02&siteId=park',
      headers: env.as('control_room'),
    });
    expect(summary.json()).toEqual({ timeZone: 'Asia/Shanghai', days: [] });
    const bad = await env.app.inject({
      method: 'GET',
      url: '/api/v1/comm-log/summary?from=2025-13-01&to=2025-05-02',
      headers: env.as('control_room'),
    });
    expect(bad.statusCode).toBe(400);
  });
});
