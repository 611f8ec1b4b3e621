/** The gate config HTTP surface with real sign-in and permissions: read the config, read and change the settings. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { databaseBackends } from '../../db/testing.js';
import { seedGates } from '../../mqtt/testing.js';
import { type AuthTestApp, createAuthTestApp } from '../../platform/auth/testing.js';

describe.each(databaseBackends())('gate config routes on $name', (backend) => {
  let env: AuthTestApp;
  beforeEach(async () => {
    env = await createAuthTestApp(backend);
    await seedGates(env.test.database.db, 'park', ['G01']);
  });
  afterEach(() => env.dispose());

  it('shows the config with gates.read and changes settings with gates.manage, as a new version', async () => {
    const config = await env.app.inject({
      method: 'GET',
      url: '/api/v1/gates/G01/config',
      headers: env.as('control_room'),
    });
    expect(config.statusCode).toBe(200);
    expect(config.json()).toMatchObject({ type: 'gate_config', gateId: 'G01', zoneId: 'main', version: 1 });

    const url = '/api/v1/gates/G01/settings';
    const denied = await env.app.inject({
      method: 'PATCH',
      url,
      headers: env.as('control_room'),
      payload: { voiceVolume: 20 },
    });
    expect(denied.statusCode).toBe(403);
    const changed = await env.app.inject({
      method: 'PATCH',
      url,
      headers: env.as('admin'),
      payload: { voiceVolume: 20, onlineValidation: { enabled: false, deadlineMs: 500 } },
    });
    expect(changed.statusCode).toBe(200);
    expect(changed.json()).toMatchObject({
      voiceVolume: 20,
      relayPulseMs: 300,
      onlineValidation: { enabled: false },
    });
    const refused = await env.app.inject({
      method: 'PATCH',
      url,
      headers: env.as('admin'),
      payload: { relayPulseMs: 10 },
    });
    expect(refused.statusCode).toBe(400);

    const after = await env.app.inject({
      method: 'GET',
      url: '/api/v1/gates/G01/config',
      headers: env.as('admin'),
    });
    expect(after.json()).toMatchObject({
      version: 2,
      voiceVolume: 20,
      onlineValidation: { enabled: false, deadlineMs: 500 },
    });
    const unknown = await env.app.inject({
      method: 'GET',
      url: '/api/v1/gates/NOPE/settings',
      headers: env.as('admin'),
    });
    expect(unknown.statusCode).toBe(404);
  });
});
