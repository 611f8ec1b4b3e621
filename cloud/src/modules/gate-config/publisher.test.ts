/**
 * The publisher sends every version it has not sent yet, whoever wrote it: GET /gates/:id/config (and another cloud
 * instance) run the same sync and may store a new version that the publisher's own next round then finds unchanged.
 * Real service on each database; the bus records what would go to the broker, and a failed publish is retried.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { databaseBackends, type TestDatabase } from '../../db/testing.js';
import type { MqttBus } from '../../mqtt/bus.js';
import { silentLogger } from '../../testing/app.js';
import { TicketTypesService } from '../ticket-types/service.js';
import { SYSTEM_CONTEXT, seedVenue } from '../tickets/testing.js';
import { VenuesService } from '../venues/service.js';
import { GateConfigPublisher } from './publisher.js';
import { GateConfigService } from './service.js';

describe.each(databaseBackends())('gate config publisher on $name', (backend) => {
  let test: TestDatabase;
  let service: GateConfigService;
  let venues: VenuesService;
  const sent: [string, number][] = [];
  let failing = false;
  const bus = {
    async publish(target: { gateId: string }, config: { version: number }) {
      if (failing) throw new Error('broker unreachable');
      sent.push([target.gateId, config.version]);
    },
    async clearRetained() {},
  } as unknown as MqttBus;

  beforeEach(async () => {
    test = await backend.create();
    sent.length = 0;
    failing = false;
    await seedVenue(test.database.db);
    venues = new VenuesService(test.database.db);
    await venues.createZone(
      'park',
      { id: 'north', name: { zh: '北区', en: 'North' }, capacity: null, active: true },
      SYSTEM_CONTEXT,
    );
    await venues.createGate(
      'park',
      {
        id: 'G01',
        zoneId: 'north',
        direction: 'both',
        kind: 'tripod',
        name: { zh: 'G01', en: 'G01' },
        active: true,
      },
      SYSTEM_CONTEXT,
    );
    service = new GateConfigService(test.database.db, new TicketTypesService(test.database.db, venues));
  });
  afterEach(() => test.dispose());

  it('publishes a version stored by a read of the config, and resends after a failed publish', async () => {
    // An hour between rounds: only the explicit rounds below run.
    const publisher = new GateConfigPublisher(service, bus, silentLogger, 3_600_000);
    await publisher.start();
    expect(sent).toEqual([['G01', 1]]);
    await publisher.refresh('park');
    expect(sent).toEqual([['G01', 1]]);

    await venues.updateGate('park', 'G01', { direction: 'in' }, SYSTEM_CONTEXT);
    expect((await service.get('G01')).version).toBe(2);
    await publisher.refresh('park');
    expect(sent).toEqual([
      ['G01', 1],
      ['G01', 2],
    ]);

    await venues.updateGate('park', 'G01', { direction: 'out' }, SYSTEM_CONTEXT);
    failing = true;
    await publisher.refresh('park');
    failing = false;
    await publisher.refresh('park');
    await publisher.refresh('park');
    expect(sent.at(-1)).toEqual(['G01', 3]);
    expect(sent).toHaveLength(3);
    await publisher.stop();
  });
});
