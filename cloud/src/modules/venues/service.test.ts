import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { databaseBackends, type TestDatabase } from '../../db/testing.js';
import type { ChangeContext } from '../../platform/change-context.js';
import { AppError } from '../../platform/errors.js';
import { AGE_POLICY_PRESETS } from './age-policy.js';
import { VenuesService } from './service.js';

const context: ChangeContext = { actor: { id: null, username: 'system' }, ip: '10.0.0.9' };

const NAME = { zh: '西湖', en: 'West Lake' };

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error.code;
    throw error;
  }
  throw new Error('expected an AppError');
}

describe.each(databaseBackends())('venues on $name', (backend) => {
  let test: TestDatabase;
  let venues: VenuesService;
  let clock: number;

  beforeEach(async () => {
    test = await backend.create();
    clock = 1_764_000_000_000;
    venues = new VenuesService(test.database.db, () => clock);
  });
  afterEach(() => test.dispose());

  it('creates, reads, updates and deletes a site', async () => {
    const created = await venues.createSite(
      {
        id: 'xihu',
        name: NAME,
        timezone: 'Asia/Shanghai',
        dailyCapacity: 50_000,
        agePolicy: null,
      },
      context,
    );
    expect(created).toEqual({
      id: 'xihu',
      name: NAME,
      timezone: 'Asia/Shanghai',
      dailyCapacity: 50_000,
      agePolicy: null,
      autoCheckoutAt: null,
      createdAt: clock,
      updatedAt: clock,
    });
    expect(await venues.getSite('xihu')).toEqual(created);

    clock += 1000;
    const policy = AGE_POLICY_PRESETS[0]!.rules;
    const updated = await venues.updateSite(
      'xihu',
      { dailyCapacity: null, agePolicy: policy, autoCheckoutAt: '22:00' },
      context,
    );
    expect(updated).toMatchObject({
      dailyCapacity: null,
      agePolicy: policy,
      autoCheckoutAt: '22:00',
      updatedAt: clock,
      createdAt: clock - 1000,
    });
    expect((await venues.listSites()).items).toEqual([updated]);

    await venues.deleteSite('xihu', context);
    expect((await venues.listSites()).items).toEqual([]);
    expect(await codeOf(venues.getSite('xihu'))).toBe('NOT_FOUND');

    const audit = await test.database.db.selectFrom('audit_log').selectAll().orderBy('seq').execute();
    expect(audit.map((row) => [row.action, row.entity, row.entity_id, row.ip])).toEqual([
      ['site.create', 'site', 'xihu', '10.0.0.9'],
      ['site.update', 'site', 'xihu', '10.0.0.9'],
      ['site.delete', 'site', 'xihu', '10.0.0.9'],
    ]);
    expect(JSON.parse(audit[1]!.before_json!).dailyCapacity).toBe(50_000);
    expect(JSON.parse(audit[1]!.after_json!).dailyCapacity).toBeNull();
    // The automatic check-out time's change is in the site's operation-log entry.
    expect(JSON.parse(audit[1]!.before_json!).autoCheckoutAt).toBeNull();
    expect(JSON.parse(audit[1]!.after_json!).autoCheckoutAt).toBe('22:00');
  });

  it('refuses a duplicate site id and leaves the first one as it was', async () => {
    await venues.createSite(
      {
        id: 'xihu',
        name: NAME,
        timezone: 'Asia/Shanghai',
        dailyCapacity: null,
        agePolicy: null,
      },
      context,
    );
    const again = venues.createSite(
      {
        id: 'xihu',
        name: { zh: '别的', en: 'Other' },
        timezone: 'Asia/Urumqi',
        dailyCapacity: 1,
        agePolicy: null,
      },
      context,
    );
    expect(await codeOf(again)).toBe('VENUE_ID_TAKEN');
    expect((await venues.getSite('xihu')).name).toEqual(NAME);
  });

  it('manages zones, windows and gates under a site', async () => {
    await venues.createSite(
      {
        id: 'xihu',
        name: NAME,
        timezone: 'Asia/Shanghai',
        dailyCapacity: null,
        agePolicy: null,
      },
      context,
    );
    const zone = await venues.createZone(
      'xihu',
      {
        id: 'main',
        name: { zh: '主园区', en: 'Main park' },
        capacity: 8000,
        active: true,
      },
      context,
    );
    expect(zone).toEqual({
      siteId: 'xihu',
      id: 'main',
      name: { zh: '主园区', en: 'Main park' },
      capacity: 8000,
      active: true,
      createdAt: clock,
      updatedAt: clock,
    });
    await venues.createZone(
      'xihu',
      {
        id: 'tower',
        name: { zh: '雷峰塔', en: 'Leifeng Pagoda' },
        capacity: null,
        active: true,
      },
      context,
    );
    const window = await venues.createWindow(
      'xihu',
      {
        id: 'W01',
        name: { zh: '一号窗口', en: 'Window 1' },
        active: true,
      },
      context,
    );
    expect(window.siteId).toBe('xihu');

    const gate = await venues.createGate(
      'xihu',
      {
        id: 'xihu-n-01',
        zoneId: 'main',
        direction: 'in',
        kind: 'flap',
        name: { zh: '北门 1 号', en: 'North 1' },
        active: true,
      },
      context,
    );
    expect(gate).toMatchObject({
      siteId: 'xihu',
      zoneId: 'main',
      direction: 'in',
      kind: 'flap',
      active: true,
    });

    clock += 5;
    const moved = await venues.updateGate(
      'xihu',
      'xihu-n-01',
      {
        zoneId: 'tower',
        direction: 'both',
        active: false,
      },
      context,
    );
    expect(moved).toMatchObject({ zoneId: 'tower', direction: 'both', active: false, updatedAt: clock });
    expect(await venues.getGate('xihu', 'xihu-n-01')).toEqual(moved);
    expect(await codeOf(venues.updateGate('xihu', 'xihu-n-01', { zoneId: 'nowhere' }, context))).toBe(
      'NOT_FOUND',
    );
    expect((await venues.getGate('xihu', 'xihu-n-01')).zoneId).toBe('tower');

    expect(await venues.updateZone('xihu', 'main', { capacity: null, active: false }, context)).toMatchObject(
      {
        capacity: null,
        active: false,
      },
    );
    expect(
      await venues.updateWindow('xihu', 'W01', { name: { zh: '团队窗口', en: 'Groups' } }, context),
    ).toMatchObject({
      name: { zh: '团队窗口', en: 'Groups' },
    });
    expect((await venues.listZones('xihu')).items.map((z) => z.id)).toEqual(['main', 'tower']);
    expect((await venues.listWindows('xihu')).items.map((w) => w.id)).toEqual(['W01']);
    expect((await venues.listGates('xihu')).items.map((g) => g.id)).toEqual(['xihu-n-01']);
  });

  it('keeps zone and window ids per site but gate ids unique installation-wide', async () => {
    for (const id of ['a', 'b']) {
      await venues.createSite(
        {
          id,
          name: NAME,
          timezone: 'Asia/Shanghai',
          dailyCapacity: null,
          agePolicy: null,
        },
        context,
      );
      await venues.createZone(id, { id: 'main', name: NAME, capacity: null, active: true }, context);
      await venues.createWindow(id, { id: 'W01', name: NAME, active: true }, context);
    }
    const gate = {
      id: 'g1',
      zoneId: 'main',
      direction: 'in',
      kind: 'tripod',
      name: NAME,
      active: true,
    } as const;
    await venues.createGate('a', gate, context);
    expect(await codeOf(venues.createGate('b', gate, context))).toBe('VENUE_ID_TAKEN');
    expect(
      await codeOf(venues.createZone('a', { id: 'main', name: NAME, capacity: null, active: true }, context)),
    ).toBe('VENUE_ID_TAKEN');
    // The gate belongs to site a: under site b's URL it does not exist.
    expect(await codeOf(venues.getGate('b', 'g1'))).toBe('NOT_FOUND');
    expect(await codeOf(venues.deleteGate('b', 'g1', context))).toBe('NOT_FOUND');
  });

  it('refuses a gate in a zone of another site or an unknown site', async () => {
    await venues.createSite(
      {
        id: 'a',
        name: NAME,
        timezone: 'Asia/Shanghai',
        dailyCapacity: null,
        agePolicy: null,
      },
      context,
    );
    await venues.createSite(
      {
        id: 'b',
        name: NAME,
        timezone: 'Asia/Shanghai',
        dailyCapacity: null,
        agePolicy: null,
      },
      context,
    );
    await venues.createZone('b', { id: 'only-b', name: NAME, capacity: null, active: true }, context);
    const gate = {
      id: 'g1',
      zoneId: 'only-b',
      direction: 'in',
      kind: 'swing',
      name: NAME,
      active: true,
    } as const;
    expect(await codeOf(venues.createGate('a', gate, context))).toBe('NOT_FOUND');
    expect(await codeOf(venues.createGate('nowhere', gate, context))).toBe('NOT_FOUND');
    expect((await venues.listGates('a')).items).toEqual([]);
  });

  it('refuses to delete what is still referenced, then deletes in order', async () => {
    await venues.createSite(
      {
        id: 'xihu',
        name: NAME,
        timezone: 'Asia/Shanghai',
        dailyCapacity: null,
        agePolicy: null,
      },
      context,
    );
    await venues.createZone('xihu', { id: 'main', name: NAME, capacity: null, active: true }, context);
    await venues.createGate(
      'xihu',
      {
        id: 'g1',
        zoneId: 'main',
        direction: 'out',
        kind: 'tripod',
        name: NAME,
        active: true,
      },
      context,
    );

    expect(await codeOf(venues.deleteSite('xihu', context))).toBe('VENUE_IN_USE');
    expect(await codeOf(venues.deleteZone('xihu', 'main', context))).toBe('VENUE_IN_USE');
    expect((await venues.listZones('xihu')).items).toHaveLength(1);
    const actions = await test.database.db.selectFrom('audit_log').select('action').execute();
    expect(actions.map((row) => row.action)).not.toContain('zone.delete');

    await venues.deleteGate('xihu', 'g1', context);
    await venues.deleteZone('xihu', 'main', context);
    await venues.deleteSite('xihu', context);
    expect((await venues.listSites()).items).toEqual([]);
  });

  it('lets exactly one of many parallel creates of the same gate id win', async () => {
    await venues.createSite(
      {
        id: 'xihu',
        name: NAME,
        timezone: 'Asia/Shanghai',
        dailyCapacity: null,
        agePolicy: null,
      },
      context,
    );
    await venues.createZone('xihu', { id: 'main', name: NAME, capacity: null, active: true }, context);
    const attempts = Array.from({ length: 12 }, (_, i) =>
      venues.createGate(
        'xihu',
        {
          id: 'g1',
          zoneId: 'main',
          direction: 'in',
          kind: 'flap',
          name: { zh: `闸机${i}`, en: `Gate ${i}` },
          active: true,
        },
        context,
      ),
    );
    const results = await Promise.allSettled(attempts);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
    expect(won).toHaveLength(1);
    expect(lost.map((e) => (e instanceof AppError ? e.code : String(e)))).toEqual(
      Array(11).fill('VENUE_ID_TAKEN'),
    );
    expect((await venues.listGates('xihu')).items).toHaveLength(1);
  });
});
