/**
 * Test helpers of the backup suites: a venue filled through the real API (operators, slots, sales, a refund), every
 * row of every table read in primary-key order, and empty restore targets — a new SQLite path, or a new PostgreSQL
 * database (a backup's schema name is taken in the database it came from, so a restore beside it would be refused).
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serviceUrl } from '@scenic/testkit/services';
import { sql } from 'kysely';
import pg from 'pg';
import { expect } from 'vitest';
import { seedVenue, TYPES } from '../../modules/tickets/testing.js';
import type { AuthTestApp } from '../../platform/auth/testing.js';
import type { DatabaseConfig, DatabaseHandle } from '../database.js';
import { tableNames } from './contents.js';

const DAY_MS = 86_400_000;
/** A venue-local date `days` ahead (the venue is at UTC+8). */
export const visitDate = (days: number) =>
  new Date(Date.now() + 8 * 3_600_000 + days * DAY_MS).toISOString().slice(0, 10);

let keys = 0;
export const idempotencyKey = () => `bk-${process.pid}-${Date.now()}-${++keys}`;

/** One window sale of `quantity` adult tickets through POST /api/v1/sales; answers the receipt. */
export async function sell(env: AuthTestApp, quantity = 1, slotId?: string) {
  const response = await env.app.inject({
    method: 'POST',
    url: '/api/v1/sales',
    headers: { ...env.as('cashier'), 'idempotency-key': idempotencyKey() },
    payload: {
      siteId: 'park',
      windowId: 'W01',
      lines: [
        {
          typeId: TYPES.adult,
          quantity,
          visitDate: visitDate(slotId ? 20 : 3),
          ...(slotId ? { slotId } : {}),
        },
      ],
      payments: [
        { method: 'wechat', amountFen: 5_000 },
        { method: 'cash', amountFen: quantity * 10_000 },
      ],
    },
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json() as { id: string; tickets: { ticketId: number }[] };
}

/** The venue, a timed slot, an operator created by an administrator, sales (one into the slot) and a refund. */
export async function populate(env: AuthTestApp): Promise<void> {
  await seedVenue(env.test.database.db);
  const slots = await env.app.inject({
    method: 'POST',
    url: '/api/v1/capacity/slots',
    headers: env.as('admin'),
    payload: { siteId: 'park', date: visitDate(20), slots: [{ start: '09:00', end: '10:00', cap: 50 }] },
  });
  expect(slots.statusCode, slots.body).toBe(201);
  const operator = await env.app.inject({
    method: 'POST',
    url: '/api/v1/operators',
    headers: env.as('admin'),
    payload: { username: 'wang.fang', displayName: '王芳', password: 'window-two-pass', roles: ['cashier'] },
  });
  expect(operator.statusCode, operator.body).toBe(201);
  const sales = [await sell(env, 2), await sell(env, 1, slots.json()[0].id), await sell(env, 3)];
  const refund = await env.app.inject({
    method: 'POST',
    url: '/api/v1/refunds',
    headers: { ...env.as('cashier'), 'idempotency-key': idempotencyKey() },
    payload: { saleId: sales[0]!.id, ticketIds: [sales[0]!.tickets[0]!.ticketId], reason: '行程变更' },
  });
  expect(refund.statusCode, refund.body).toBe(201);
}

async function primaryKey(database: DatabaseHandle, table: string): Promise<string[]> {
  const { rows } =
    database.dialect === 'sqlite'
      ? await sql<{
          name: string;
        }>`select name from pragma_table_info(${table}) where pk > 0 order by pk`.execute(database.db)
      : await sql<{ name: string }>`select a.attname as name from pg_index i
          join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
          where i.indisprimary and i.indrelid = (quote_ident(current_schema()) || '.' || quote_ident(${table}))::regclass
          order by array_position(i.indkey, a.attnum)`.execute(database.db);
  return rows.map((row) => row.name);
}

/** Every row of every table, each table ordered by its primary key (or, without one, by every column). */
export async function allRows(database: DatabaseHandle): Promise<Record<string, unknown[]>> {
  const result: Record<string, unknown[]> = {};
  for (const table of await tableNames(database)) {
    const key = await primaryKey(database, table);
    const order = key.length > 0 ? sql.join(key.map((column) => sql.ref(column))) : sql.raw('1');
    const { rows } = await sql`select * from ${sql.table(table)} order by ${order}`.execute(database.db);
    result[table] =
      key.length > 0 ? rows : [...rows].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
  }
  return result;
}

export interface RestoreTarget {
  readonly config: DatabaseConfig;
  dispose(): Promise<void>;
}

async function onServer(url: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** A new, empty database on the PostgreSQL test server; `url` reaches it (search_path as libpq defaults). */
export async function scratchPgDatabase(): Promise<{ readonly url: string; dispose(): Promise<void> }> {
  const server = serviceUrl('TEST_DATABASE_URL');
  if (!server) throw new Error('no PostgreSQL test server');
  const name = `scenic_restore_${randomBytes(5).toString('hex')}`;
  await onServer(server, `create database ${name}`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    dispose: () => onServer(server, `drop database if exists ${name} with (force)`),
  };
}

/**
 * An empty place to restore into: a path in a new folder (SQLite); on PostgreSQL a schema named `schema` (default
 * a new random name; created empty only when `createSchema`, else the restore creates it) in `database` (a
 * scratchPgDatabase shared by a suite, left to its owner to drop) or in a new database of its own.
 */
export async function emptyTarget(
  engine: DatabaseConfig['dialect'],
  options: {
    readonly schema?: string | undefined;
    readonly createSchema?: boolean;
    readonly database?: string;
  } = {},
): Promise<RestoreTarget> {
  if (engine === 'sqlite') {
    const folder = await mkdtemp(join(tmpdir(), 'scenic-restore-'));
    return {
      config: {
        dialect: 'sqlite',
        path: join(folder, 'restored.db'),
        synchronous: 'NORMAL',
        busyTimeoutMs: 5_000,
      },
      dispose: () => rm(folder, { recursive: true, force: true }),
    };
  }
  const own = options.database === undefined ? await scratchPgDatabase() : undefined;
  const url = new URL(options.database ?? own?.url ?? '');
  const schema = options.schema ?? `r_${randomBytes(5).toString('hex')}`;
  if (options.createSchema) await onServer(url.toString(), `create schema if not exists "${schema}"`);
  url.searchParams.set('options', `-c search_path=${schema} -c synchronous_commit=off`);
  return {
    config: { dialect: 'postgres', url: url.toString(), poolSize: 3 },
    dispose: async () => {
      await own?.dispose();
    },
  };
}
