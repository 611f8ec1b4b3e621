import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseBackends } from '../../db/testing.js';
import { type AuthTestApp, createAuthTestApp } from '../../platform/auth/testing.js';

describe.each(databaseBackends())('GET /api/v1/audit on $name', (backend) => {
  let env: AuthTestApp;
  let start: number;
  beforeAll(async () => {
    env = await createAuthTestApp(backend);
    start = Date.now();
    for (const name of ['a1', 'a2', 'a3'])
      await env.app.inject({
        method: 'POST',
        url: '/api/v1/operators',
        headers: env.as('admin'),
        payload: { username: name, displayName: name, password: `password-${name}`, roles: [] },
      });
  });
  afterAll(() => env.dispose());

  const get = (query: string, role: 'admin' | 'finance' | 'cashier' = 'finance') =>
    env.app.inject({ method: 'GET', url: `/api/v1/audit${query}`, headers: env.as(role) });

  it('filters by actor, action (exact or prefix), entity and time, newest first', async () => {
    const byActor = (await get(`?actor=test_admin&action=operator.create&from=${start}`)).json();
    expect(byActor.items.map((e: { after: { username: string } }) => e.after.username)).toEqual([
      'a3',
      'a2',
      'a1',
    ]);
    expect(byActor.items[0]).toMatchObject({
      actor: { id: env.operators.admin.id, username: 'test_admin' },
      entity: 'operator',
      before: null,
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    const byId = (await get(`?actor=${env.operators.admin.id}&action=operator.`)).json();
    expect(byId.items).toHaveLength(3);
    expect((await get('?action=role.seed')).json().items).toHaveLength(6);
    expect((await get(`?entity=role&to=${start}`)).json().items).toHaveLength(6);
    expect((await get(`?entity=role&from=${Date.now() + 1000}`)).json().items).toHaveLength(0);
  });

  it('pages with nextBefore until the start of the log', async () => {
    const seen: number[] = [];
    let before: number | null = null;
    do {
      const page: { items: { seq: number }[]; nextBefore: number | null } = (
        await get(`?limit=4${before ? `&before=${before}` : ''}`)
      ).json();
      seen.push(...page.items.map((e: { seq: number }) => e.seq));
      before = page.nextBefore;
    } while (before !== null);
    const total = seen.length;
    expect(seen).toEqual(Array.from({ length: total }, (_, i) => total - i));
  });

  it('needs audit.read, and reports the chain as sound', async () => {
    expect((await get('', 'cashier')).statusCode).toBe(403);
    const verify = await env.app.inject({
      method: 'GET',
      url: '/api/v1/audit/verify',
      headers: env.as('finance'),
    });
    expect(verify.json()).toMatchObject({ ok: true, headHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect((await get('?limit=0')).json().error.code).toBe('VALIDATION_FAILED');
  });
});
