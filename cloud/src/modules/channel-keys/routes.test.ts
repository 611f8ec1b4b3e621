import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseBackends } from '../../db/testing.js';
import { type ChannelTestApp, createChannelTestApp } from './testing.js';

const date = () => new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);

describe.each(databaseBackends())('channel keys on $name', (backend) => {
  let env: ChannelTestApp;
  const availability = (headers: Record<string, string>, siteId = 'park') =>
    env.app.inject({
      method: 'GET',
      url: `/api/channel/v1/availability?siteId=${siteId}&date=${date()}`,
      headers,
    });
  const manage = (method: 'GET' | 'POST', url: string, payload?: object) =>
    env.app.inject({
      method,
      url: `/api/v1/channel-keys${url}`,
      headers: env.as('admin'),
      ...(payload && { payload }),
    });

  beforeAll(async () => {
    env = await createChannelTestApp(backend);
  });
  afterAll(() => env.dispose());

  it('shows the secret once and keeps only its SHA-256, nowhere else (list, audit)', async () => {
    const created = await manage('POST', '/', { name: 'Fliggy', channel: 'ota', siteIds: ['park', 'lake'] });
    expect(created.statusCode, created.body).toBe(201);
    const { key, secret } = created.json();
    expect(secret).toMatch(/^ck_[0-9a-f]{20}\.[A-Za-z0-9_-]{43}$/);
    expect(secret.startsWith(`${key.id}.`)).toBe(true);
    expect(key).toMatchObject({
      channel: 'ota',
      agencyId: null,
      siteIds: ['lake', 'park'],
      status: 'active',
    });

    const db = env.test.database.db;
    const row = await db
      .selectFrom('channel_keys')
      .selectAll()
      .where('id', '=', key.id)
      .executeTakeFirstOrThrow();
    const plain = secret.slice(key.id.length + 1);
    expect(row.secret_hash).toBe(createHash('sha256').update(plain).digest('hex'));
    expect(JSON.stringify(row)).not.toContain(plain);
    const audit = await db.selectFrom('audit_log').selectAll().where('entity_id', '=', key.id).execute();
    expect(audit.map((entry) => entry.action)).toEqual(['channel_key.create']);
    expect(JSON.stringify(audit)).not.toContain(plain);
    expect(JSON.stringify(audit)).not.toContain(row.secret_hash);

    const list = await manage('GET', '/');
    expect(list.statusCode).toBe(200);
    expect(list.body).not.toContain(plain);
    expect(list.body).not.toContain(row.secret_hash);
    expect((await manage('GET', `/${key.id}`)).json()).toEqual(key);
  });

  it('authenticates by X-Api-Key or Bearer; anything else is 401 API_KEY_INVALID, an operator session included', async () => {
    const { secret } = await env.createKey();
    for (const headers of [{ 'x-api-key': secret }, { authorization: `Bearer ${secret}` }] as Record<
      string,
      string
    >[]) {
      const answer = await availability(headers);
      expect(answer.statusCode, answer.body).toBe(200);
      expect(answer.json()).toMatchObject({ siteId: 'park', date: date(), remaining: 500, slots: [] });
    }
    const wrongSecret = `${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}`;
    const refused: Record<string, string>[] = [
      {},
      { 'x-api-key': wrongSecret },
      { 'x-api-key': 'ck_00000000000000000000.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' },
      { 'x-api-key': 'not a key' },
      env.as('admin'),
    ];
    for (const headers of refused) {
      const answer = await availability(headers);
      expect(answer.statusCode).toBe(401);
      expect(answer.json().error.code).toBe('API_KEY_INVALID');
    }
  });

  it('limits a key to its sites: another site answers 404 as if it did not exist', async () => {
    const { secret } = await env.createKey({ siteIds: ['park'] });
    const other = await availability({ 'x-api-key': secret }, 'lake');
    expect(other.statusCode).toBe(404);
    expect(other.json().error.code).toBe('NOT_FOUND');
    const unknown = await env.app.inject({
      method: 'POST',
      url: '/api/v1/channel-keys',
      headers: env.as('admin'),
      payload: { name: 'x', channel: 'online', siteIds: ['nowhere'] },
    });
    expect(unknown.json().error.code).toBe('UNKNOWN_SITE');
  });

  it('rotates with a grace for the old secret, or ends it at once; revocation ends every secret', async () => {
    const { id, secret: first } = await env.createKey();
    const rotated = await manage('POST', `/${id}/rotate`, { graceMinutes: 60, reason: 'yearly' });
    expect(rotated.statusCode, rotated.body).toBe(200);
    const second = rotated.json().secret as string;
    expect(second).not.toBe(first);
    expect(second.startsWith(`${id}.`)).toBe(true);
    expect((await availability({ 'x-api-key': first })).statusCode).toBe(200);
    expect((await availability({ 'x-api-key': second })).statusCode).toBe(200);
    env.advance(61 * 60_000);
    expect((await availability({ 'x-api-key': first })).statusCode).toBe(401);
    expect((await availability({ 'x-api-key': second })).statusCode).toBe(200);

    const third = (await manage('POST', `/${id}/rotate`, { graceMinutes: 0, reason: 'leaked' })).json()
      .secret;
    expect((await availability({ 'x-api-key': second })).statusCode).toBe(401);
    expect((await availability({ 'x-api-key': third })).statusCode).toBe(200);

    const revoked = await manage('POST', `/${id}/revoke`, { reason: 'contract ended' });
    expect(revoked.json()).toMatchObject({ status: 'revoked' });
    expect((await availability({ 'x-api-key': third })).json().error.code).toBe('API_KEY_INVALID');
    expect((await manage('POST', `/${id}/revoke`, { reason: 'again' })).json().error.code).toBe(
      'CHANNEL_KEY_REVOKED',
    );
    expect((await manage('POST', `/${id}/rotate`, { reason: 'again' })).json().error.code).toBe(
      'CHANNEL_KEY_REVOKED',
    );
    const actions = await env.test.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', id)
      .orderBy('seq')
      .execute();
    expect(actions.map((a) => a.action)).toEqual([
      'channel_key.create',
      'channel_key.rotate',
      'channel_key.rotate',
      'channel_key.revoke',
    ]);
  });

  it('rate-limits each key on its own: 429 RATE_LIMITED with Retry-After', async () => {
    const slow = await env.createKey({ ratePerMinute: 3 });
    const other = await env.createKey({ ratePerMinute: 3 });
    for (let i = 0; i < 3; i++)
      expect((await availability({ 'x-api-key': slow.secret })).statusCode).toBe(200);
    const limited = await availability({ 'x-api-key': slow.secret });
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error.code).toBe('RATE_LIMITED');
    const retryAfter = Number(limited.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(20);
    expect((await availability({ 'x-api-key': other.secret })).statusCode).toBe(200);
  });

  it('records when a key was last used, at most once a minute', async () => {
    const { id, secret } = await env.createKey();
    expect((await manage('GET', `/${id}`)).json().lastUsedAt).toBeNull();
    await availability({ 'x-api-key': secret });
    const first = (await manage('GET', `/${id}`)).json().lastUsedAt as number;
    expect(first).toBeGreaterThan(0);
    await availability({ 'x-api-key': secret });
    expect((await manage('GET', `/${id}`)).json().lastUsedAt).toBe(first);
    env.advance(61_000);
    await availability({ 'x-api-key': secret });
    expect((await manage('GET', `/${id}`)).json().lastUsedAt).toBeGreaterThan(first);
  });

  it('is for administrators (channel.manage); an agency key names its agency', async () => {
    const cashier = await env.app.inject({
      method: 'GET',
      url: '/api/v1/channel-keys',
      headers: env.as('cashier'),
    });
    expect(cashier.statusCode).toBe(403);
    const missing = await manage('POST', '/', { name: 'A', channel: 'agency', siteIds: ['park'] });
    expect(missing.statusCode).toBe(400);
    const agency = await manage('POST', '/', {
      name: 'Sunshine Travel',
      channel: 'agency',
      agencyId: 'AG001',
      siteIds: ['park'],
    });
    expect(agency.statusCode).toBe(201);
    expect((await manage('GET', '/?agencyId=AG001')).json().map((k: { id: string }) => k.id)).toEqual([
      agency.json().key.id,
    ]);
  });
});
