/** The commands module's SQL. Callers pass a db or a transaction. */
import type { Insertable, Kysely, Selectable } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { GateCommandResult, GateCommandResultsTable, GateCommandsTable } from './tables.js';

type Db = Kysely<Database>;
export type CommandRow = Selectable<GateCommandsTable>;
export type ResultRow = Selectable<GateCommandResultsTable>;

export async function insertCommand(
  db: Db,
  command: Insertable<GateCommandsTable>,
  results: Insertable<GateCommandResultsTable>[],
): Promise<void> {
  await db.insertInto('gate_commands').values(command).execute();
  // Chunked: PostgreSQL allows 65535 bind parameters per statement and "all sites" may be thousands of gates.
  for (let i = 0; i < results.length; i += 500) {
    await db
      .insertInto('gate_command_results')
      .values(results.slice(i, i + 500))
      .execute();
  }
}

export async function findCommand(db: Db, id: string): Promise<CommandRow | undefined> {
  return db.selectFrom('gate_commands').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function resultsOf(db: Db, commandIds: readonly string[]): Promise<ResultRow[]> {
  if (commandIds.length === 0) return [];
  return db
    .selectFrom('gate_command_results')
    .selectAll()
    .where('command_id', 'in', commandIds)
    .orderBy('site_id')
    .orderBy('gate_id')
    .execute();
}

export async function findResult(db: Db, commandId: string, gateId: string): Promise<ResultRow | undefined> {
  return db
    .selectFrom('gate_command_results')
    .selectAll()
    .where('command_id', '=', commandId)
    .where('gate_id', '=', gateId)
    .executeTakeFirst();
}

/** Sets a result only if it is still in `from`; true when this call changed it. */
export async function settleResult(
  db: Db,
  key: { commandId: string; gateId: string },
  from: GateCommandResult,
  to: Partial<Omit<ResultRow, 'command_id' | 'gate_id'>>,
): Promise<boolean> {
  const updated = await db
    .updateTable('gate_command_results')
    .set(to)
    .where('command_id', '=', key.commandId)
    .where('gate_id', '=', key.gateId)
    .where('result', '=', from)
    .executeTakeFirst();
  return updated.numUpdatedRows > 0n;
}

/** Pending results whose deadline (expires_at + grace) has passed. */
export async function overdue(db: Db, cutoff: number): Promise<{ command_id: string; gate_id: string }[]> {
  return db
    .selectFrom('gate_command_results')
    .select(['command_id', 'gate_id'])
    .where('result', '=', 'pending')
    .where('expires_at', '<=', cutoff)
    .limit(5_000)
    .execute();
}

export async function pendingCount(db: Db, commandId: string): Promise<number> {
  const row = await db
    .selectFrom('gate_command_results')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('command_id', '=', commandId)
    .where('result', '=', 'pending')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function markCompleted(db: Db, commandId: string, at: number): Promise<boolean> {
  const updated = await db
    .updateTable('gate_commands')
    .set({ completed_at: at })
    .where('id', '=', commandId)
    .where('completed_at', 'is', null)
    .executeTakeFirst();
  return updated.numUpdatedRows > 0n;
}

export async function listCommands(
  db: Db,
  filter: { siteId?: string; from?: number; to?: number },
  page: { limit: number; offset: number },
): Promise<{ rows: CommandRow[]; total: number }> {
  let query = db.selectFrom('gate_commands');
  if (filter.siteId !== undefined) {
    const siteId = filter.siteId;
    // A command for all sites concerns every site too.
    query = query.where((eb) => eb.or([eb('target_site_id', '=', siteId), eb('target_kind', '=', 'all')]));
  }
  if (filter.from !== undefined) query = query.where('issued_at', '>=', filter.from);
  if (filter.to !== undefined) query = query.where('issued_at', '<', filter.to);
  const [rows, count] = await Promise.all([
    query
      .selectAll()
      .orderBy('issued_at', 'desc')
      .orderBy('id', 'desc')
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}
