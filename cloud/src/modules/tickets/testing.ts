/** Test fixtures shared by the tickets and sales suites: a site with a window and ticket types. */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { ChangeContext } from '../../platform/change-context.js';
import { TicketTypesService } from '../ticket-types/service.js';
import { VenuesService } from '../venues/service.js';

export const SYSTEM_CONTEXT: ChangeContext = { actor: { id: null, username: 'system' }, ip: null };

export const TYPES = {
  adult: 101,
  realName: 102,
  group: 103,
  count: 104,
} as const;

/** Site `park` (Asia/Shanghai, daily cap as given), window `W01`, and the types in TYPES. */
export async function seedVenue(db: Kysely<Database>, dailyCapacity: number | null = null): Promise<void> {
  const venues = new VenuesService(db);
  const types = new TicketTypesService(db, venues);
  await venues.createSite(
    {
      id: 'park',
      name: { zh: '公园', en: 'Park' },
      timezone: 'Asia/Shanghai',
      dailyCapacity,
      agePolicy: [
        {
          minAge: 0,
          maxAge: 6,
          discount: { kind: 'permille', payPermille: 0 },
          label: { zh: '儿童免票', en: 'Child (free)' },
        },
      ],
    },
    SYSTEM_CONTEXT,
  );
  await venues.createWindow(
    'park',
    { id: 'W01', name: { zh: '一号窗口', en: 'Window 1' }, active: true },
    SYSTEM_CONTEXT,
  );
  await types.create(
    {
      typeId: TYPES.adult,
      siteId: 'park',
      code: 'ADULT',
      name: { zh: '成人票', en: 'Adult' },
      kind: 'single',
      prices: { window: 10_000 },
    },
    SYSTEM_CONTEXT,
  );
  await types.create(
    {
      typeId: TYPES.realName,
      siteId: 'park',
      code: 'REAL',
      name: { zh: '实名票', en: 'Real-name' },
      kind: 'single',
      prices: { window: 8_000 },
      realName: 'per_ticket',
      perIdDailyLimit: 1,
    },
    SYSTEM_CONTEXT,
  );
  await types.create(
    {
      typeId: TYPES.group,
      siteId: 'park',
      code: 'GROUP',
      name: { zh: '团体票', en: 'Group' },
      kind: 'group',
      prices: { window: 5_000 },
    },
    SYSTEM_CONTEXT,
  );
  await types.create(
    {
      typeId: TYPES.count,
      siteId: 'park',
      code: 'COUNT10',
      name: { zh: '十次卡', en: '10-entry card' },
      kind: 'count',
      prices: { window: 50_000 },
    },
    SYSTEM_CONTEXT,
  );
}
