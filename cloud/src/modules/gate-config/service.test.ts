/**
 * Gate configs on each database: built from the registry, the site's ticket types and keys and the gate's settings;
 * versions move only when content changes, by one, whoever asks; the publisher puts them retained on each gate's
 * `config` topic at start and after a change.
 */
import { decodeMessage, type GateConfig, gateTopic } from '@scenic/protocol';
import { eventually } from '@scenic/testkit/eventually';
import mqtt from 'mqtt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { databaseBackends, type TestDatabase } from '../../db/testing.js';
import { startTestMqtt } from '../../mqtt/testing.js';
import { GateAccessService } from '../gate-access/service.js';
import { SigningKeys } from '../signing-keys/keys.js';
import { CredentialSecrets } from '../signing-keys/secrets.js';
import { TicketTypesService } from '../ticket-types/service.js';
import { SYSTEM_CONTEXT, seedVenue, TYPES } from '../tickets/testing.js';
import { VenuesService } from '../venues/service.js';
import { GateConfigService } from './service.js';

describe.each(databaseBackends())('gate configs on $name', (backend) => {
  let test: TestDatabase;
  let service: GateConfigService;
  let venues: VenuesService;

  beforeEach(async () => {
    test = await backend.create();
    await seedVenue(test.database.db);
    venues = new VenuesService(test.database.db);
    await venues.createZone(
      'park',
      { id: 'north', name: { zh: '北区', en: 'North' }, capacity: null, active: true },
      SYSTEM_CONTEXT,
    );
    for (const id of ['G01', 'G02'])
      await venues.createGate(
        'park',
        { id, zoneId: 'north', direction: 'both', kind: 'tripod', name: { zh: id, en: id }, active: true },
        SYSTEM_CONTEXT,
      );
    service = new GateConfigService(
      test.database.db,
      new TicketTypesService(test.database.db, new VenuesService(test.database.db)),
    );
  });
  afterEach(() => test.dispose());

  const versions = async () =>
    Object.fromEntries((await service.sync()).map((entry) => [entry.config.gateId, entry.config.version]));

  it('builds a protocol config per gate and moves its version only when the content changes', async () => {
    const first = await service.sync();
    expect(first.map((entry) => [entry.config.gateId, entry.config.version, entry.changed])).toEqual([
      ['G01', 1, true],
      ['G02', 1, true],
    ]);
    const config = first[0]!.config;
    expect(config).toMatchObject({
      type: 'gate_config',
      gateId: 'G01',
      zoneId: 'north',
      direction: 'both',
      timeZone: 'Asia/Shanghai',
      relayPulseMs: 300,
      onlineValidation: { enabled: true, deadlineMs: 800 },
      signingKeys: [],
    });
    expect(config.ticketTypes.map((rules) => rules.typeId).sort()).toEqual(Object.values(TYPES).sort());
    expect((await service.sync()).every((entry) => !entry.changed)).toBe(true);
    expect(await versions()).toEqual({ G01: 1, G02: 1 });

    // A ticket type's rules change: every gate of the site gets a new version.
    const types = new TicketTypesService(test.database.db, venues);
    const count = await types.get(TYPES.count);
    await types.update(
      TYPES.count,
      { rules: { ...count.rules, antiPassbackSec: 600, unconfirmedUsesEntry: false } },
      SYSTEM_CONTEXT,
    );
    expect(await versions()).toEqual({ G01: 2, G02: 2 });
    // A signing key appears (first sale): again.
    await new SigningKeys(test.database.db, () => new CredentialSecrets(Buffer.alloc(32, 7))).active();
    const withKey = await service.sync();
    expect(withKey.map((entry) => entry.config.version)).toEqual([3, 3]);
    expect(withKey[0]!.config.signingKeys).toHaveLength(1);
    // The unconfirmed-passage policy reaches the gates only for the type that set it (absent = uses the entry).
    const typeRules = (typeId: number) => withKey[0]!.config.ticketTypes.find((r) => r.typeId === typeId);
    expect(typeRules(TYPES.count)).toMatchObject({ antiPassbackSec: 600, unconfirmedUsesEntry: false });
    expect(typeRules(TYPES.adult)).not.toHaveProperty('unconfirmedUsesEntry');
    const countVersion = (await types.get(TYPES.count)).version;
    expect(await types.unconfirmedUsesEntry(TYPES.count, countVersion)).toBe(false);
    expect(await types.unconfirmedUsesEntry(TYPES.adult, 1)).toBe(true);
    // One gate's own settings, and one gate's registry entry: only that gate.
    await service.updateSettings('G01', { relayPulseMs: 500, ledLanguage: 'en' }, SYSTEM_CONTEXT);
    await venues.updateGate('park', 'G02', { direction: 'in' }, SYSTEM_CONTEXT);
    const after = await service.sync();
    expect(after.map((entry) => [entry.config.version, entry.changed])).toEqual([
      [4, true],
      [4, true],
    ]);
    expect(after[0]!.config).toMatchObject({ relayPulseMs: 500, ledLanguage: 'en', voiceLanguage: 'zh' });
    expect(after[1]!.config.direction).toBe('in');
    expect(after[0]!.config).not.toHaveProperty('autoCheckoutAt');
    // The site's automatic check-out time: every gate of the site, which applies it offline; cleared, gone again.
    await venues.updateSite('park', { autoCheckoutAt: '22:00' }, SYSTEM_CONTEXT);
    const checkout = await service.sync();
    expect(checkout.map((entry) => [entry.config.version, entry.config.autoCheckoutAt])).toEqual([
      [5, '22:00'],
      [5, '22:00'],
    ]);
    await venues.updateSite('park', { autoCheckoutAt: null }, SYSTEM_CONTEXT);
    const cleared = await service.sync();
    expect(cleared.map((entry) => entry.config.version)).toEqual([6, 6]);
    expect(cleared[0]!.config).not.toHaveProperty('autoCheckoutAt');
  });

  it('two instances syncing the same change at once write one version', async () => {
    await service.sync();
    await service.updateSettings('G01', { voiceVolume: 10 }, SYSTEM_CONTEXT);
    const other = new GateConfigService(
      test.database.db,
      new TicketTypesService(test.database.db, new VenuesService(test.database.db)),
    );
    const [a, b] = await Promise.all([service.sync('park'), other.sync('park')]);
    const wrote = [...a, ...b].filter((entry) => entry.config.gateId === 'G01' && entry.changed);
    expect(wrote).toHaveLength(1);
    expect(await versions()).toEqual({ G01: 2, G02: 1 });
  });

  it('publishes retained configs at start and a new version after a change', async () => {
    const cloud = await startTestMqtt(test.database);
    try {
      const { password } = await new GateAccessService(test.database.db).issue('G01');
      const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${cloud.broker!.port}`, {
        clientId: 'sg-park-G01',
        username: 'gate@park@G01',
        password,
        reconnectPeriod: 0,
      });
      const received: GateConfig[] = [];
      client.on('message', (_topic, payload) =>
        received.push(decodeMessage('config', payload) as GateConfig),
      );
      await client.subscribeAsync(gateTopic('park', 'G01', 'config'), { qos: 1 });
      await eventually(() => (received.length > 0 ? true : undefined));
      expect(received[0]!.version).toBe(1);
      await service.updateSettings('G01', { heartbeatSec: 60 }, SYSTEM_CONTEXT);
      // The publisher looks for changes every second; waiting for the message (not timing it) keeps a busy machine
      // from failing the test.
      const next = await eventually(() => received.find((config) => config.version === 2));
      expect(next.heartbeatSec).toBe(60);
      await client.endAsync(true);
    } finally {
      await cloud.close();
    }
  });
});
