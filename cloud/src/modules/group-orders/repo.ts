/** The group-orders module's SQL: orders, lines, visitors, payments, issued tickets, transitions. */
import {
  type Insertable,
  PostgresAdapter,
  type QueryCreator,
  type Selectable,
  sql,
  type Updateable,
} from 'kysely';
import type { PrecompiledStatement } from '../../db/precompiled.js';
import type { Connection } from '../../db/scoped.js';
import { ALL_SITES, coversSite, type SiteScope, siteCondition } from '../../platform/site-scope.js';
import type { ListGroupOrdersQuery } from './schemas.js';
import type { OrderState } from './states.js';
import {
  type GroupOrderLinesTable,
  type GroupOrderPaymentsTable,
  type GroupOrdersTable,
  type GroupOrderTables,
  type GroupOrderTicketsTable,
  type GroupOrderTransitionsTable,
  type GroupOrderVisitorsTable,
  groupOrderTables,
} from './tables.js';

export type OrderRow = Selectable<GroupOrdersTable>;
export type LineRow = Selectable<GroupOrderLinesTable>;
export type VisitorRow = Selectable<GroupOrderVisitorsTable>;
export type PaymentRow = Selectable<GroupOrderPaymentsTable>;
export type TransitionRow = Selectable<GroupOrderTransitionsTable>;

/**
 * Whose orders a reader may see besides the site scope: an agency's operator only its agency's; an operator who may
 * only place orders (groups.order without groups.manage) only the orders they placed.
 */
export interface OrderViewer {
  readonly agencyId?: string;
  readonly createdById?: string;
  /** A channel key without an agency: only the orders that key placed. */
  readonly channelKeyId?: string;
}

const db = (connection: Connection) => groupOrderTables(connection);

// The hot path's statements (a partner's hold and confirm), compiled once (db/precompiled.ts).
const orderById = groupOrderTables.precompile<{ id: string }, OrderRow>((db, p) =>
  db.selectFrom('group_orders').selectAll().where('id', '=', p.id),
);
const orderByReference = groupOrderTables.precompile<
  { scope: string; reference: string },
  { id: string; request_hash: string }
>((db, p) =>
  db
    .selectFrom('group_orders')
    .select(['id', 'request_hash'])
    .where('reference_scope', '=', p.scope)
    .where('reference', '=', p.reference),
);

/** Whether `viewer` within `scope` may see the order (the same rules for every read of one order). */
function visible(row: OrderRow, scope: SiteScope, viewer: OrderViewer): boolean {
  return (
    coversSite(scope, row.site_id) &&
    (viewer.agencyId === undefined || row.agency_id === viewer.agencyId) &&
    (viewer.createdById === undefined || row.created_by_id === viewer.createdById) &&
    (viewer.channelKeyId === undefined || row.channel_key_id === viewer.channelKeyId)
  );
}

/**
 * The order by its id as this reader may see it, else undefined. Read by primary key and filtered here rather than
 * in SQL: one statement text for every scope and viewer, compiled once.
 */
export async function findOrder(
  connection: Connection,
  id: string,
  scope: SiteScope = ALL_SITES,
  viewer: OrderViewer = {},
): Promise<OrderRow | undefined> {
  const row = await orderById.first(connection, { id });
  return row !== undefined && visible(row, scope, viewer) ? row : undefined;
}

/** The order of a client's reference, as `findOrder` would show it to this reader. */
export async function findOrderByReference(
  connection: Connection,
  referenceScope: string,
  reference: string,
  scope: SiteScope,
  viewer: OrderViewer,
): Promise<OrderRow | undefined> {
  const found = await findByReference(connection, referenceScope, reference);
  return found === undefined ? undefined : findOrder(connection, found.id, scope, viewer);
}

export function findByReference(
  connection: Connection,
  referenceScope: string,
  reference: string,
): Promise<{ id: string; request_hash: string } | undefined> {
  return orderByReference.first(connection, { scope: referenceScope, reference });
}

type Params = Record<string, unknown>;
type Tables = keyof typeof SHAPED_TABLES;
const SHAPED_TABLES = {
  group_orders: true,
  group_order_lines: true,
  group_order_visitors: true,
  group_order_transitions: true,
} as const;

/** Rows for one table, all with the columns of the first. */
interface RowGroup {
  readonly table: Tables;
  readonly rows: readonly object[];
}

/**
 * Inserts compiled once per shape (tables, column sets, row counts: an order has one or a few lines and visitors);
 * the placeholder of group g's row i, column c is `g<g>r<i>_<c>`. On PostgreSQL all the groups go in one statement
 * (data-modifying CTEs; foreign keys are checked at its end), one round trip instead of one per table while the
 * other audited writers wait on the chain lock; SQLite runs them in-process one by one.
 */
const insertStatements = new Map<string, PrecompiledStatement<Params, never>[]>();

