/** The whitelist lag route with real sign-in: the feed head against each gate's reported version. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { databaseBackends } from '../../db/testing.js';
import { type AuthTestApp, createAuthTestApp } from '../../platform/auth/testing.js';
import { issueTicket, seedGateSite } from '../gate-validation/testing.js';

describe.each(databaseBackends())('whitelist lag route on $name', (backend) => {
  let env: AuthTestApp;
  beforeEach(async () => {
    env = await createAuthTestApp(backend);
    await seedGateSite(env.test.database.db, ['G01', 'G02']);
  });
  afterEach(() => env.dispose());

  it('shows how many versions each gate is behind, with gates.read', async () => {
    const db = env.test.database.db;
    for (let i = 0; i < 3; i++) await issueTicket(db);
    await db
      .insertInto('gate_status')
      .values({ gate_id: 'G01', site_id: 'park', online: 1, whitelist_version: 1, last_seen_at: Date.now() })
      .execute();
    const response = await env.app.inject({
      method: 'GET',
      url: '/api/v1/sites/park/whitelist/lag',
      headers: env.as('control_room'),
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      siteId: 'park',
      head: 3,
      gates: [
        { gateId: 'G01', online: true, reportedVersion: 1, behind: 2 },
        { gateId: 'G02', online: false, reportedVersion: null, behind: null },
      ],
    });
    const unknown = await env.app.inject({
      method: 'GET',
      url: '/api/v1/sites/nowhere/whitelist/lag',
      headers: env.as('control_room'),
    });
    expect(unknown.statusCode).toBe(404);
    const anonymous = await env.app.inject({ method: 'GET', url: '/api/v1/sites/park/whitelist/lag' });
    expect(anonymous.statusCode).toBe(401);
  });
});
