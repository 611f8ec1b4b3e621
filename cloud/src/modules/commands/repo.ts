/** The commands module's SQL. Callers pass a db or a transaction. */

import type { Insertable, Selectable } from 'kysely';
import type { Placeholders } from '../../db/precompiled.js';
import type { Connection } from '../../db/scoped.js';
import { type SiteScope, siteCondition } from '../../platform/site-scope.js';
import type { GateCommandResult, GateCommandResultsTable, GateCommandsTable } from './tables.js';
import { commandTables } from './tables.js';

type Db = Connection;
export type CommandRow = Selectable<GateCommandsTable>;
export type ResultRow = Selectable<GateCommandResultsTable>;

export async function insertCommand(
  db: Db,
  command: Insertable<GateCommandsTable>,
  results: Insertable<GateCommandResultsTable>[],
): Promise<void> {
  await commandTables(db).insertInto('gate_commands').values(command).execute();
  // Chunked: PostgreSQL allows 65535 bind parameters per statement and "all sites" may be thousands of gates.
  for (let i = 0; i < results.length; i += 500) {
    await commandTables(db)
      .insertInto('gate_command_results')
      .values(results.slice(i, i + 500))
      .execute();
  }
}

/**
 * A command is in a limited scope when the site it targets is; a command for every site (no target site) only
 * for those who see every site, since its results name the gates of all of them.
 */
export async function findCommand(db: Db, id: string, scope: SiteScope): Promise<CommandRow | undefined> {
  return commandTables(db)
    .selectFrom('gate_commands')
    .selectAll()
    .where('id', '=', id)
    .where(siteCondition(scope, 'target_site_id'))
    .executeTakeFirst();
}

export async function resultsOf(db: Db, commandIds: readonly string[]): Promise<ResultRow[]> {
  if (commandIds.length === 0) return [];
  return commandTables(db)
    .selectFrom('gate_command_results')
    .selectAll()
    .where('command_id', 'in', commandIds)
    .orderBy('site_id')
    .orderBy('gate_id')
    .execute();
}

/** Sets a result only if it is still in `from`; true when this call changed it. */
export async function settleResult(
  db: Db,
  key: { commandId: string; gateId: string },
  from: GateCommandResult,
  to: Partial<Omit<ResultRow, 'command_id' | 'gate_id'>>,
): Promise<boolean> {
  const updated = await commandTables(db)
    .updateTable('gate_command_results')
    .set(to)
    .where('command_id', '=', key.commandId)
    .where('gate_id', '=', key.gateId)
    .where('result', '=', from)
    .executeTakeFirst();
  return updated.numUpdatedRows > 0n;
}

export async function listCommands(
  db: Db,
  filter: { siteId?: string; from?: number; to?: number },
  page: { limit: number; offset: number },
  scope: SiteScope,
): Promise<{ rows: CommandRow[]; total: number }> {
  let query = commandTables(db).selectFrom('gate_commands').where(siteCondition(scope, 'target_site_id'));
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

// The acknowledgement path, compiled once: a fan-out to every gate of a site brings hundreds of acks within a
// second, each settled on its own (the cloud receives MQTT messages one at a time), so each must cost one statement.

export type AckedResult = {
  commandId: string;
  gateId: string;
  result: GateCommandResult;
  reason: string | null;
  ackedAt: number;
  gateAt: number;
  latencyMs: number;
};

function outcomeColumns(p: Placeholders<AckedResult>) {
  return {
    result: p.result,
    reason: p.reason,
    acked_at: p.ackedAt,
    gate_at: p.gateAt,
    latency_ms: p.latencyMs,
  };
}

/** A gate's ack for a result still pending; 1 when this call settled it. */
export const settleAcked = commandTables.precompile<AckedResult, never>((db, p) =>
  db
    .updateTable('gate_command_results')
    .set(outcomeColumns(p))
    .where('command_id', '=', p.commandId)
    .where('gate_id', '=', p.gateId)
    .where('result', '=', 'pending'),
);

/** A gate's ack for a result already timed out: kept, flagged late; 1 when this call changed it. */
export const settleLateAck = commandTables.precompile<AckedResult, never>((db, p) =>
  db
    .updateTable('gate_command_results')
    .set({ ...outcomeColumns(p), late: 1 })
    .where('command_id', '=', p.commandId)
    .where('gate_id', '=', p.gateId)
    .where('result', '=', 'timeout'),
);

export const resultState = commandTables.precompile<
  { commandId: string; gateId: string },
  { result: GateCommandResult }
>((db, p) =>
  db
    .selectFrom('gate_command_results')
    .select('result')
    .where('command_id', '=', p.commandId)
    .where('gate_id', '=', p.gateId),
);

export const issuedAt = commandTables.precompile<{ id: string }, { issued_at: number }>((db, p) =>
  db.selectFrom('gate_commands').select('issued_at').where('id', '=', p.id),
);

const pendingOf = commandTables.precompile<{ commandId: string }, { n: number | string | bigint }>((db, p) =>
  db
    .selectFrom('gate_command_results')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('command_id', '=', p.commandId)
    .where('result', '=', 'pending'),
);

export async function pendingCount(db: Db, commandId: string): Promise<number> {
  const row = await pendingOf.first(db, { commandId });
  return Number(row?.n ?? 0);
}

const completeCommand = commandTables.precompile<{ id: string; at: number }, never>((db, p) =>
  db
    .updateTable('gate_commands')
    .set({ completed_at: p.at })
    .where('id', '=', p.id)
    .where('completed_at', 'is', null),
);

export async function markCompleted(db: Db, commandId: string, at: number): Promise<boolean> {
  return (await completeCommand.changed(db, { id: commandId, at })) > 0;
}

/** Sets every overdue pending result to timeout at once; the rows it changed. */
export const timeOutOverdue = commandTables.precompile<
  { cutoff: number },
  { command_id: string; gate_id: string }
>((db, p) =>
  db
    .updateTable('gate_command_results')
    .set({ result: 'timeout' })
    .where('result', '=', 'pending')
    .where('expires_at', '<=', p.cutoff)
    .returning(['command_id', 'gate_id']),
);

/**
 * Commands issued since `since` still open although none of their results is pending: the last two results of one
 * command settled at the same moment on two cloud instances (or by an ack and a timeout), each seeing the other
 * still pending. The sweep completes them.
 */
export const openWithoutPending = commandTables.precompile<{ since: number }, { id: string }>((db, p) =>
  db
    .selectFrom('gate_commands')
    .select('id')
    .where('issued_at', '>=', p.since)
    .where('completed_at', 'is', null)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('gate_command_results')
            .select('gate_command_results.gate_id')
            .whereRef('gate_command_results.command_id', '=', 'gate_commands.id')
            .where('gate_command_results.result', '=', 'pending'),
        ),
      ),
    ),
);