function insertsFor(groups: readonly { table: Tables; columns: readonly string[]; count: number }[]) {
  const shape = groups.map((g) => `${g.table}|${g.columns.join(',')}|${g.count}`).join(';');
  let statements = insertStatements.get(shape);
  if (statements) return statements;
  type Creator = QueryCreator<GroupOrderTables>;
  const insert = (db: Creator, p: Params, index: number) => {
    const { table, columns, count } = groups[index]!;
    return db
      .insertInto(table)
      .values(
        Array.from(
          { length: count },
          (_, i) =>
            Object.fromEntries(columns.map((column) => [column, p[`g${index}r${i}_${column}`]])) as never,
        ),
      );
  };
  const each = groups.map((_, index) =>
    groupOrderTables.precompile<Params, never>((db, p) => insert(db as unknown as Creator, p, index)),
  );
  const together = groupOrderTables.precompile<Params, never>((db, p) => {
    let creator = db as unknown as Creator;
    for (let index = 0; index < groups.length - 1; index++)
      creator = creator.with(`g${index}`, (qb) =>
        insert(qb as unknown as Creator, p, index),
      ) as unknown as Creator;
    return insert(creator, p, groups.length - 1);
  });
  statements = [...each, together];
  insertStatements.set(shape, statements);
  return statements;
}

async function insertRows(trx: Connection, ...given: RowGroup[]): Promise<void> {
  const groups = given.filter((group) => group.rows.length > 0);
  if (groups.length === 0) return;
  const params: Params = {};
  const shapes = groups.map((group, g) => {
    const columns = Object.keys(group.rows[0]!).sort();
    for (const [i, row] of group.rows.entries())
      for (const column of columns) params[`g${g}r${i}_${column}`] = (row as Params)[column] ?? null;
    return { table: group.table, columns, count: group.rows.length };
  });
  const statements = insertsFor(shapes);
  if (trx.getExecutor().adapter instanceof PostgresAdapter) {
    await statements.at(-1)!.rows(trx, params);
    return;
  }
  for (const statement of statements.slice(0, -1)) await statement.rows(trx, params);
}

/** A new order with its lines and visitors (none for an order placed without them). */
export async function insertOrder(
  trx: Connection,
  order: Insertable<GroupOrdersTable>,
  lines: readonly Insertable<GroupOrderLinesTable>[],
  visitors: readonly Insertable<GroupOrderVisitorsTable>[] = [],
): Promise<void> {
  await insertRows(
    trx,
    { table: 'group_orders', rows: [order] },
    { table: 'group_order_lines', rows: lines },
    { table: 'group_order_visitors', rows: visitors },
  );
}

/** Updates compiled once per set of columns changed (each transition changes its own few). */
const updateStatements = new Map<string, PrecompiledStatement<Params, never>>();

/**
 * Changes the order only while it is still in `from` (the state the change was decided on): false when a concurrent
 * change (the expiry sweep, a second window) moved it first.
 */
export async function updateOrder(
  trx: Connection,
  id: string,
  from: OrderState,
  patch: Updateable<GroupOrdersTable>,
): Promise<boolean> {
  const columns = Object.keys(patch)
    .filter((column) => (patch as Params)[column] !== undefined)
    .sort();
  const shape = columns.join(',');
  let statement = updateStatements.get(shape);
  if (!statement) {
    statement = groupOrderTables.precompile<Params, never>((db, p) =>
      db
        .updateTable('group_orders')
        .set(Object.fromEntries(columns.map((column) => [column, p[`set_${column}`]])) as never)
        .where('id', '=', p.id as string)
        .where('state', '=', p.from as OrderState),
    );
    updateStatements.set(shape, statement);
  }
  const params: Params = { id, from };
  for (const column of columns) params[`set_${column}`] = (patch as Params)[column] ?? null;
  return (await statement.changed(trx, params)) === 1;
}

export async function replaceLines(
  trx: Connection,
  orderId: string,
  lines: readonly Insertable<GroupOrderLinesTable>[],
): Promise<void> {
  await db(trx).deleteFrom('group_order_lines').where('order_id', '=', orderId).execute();
  await db(trx)
    .insertInto('group_order_lines')
    .values([...lines])
    .execute();
}

export async function replaceVisitors(
  trx: Connection,
  orderId: string,
  visitors: readonly Insertable<GroupOrderVisitorsTable>[],
): Promise<void> {
  await db(trx).deleteFrom('group_order_visitors').where('order_id', '=', orderId).execute();
  if (visitors.length > 0)
    await db(trx)
      .insertInto('group_order_visitors')
      .values([...visitors])
      .execute();
}

