/** The customers module's SQL: customers and member cards. Callers pass a db or a transaction. */
import { type Insertable, type Selectable, sql, type Updateable } from 'kysely';
import type { Connection } from '../../db/scoped.js';
import { type SiteScope, siteCondition } from '../../platform/site-scope.js';
import type { Customer, MemberCard } from './schemas.js';
import { type CustomersTable, customerTables, type MemberCardsTable } from './tables.js';

type Db = Connection;

/** What a search may match on, each already normalised (an ID number as its keyed hash). */
export interface CustomerFilter {
  readonly siteId?: string;
  readonly phone?: string;
  readonly idHash?: string;
  readonly cardUid?: string;
  readonly namePrefix?: string;
  readonly tag?: string;
  readonly kind?: CustomersTable['kind'];
}

function cardOf(row: Selectable<MemberCardsTable>): MemberCard {
  return {
    id: row.id,
    cardUid: row.card_uid,
    status: row.status,
    createdAt: row.created_at,
    endedAt: row.ended_at,
  };
}

function customerOf(row: Selectable<CustomersTable>, cards: MemberCard[]): Customer {
  return {
    id: row.id,
    siteId: row.site_id,
    kind: row.kind,
    name: row.name,
    phone: row.phone,
    idMasked: row.id_masked,
    tags: JSON.parse(row.tags) as string[],
    note: row.note,
    cards,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** A LIKE pattern matching `text` literally at the start (its % _ and \ escaped). */
function prefixPattern(text: string): string {
  return `${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export async function insertCustomer(db: Db, row: Insertable<CustomersTable>): Promise<void> {
  await customerTables(db).insertInto('customers').values(row).execute();
}

export async function updateCustomer(db: Db, id: string, changes: Updateable<CustomersTable>): Promise<void> {
  await customerTables(db).updateTable('customers').set(changes).where('id', '=', id).execute();
}

export async function findCustomerRow(
  db: Db,
  id: string,
  scope: SiteScope,
): Promise<Selectable<CustomersTable> | undefined> {
  return customerTables(db)
    .selectFrom('customers')
    .selectAll()
    .where('id', '=', id)
    .where(siteCondition(scope, 'site_id'))
    .executeTakeFirst();
}

export async function findCustomer(db: Db, id: string, scope: SiteScope): Promise<Customer | undefined> {
  const row = await findCustomerRow(db, id, scope);
  if (!row) return undefined;
  return customerOf(row, (await cardsOf(db, [id])).get(id) ?? []);
}

/** Each customer's cards, newest first. */
async function cardsOf(db: Db, customerIds: readonly string[]): Promise<Map<string, MemberCard[]>> {
  const byCustomer = new Map<string, MemberCard[]>();
  if (customerIds.length === 0) return byCustomer;
  const rows = await customerTables(db)
    .selectFrom('member_cards')
    .selectAll()
    .where('customer_id', 'in', customerIds)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .execute();
  for (const row of rows) {
    const cards = byCustomer.get(row.customer_id) ?? [];
    cards.push(cardOf(row));
    byCustomer.set(row.customer_id, cards);
  }
  return byCustomer;
}

/** A page of the customers of `scope` matching every given field, by name; and how many match in all. */
export async function searchCustomers(
  db: Db,
  filter: CustomerFilter,
  page: { readonly limit: number; readonly offset: number },
  scope: SiteScope,
): Promise<{ customers: Customer[]; total: number }> {
  let query = customerTables(db).selectFrom('customers as c').where(siteCondition(scope, 'c.site_id'));
  if (filter.siteId !== undefined) query = query.where('c.site_id', '=', filter.siteId);
  if (filter.phone !== undefined) query = query.where('c.phone', '=', filter.phone);
  if (filter.idHash !== undefined) query = query.where('c.id_hash', '=', filter.idHash);
  if (filter.kind !== undefined) query = query.where('c.kind', '=', filter.kind);
  if (filter.namePrefix !== undefined)
    query = query.where(sql<boolean>`c.name like ${prefixPattern(filter.namePrefix)} escape '\\'`);
  // Tags are a JSON array of strings: the quoted tag is a whole element.
  if (filter.tag !== undefined)
    query = query.where(
      sql<boolean>`c.tags like ${`%${JSON.stringify(filter.tag).replace(/[\\%_]/g, (c) => `\\${c}`)}%`} escape '\\'`,
    );
  if (filter.cardUid !== undefined) {
    const uid = filter.cardUid;
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('member_cards as m')
          .select('m.id')
          .whereRef('m.customer_id', '=', 'c.id')
          .where('m.card_uid', '=', uid)
          .where('m.status', '=', 'active'),
      ),
    );
  }
  const [rows, count] = await Promise.all([
    query.selectAll('c').orderBy('c.name').orderBy('c.id').limit(page.limit).offset(page.offset).execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst(),
  ]);
  const cards = await cardsOf(
    db,
    rows.map((row) => row.id),
  );
  return {
    customers: rows.map((row) => customerOf(row, cards.get(row.id) ?? [])),
    total: Number(count?.n ?? 0),
  };
}

export async function insertCard(db: Db, row: Insertable<MemberCardsTable>): Promise<void> {
  await customerTables(db).insertInto('member_cards').values(row).execute();
}

export async function findCard(
  db: Db,
  customerId: string,
  cardId: string,
): Promise<Selectable<MemberCardsTable> | undefined> {
  return customerTables(db)
    .selectFrom('member_cards')
    .selectAll()
    .where('id', '=', cardId)
    .where('customer_id', '=', customerId)
    .executeTakeFirst();
}

/** Ends an active card; false when it was not active (already ended by a parallel request). */
export async function endCard(
  db: Db,
  cardId: string,
  status: 'blocked' | 'replaced',
  at: number,
): Promise<boolean> {
  const result = await customerTables(db)
    .updateTable('member_cards')
    .set({ status, ended_at: at })
    .where('id', '=', cardId)
    .where('status', '=', 'active')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
