/** The ticket-types module's SQL. Versions and their prices are only ever inserted, never updated. */

import type { Selectable } from 'kysely';
import { ALL_SITES, coversAllSites, type SiteScope, siteCondition } from '../../platform/site-scope.js';
import type { SalesChannel } from './channels.js';
import {
  ageDiscountsSchema,
  gateRulesSchema,
  type Prices,
  refundPolicySchema,
  type TicketKind,
  type TicketType,
  type TicketTypeVersion,
  validitySchema,
} from './schemas.js';
import type { TicketTypesTable, TicketTypeVersionsTable } from './tables.js';
import { type TicketTypeDb, ticketTypeTables } from './tables.js';

/** The type row without its definition. */
export interface TicketTypeHead {
  readonly typeId: number;
  readonly siteId: string;
  readonly code: string;
  readonly currentVersion: number;
  readonly active: boolean;
  readonly createdAt: number;
  readonly updatedAt: number;
}

function headOf(row: Selectable<TicketTypesTable>): TicketTypeHead {
  return {
    typeId: row.id,
    siteId: row.site_id,
    code: row.code,
    currentVersion: row.current_version,
    active: row.active === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

// JSON columns are written only after definitionSchema accepted them; parsing again on read fills defaults that
// later releases may add to the protocol's rules.
function versionOf(row: Selectable<TicketTypeVersionsTable>, prices: Prices): TicketTypeVersion {
  return {
    typeId: row.type_id,
    version: row.version,
    name: { zh: row.name_zh, en: row.name_en },
    kind: row.kind as TicketKind,
    validity: validitySchema.parse(JSON.parse(row.validity_json)),
    entries: row.entries,
    persons: { min: row.persons_min, max: row.persons_max },
    prices,
    rules: gateRulesSchema.parse(JSON.parse(row.rules_json)),
    refund: refundPolicySchema.parse(JSON.parse(row.refund_json)),
    realName: row.real_name as TicketTypeVersion['realName'],
    perIdDailyLimit: row.per_id_daily_limit,
    ageDiscounts: ageDiscountsSchema.parse(JSON.parse(row.age_discounts_json)),
    createdAt: row.created_at,
  };
}

export function withHead(head: TicketTypeHead, version: TicketTypeVersion): TicketType {
  return { ...version, siteId: head.siteId, code: head.code, active: head.active, updatedAt: head.updatedAt };
}

// Every sale line reads its type's head: compiled once (db/precompiled.ts).
const headById = ticketTypeTables.precompile<{ id: number }, Selectable<TicketTypesTable>>((db, p) =>
  db.selectFrom('ticket_types').selectAll().where('id', '=', p.id),
);

/** The type's head, if it exists and its site is in `scope`. */
export async function findHead(
  db: TicketTypeDb,
  typeId: number,
  scope: SiteScope = ALL_SITES,
): Promise<TicketTypeHead | undefined> {
  const row = coversAllSites(scope)
    ? await headById.first(db, { id: typeId })
    : await db
        .selectFrom('ticket_types')
        .selectAll()
        .where('id', '=', typeId)
        .where(siteCondition(scope, 'site_id'))
        .executeTakeFirst();
  return row && headOf(row);
}

export async function findHeadByCode(
  db: TicketTypeDb,
  siteId: string,
  code: string,
): Promise<TicketTypeHead | undefined> {
  const row = await db
    .selectFrom('ticket_types')
    .selectAll()
    .where('site_id', '=', siteId)
    .where('code', '=', code)
    .executeTakeFirst();
  return row && headOf(row);
}

export async function listHeads(
  db: TicketTypeDb,
  filter: { siteId?: string | undefined },
  scope: SiteScope = ALL_SITES,
): Promise<TicketTypeHead[]> {
  let query = db.selectFrom('ticket_types').selectAll().where(siteCondition(scope, 'site_id'));
  if (filter.siteId !== undefined) query = query.where('site_id', '=', filter.siteId);
  const rows = await query.orderBy('id').execute();
  return rows.map(headOf);
}

async function pricesOf(
  db: TicketTypeDb,
  keys: readonly { typeId: number; version: number }[],
): Promise<Map<string, Prices>> {
  const byKey = new Map<string, Prices>();
  if (keys.length === 0) return byKey;
  const rows = await db
    .selectFrom('ticket_type_prices')
    .selectAll()
    .where((eb) =>
      eb.or(keys.map((key) => eb.and([eb('type_id', '=', key.typeId), eb('version', '=', key.version)]))),
    )
    .execute();
  for (const row of rows) {
    const key = `${row.type_id}/${row.version}`;
    const prices = byKey.get(key) ?? {};
    prices[row.channel as SalesChannel] = row.price_fen;
    byKey.set(key, prices);
  }
  return byKey;
}

/** The given versions, in the order asked; missing ones are left out. */
export async function findVersions(
  db: TicketTypeDb,
  keys: readonly { typeId: number; version: number }[],
): Promise<TicketTypeVersion[]> {
  if (keys.length === 0) return [];
  const rows = await db
    .selectFrom('ticket_type_versions')
    .selectAll()
    .where((eb) =>
      eb.or(keys.map((key) => eb.and([eb('type_id', '=', key.typeId), eb('version', '=', key.version)]))),
    )
    .execute();
  const prices = await pricesOf(db, keys);
  const byKey = new Map(
    rows.map((row) => [
      `${row.type_id}/${row.version}`,
      versionOf(row, prices.get(`${row.type_id}/${row.version}`) ?? {}),
    ]),
  );
  return keys.flatMap((key) => byKey.get(`${key.typeId}/${key.version}`) ?? []);
}

export async function listVersions(db: TicketTypeDb, typeId: number): Promise<TicketTypeVersion[]> {
  const rows = await db
    .selectFrom('ticket_type_versions')
    .select('version')
    .where('type_id', '=', typeId)
    .orderBy('version')
    .execute();
  return findVersions(
    db,
    rows.map((row) => ({ typeId, version: row.version })),
  );
}

export async function insertHead(db: TicketTypeDb, head: TicketTypeHead): Promise<void> {
  await db
    .insertInto('ticket_types')
    .values({
      id: head.typeId,
      site_id: head.siteId,
      code: head.code,
      current_version: head.currentVersion,
      active: head.active ? 1 : 0,
      created_at: head.createdAt,
      updated_at: head.updatedAt,
    })
    .execute();
}

export async function updateHead(
  db: TicketTypeDb,
  typeId: number,
  changes: { currentVersion: number; active: boolean; updatedAt: number },
): Promise<void> {
  await db
    .updateTable('ticket_types')
    .set({
      current_version: changes.currentVersion,
      active: changes.active ? 1 : 0,
      updated_at: changes.updatedAt,
    })
    .where('id', '=', typeId)
    .execute();
}

export async function insertVersion(db: TicketTypeDb, version: TicketTypeVersion): Promise<void> {
  await db
    .insertInto('ticket_type_versions')
    .values({
      type_id: version.typeId,
      version: version.version,
      name_zh: version.name.zh,
      name_en: version.name.en,
      kind: version.kind,
      entries: version.entries,
      persons_min: version.persons.min,
      persons_max: version.persons.max,
      real_name: version.realName,
      per_id_daily_limit: version.perIdDailyLimit,
      validity_json: JSON.stringify(version.validity),
      rules_json: JSON.stringify(version.rules),
      refund_json: JSON.stringify(version.refund),
      age_discounts_json: JSON.stringify(version.ageDiscounts),
      created_at: version.createdAt,
    })
    .execute();
  const prices = Object.entries(version.prices).map(([channel, priceFen]) => ({
    type_id: version.typeId,
    version: version.version,
    channel,
    price_fen: priceFen,
  }));
  if (prices.length > 0) await db.insertInto('ticket_type_prices').values(prices).execute();
}