export async function addPayments(
  trx: Connection,
  orderId: string,
  payments: readonly Omit<Insertable<GroupOrderPaymentsTable>, 'order_id' | 'seq'>[],
): Promise<void> {
  if (payments.length === 0) return;
  const last = await db(trx)
    .selectFrom('group_order_payments')
    .select((eb) => eb.fn.max('seq').as('seq'))
    .where('order_id', '=', orderId)
    .executeTakeFirst();
  const start = Number(last?.seq ?? 0);
  await db(trx)
    .insertInto('group_order_payments')
    .values(payments.map((payment, i) => ({ ...payment, order_id: orderId, seq: start + i + 1 })))
    .execute();
}

export async function addTickets(
  trx: Connection,
  tickets: readonly Insertable<GroupOrderTicketsTable>[],
): Promise<void> {
  // Chunked: a large group issued one ticket each would exceed SQLite's bound-parameter limit in one statement.
  for (let i = 0; i < tickets.length; i += 200)
    await db(trx)
      .insertInto('group_order_tickets')
      .values(tickets.slice(i, i + 200))
      .execute();
}

// Every change of an order reads these (its answer, its state log): compiled once (db/precompiled.ts).
const linesStatement = groupOrderTables.precompile<{ orderId: string }, LineRow>((db, p) =>
  db.selectFrom('group_order_lines').selectAll().where('order_id', '=', p.orderId).orderBy('line_no'),
);
const visitorsStatement = groupOrderTables.precompile<{ orderId: string }, VisitorRow>((db, p) =>
  db.selectFrom('group_order_visitors').selectAll().where('order_id', '=', p.orderId).orderBy('seq'),
);
const paymentsStatement = groupOrderTables.precompile<{ orderId: string }, PaymentRow>((db, p) =>
  db.selectFrom('group_order_payments').selectAll().where('order_id', '=', p.orderId).orderBy('seq'),
);
const ticketsStatement = groupOrderTables.precompile<{ orderId: string }, Selectable<GroupOrderTicketsTable>>(
  (db, p) =>
    db
      .selectFrom('group_order_tickets')
      .selectAll()
      .where('order_id', '=', p.orderId)
      .orderBy('line_no')
      .orderBy('ticket_id'),
);
const transitionsStatement = groupOrderTables.precompile<{ orderId: string }, TransitionRow>((db, p) =>
  db.selectFrom('group_order_transitions').selectAll().where('order_id', '=', p.orderId).orderBy('seq'),
);

/**
 * Appends the order's next transition and answers its seq: `seq` when the caller knows it (1 for a new order),
 * else one more than the last.
 */
type TransitionValues = Omit<Insertable<GroupOrderTransitionsTable>, 'seq'>;
type TransitionParams = { [K in keyof Required<TransitionValues>]: TransitionValues[K] };

/**
 * The next transition of an order in one statement: its seq is one more than the order's last, taken in the same
 * INSERT … SELECT (one round trip fewer than reading it first). The values are cast where PostgreSQL would
 * otherwise type a parameter of the select list as text.
 */
const appendNextTransition = groupOrderTables.precompile<TransitionParams, { seq: number }>((db, p) =>
  db
    .insertInto('group_order_transitions')
    .columns([
      'order_id',
      'action',
      'from_state',
      'to_state',
      'at',
      'actor_id',
      'actor_username',
      'details_json',
      'seq',
    ])
    .expression((eb) =>
      eb
        .selectFrom('group_order_transitions')
        .select([
          sql<string>`${p.order_id}`.as('order_id'),
          sql<string>`${p.action}`.as('action'),
          sql<string | null>`${p.from_state}`.as('from_state'),
          sql<string>`${p.to_state}`.as('to_state'),
          sql<number>`cast(${p.at} as bigint)`.as('at'),
          sql<string | null>`${p.actor_id}`.as('actor_id'),
          sql<string>`${p.actor_username}`.as('actor_username'),
          sql<string>`${p.details_json}`.as('details_json'),
          sql<number>`coalesce(max(seq), 0) + 1`.as('seq'),
        ])
        .where('order_id', '=', p.order_id),
    )
    .returning('seq'),
);

/**
 * Appends the order's next transition and answers its seq: `seq` when the caller knows it (1 for a new order),
 * else one more than the last.
 */
export async function appendTransition(
  trx: Connection,
  row: TransitionValues,
  seq?: number,
): Promise<number> {
  if (seq !== undefined) {
    await insertRows(trx, { table: 'group_order_transitions', rows: [{ ...row, seq }] });
    return seq;
  }
  const appended = await appendNextTransition.first(trx, {
    order_id: row.order_id,
    action: row.action,
    from_state: row.from_state ?? null,
    to_state: row.to_state,
    at: row.at,
    actor_id: row.actor_id ?? null,
    actor_username: row.actor_username,
    details_json: row.details_json,
  });
  return Number(appended!.seq);
}

