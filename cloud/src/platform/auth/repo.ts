/** The SQL behind sign-in and sessions. Operator and role management SQL is in accounts.ts. */
import { sql } from 'kysely';
import type { Connection, TransactionOf } from '../../db/scoped.js';
import { PERMISSION_NAMES, type Permission } from '../permissions.js';
import { type SiteScope, siteScopeOf } from '../site-scope.js';
import type { OperatorsTable, SessionsTable } from './tables.js';
import { type AuthDb, authTables } from './tables.js';

export function findOperatorByUsername(db: AuthDb, username: string): Promise<OperatorsTable | undefined> {
  return db.selectFrom('operators').selectAll().where('username', '=', username).executeTakeFirst();
}

/** Also read by other modules (stock checks who a movement names), within their transactions. */
export function findOperatorById(db: Connection, id: string): Promise<OperatorsTable | undefined> {
  return authTables(db).selectFrom('operators').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * Active operators holding `permission` through any role, by username, optionally whose username or display name
 * contains `q`: who may receive what needs that permission (stock goes only to operators who may sell).
 */
export function activeOperatorsWith(
  db: Connection,
  permission: Permission,
  filter: { readonly q?: string | undefined; readonly limit: number },
): Promise<{ id: string; username: string; display_name: string }[]> {
  let query = authTables(db)
    .selectFrom('operators')
    .select(['id', 'username', 'display_name'])
    .where('active', '=', 1)
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('operator_roles')
        .innerJoin('role_permissions', 'role_permissions.role_code', 'operator_roles.role_code')
        .select('operator_roles.operator_id')
        .where('role_permissions.permission', '=', permission),
    );
  if (filter.q) {
    const pattern = `%${filter.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    // Wildcards in the search text are escaped; `escape` is spelled out because SQLite has no default one.
    query = query.where(
      sql<boolean>`(username like ${pattern} escape '\\' or lower(display_name) like ${pattern} escape '\\')`,
    );
  }
  return query.orderBy('username').limit(filter.limit).execute();
}

export async function recordFailedLogin(
  trx: TransactionOf<AuthDb>,
  id: string,
  failedLogins: number,
  lockedUntil: number | null,
  now: number,
): Promise<void> {
  await trx
    .updateTable('operators')
    .set({ failed_logins: failedLogins, locked_until: lockedUntil, updated_at: now })
    .where('id', '=', id)
    .execute();
}

export async function recordSuccessfulLogin(
  trx: TransactionOf<AuthDb>,
  id: string,
  now: number,
): Promise<void> {
  await trx
    .updateTable('operators')
    .set({ failed_logins: 0, locked_until: null, last_login_at: now })
    .where('id', '=', id)
    .execute();
}

/**
 * The approval requester's failed approvals in a row and the end of their approval lock (approver-check.ts); the
 * approver's own row is never written by an approval.
 */
export async function recordFailedApprovals(
  trx: TransactionOf<AuthDb>,
  id: string,
  failedApprovals: number,
  lockedUntil: number | null,
): Promise<void> {
  await trx
    .updateTable('operators')
    .set({ failed_approvals: failedApprovals, approvals_locked_until: lockedUntil })
    .where('id', '=', id)
    .execute();
}

/**
 * A new password. `mustChange`: whether its owner must change it at the next sign-in (an administrator chose it);
 * false when the owner chose it.
 */
export async function setPasswordHash(
  trx: TransactionOf<AuthDb>,
  id: string,
  hash: string,
  mustChange: boolean,
  now: number,
) {
  await trx
    .updateTable('operators')
    .set({
      password_hash: hash,
      password_changed_at: now,
      must_change_password: mustChange ? 1 : 0,
      updated_at: now,
    })
    .where('id', '=', id)
    .execute();
}

const roleRows = authTables.precompile<{ operatorId: string }, { role: string; permission: string | null }>(
  (db, p) =>
    db
      .selectFrom('operator_roles')
      .leftJoin('role_permissions', 'role_permissions.role_code', 'operator_roles.role_code')
      .select(['operator_roles.role_code as role', 'role_permissions.permission as permission'])
      .where('operator_roles.operator_id', '=', p.operatorId),
);

/** Role codes and the union of their permissions (only names still in the catalogue). */
export async function rolesAndPermissionsOf(
  db: Connection,
  operatorId: string,
): Promise<{ roles: string[]; permissions: Permission[] }> {
  const rows = await roleRows.rows(db, { operatorId });
  const roles = [...new Set(rows.map((r) => r.role))].sort();
  const granted = new Set(rows.map((r) => r.permission));
  return { roles, permissions: PERMISSION_NAMES.filter((p) => granted.has(p)) };
}

const siteRows = authTables.precompile<{ operatorId: string }, { site_id: string }>((db, p) =>
  db.selectFrom('operator_sites').select('site_id').where('operator_id', '=', p.operatorId),
);

/** The sites an operator is limited to; none: every site. */
export async function siteScopeOfOperator(db: Connection, operatorId: string): Promise<SiteScope> {
  return siteScopeOf((await siteRows.rows(db, { operatorId })).map((r) => r.site_id));
}

export async function insertSession(trx: TransactionOf<AuthDb>, session: SessionsTable): Promise<void> {
  await trx.insertInto('sessions').values(session).execute();
}

// Every request on a protected route runs this (when the session is not cached): compiled once.
const liveSession = authTables.precompile<
  { tokenHash: string; now: number },
  {
    token_hash: string;
    last_seen_at: number;
    expires_at: number;
    id: string;
    username: string;
    display_name: string;
    must_change_password: number;
  }
>((db, p) =>
  db
    .selectFrom('sessions')
    .innerJoin('operators', 'operators.id', 'sessions.operator_id')
    .select([
      'sessions.token_hash',
      'sessions.last_seen_at',
      'sessions.expires_at',
      'operators.id',
      'operators.username',
      'operators.display_name',
      'operators.must_change_password',
    ])
    .where('sessions.token_hash', '=', p.tokenHash)
    .where('sessions.revoked_at', 'is', null)
    .where('sessions.expires_at', '>', p.now)
    .where('operators.active', '=', 1),
);

/** The live session for a token hash, with its operator, or undefined if expired, revoked or the operator is inactive. */
export function findLiveSession(db: AuthDb, tokenHash: string, now: number) {
  return liveSession.first(db, { tokenHash, now });
}

export async function touchSession(db: AuthDb, tokenHash: string, now: number): Promise<void> {
  await db.updateTable('sessions').set({ last_seen_at: now }).where('token_hash', '=', tokenHash).execute();
}

export async function revokeSession(trx: TransactionOf<AuthDb>, tokenHash: string, now: number) {
  await trx
    .updateTable('sessions')
    .set({ revoked_at: now })
    .where('token_hash', '=', tokenHash)
    .where('revoked_at', 'is', null)
    .execute();
}

/** Signs an operator out everywhere (deactivated, password reset); returns how many sessions ended. */
export async function revokeSessionsOf(
  trx: TransactionOf<AuthDb>,
  operatorId: string,
  now: number,
  except?: string,
): Promise<number> {
  let query = trx
    .updateTable('sessions')
    .set({ revoked_at: now })
    .where('operator_id', '=', operatorId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now);
  if (except) query = query.where('token_hash', '!=', except);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Deletes sessions that ended (expired or revoked) before `before`; they can never authenticate again. */
export async function purgeEndedSessions(trx: TransactionOf<AuthDb>, before: number): Promise<void> {
  await trx
    .deleteFrom('sessions')
    .where((eb) => eb.or([eb('expires_at', '<', before), eb('revoked_at', '<', before)]))
    .execute();
}