export function linesOf(connection: Connection, orderId: string): Promise<LineRow[]> {
  return linesStatement.rows(connection, { orderId });
}

export function visitorsOf(connection: Connection, orderId: string): Promise<VisitorRow[]> {
  return visitorsStatement.rows(connection, { orderId });
}

export function paymentsOf(connection: Connection, orderId: string): Promise<PaymentRow[]> {
  return paymentsStatement.rows(connection, { orderId });
}

export function ticketsOf(
  connection: Connection,
  orderId: string,
): Promise<Selectable<GroupOrderTicketsTable>[]> {
  return ticketsStatement.rows(connection, { orderId });
}

export function transitionsOf(connection: Connection, orderId: string): Promise<TransitionRow[]> {
  return transitionsStatement.rows(connection, { orderId });
}

export async function listOrders(
  connection: Connection,
  query: ListGroupOrdersQuery & { visitDay?: number; channelKeyId?: string },
  scope: SiteScope,
  viewer: OrderViewer,
): Promise<{ rows: OrderRow[]; total: number; counts: Partial<Record<OrderState, number>> }> {
  let unstated = db(connection).selectFrom('group_orders').where(siteCondition(scope, 'site_id'));
  if (query.siteId !== undefined) unstated = unstated.where('site_id', '=', query.siteId);
  if (query.agencyId !== undefined) unstated = unstated.where('agency_id', '=', query.agencyId);
  if (query.visitDay !== undefined) unstated = unstated.where('visit_day', '=', query.visitDay);
  if (viewer.agencyId !== undefined) unstated = unstated.where('agency_id', '=', viewer.agencyId);
  if (viewer.createdById !== undefined) unstated = unstated.where('created_by_id', '=', viewer.createdById);
  if (viewer.channelKeyId !== undefined)
    unstated = unstated.where('channel_key_id', '=', viewer.channelKeyId);
  if (query.channelKeyId !== undefined) unstated = unstated.where('channel_key_id', '=', query.channelKeyId);
  const base = query.state === undefined ? unstated : unstated.where('state', '=', query.state);
  const [rows, count, byState] = await Promise.all([
    base
      .selectAll()
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(query.limit)
      .offset(query.offset)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    // Every state's count under the other filters, so a board filtered to one state still shows the day's spread.
    unstated
      .select(['state', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('state')
      .execute(),
  ]);
  const counts = Object.fromEntries(byState.map((row) => [row.state, Number(row.n)]));
  return { rows, total: Number(count.n), counts };
}

/** Held orders whose hold lapsed at or before `now`, oldest first. */
export async function lapsedHolds(connection: Connection, now: number, limit: number): Promise<string[]> {
  const rows = await db(connection)
    .selectFrom('group_orders')
    .select('id')
    .where('state', '=', 'held')
    .where('hold_expires_at', '<=', now)
    .orderBy('hold_expires_at')
    .limit(limit)
    .execute();
  return rows.map((row) => row.id);
}

/** An issued ticket of an order, with what the passage hook needs of its order. */
export interface AdmissionTicket {
  readonly order_id: string;
  readonly ticket_id: number;
  readonly line_no: number;
  readonly persons: number;
  readonly persons_admitted: number;
  readonly channel_key_id: string | null;
}

/** Ids per `in (…)` list: far below either engine's bound-parameter limit. */
const IN_CHUNK = 500;

/** The order tickets among `ticketIds` (most passages are of no order: the answer is then empty). */
export async function admissionTickets(
  connection: Connection,
  ticketIds: readonly number[],
): Promise<AdmissionTicket[]> {
  const found: AdmissionTicket[] = [];
  for (let i = 0; i < ticketIds.length; i += IN_CHUNK)
    found.push(
      ...(await db(connection)
        .selectFrom('group_order_tickets as t')
        .innerJoin('group_orders as o', 'o.id', 't.order_id')
        .select([
          't.order_id',
          't.ticket_id',
          't.line_no',
          't.persons',
          't.persons_admitted',
          'o.channel_key_id',
        ])
        .where('t.ticket_id', 'in', ticketIds.slice(i, i + IN_CHUNK))
        .execute()),
    );
  return found;
}

export async function setAdmitted(
  trx: Connection,
  orderId: string,
  ticketId: number,
  personsAdmitted: number,
): Promise<void> {
  await db(trx)
    .updateTable('group_order_tickets')
    .set({ persons_admitted: personsAdmitted })
    .where('order_id', '=', orderId)
    .where('ticket_id', '=', ticketId)
    .execute();
}

/** Adds persons admitted to the order's count. */
export async function addOrderAdmitted(trx: Connection, orderId: string, persons: number): Promise<void> {
  await db(trx)
    .updateTable('group_orders')
    .set((eb) => ({ persons_admitted: eb('persons_admitted', '+', persons) }))
    .where('id', '=', orderId)
    .execute();
}
