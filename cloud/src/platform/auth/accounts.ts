/** SQL for operators and roles (the operators module's administration of them). Password hashes are written here but never selected into a view. */
import { sql } from 'kysely';
import type { TransactionOf } from '../../db/scoped.js';
import type { AuthDb, OperatorsTable } from './tables.js';

const VIEW_COLUMNS = [
  'id',
  'username',
  'display_name',
  'active',
  'failed_logins',
  'locked_until',
  'approvals_locked_until',
  'last_login_at',
  'password_changed_at',
  'must_change_password',
  'created_at',
  'updated_at',
] as const;

/** What the administration shows of an operator (the approval failure count stays with approver-check.ts). */
type ViewRow = Pick<OperatorsTable, (typeof VIEW_COLUMNS)[number]>;

/** `site_ids`: the sites the operator is limited to, sorted; empty: every site. */
export type OperatorRow = ViewRow & { roles: string[]; site_ids: string[] };

export interface OperatorFilter {
  readonly q?: string | undefined;
  readonly active?: boolean | undefined;
  readonly role?: string | undefined;
  readonly limit: number;
  readonly offset: number;
}

async function withRoles(db: AuthDb, rows: ViewRow[]): Promise<OperatorRow[]> {
  if (rows.length === 0) return [];
  const links = await db
    .selectFrom('operator_roles')
    .select(['operator_id', 'role_code'])
    .where(
      'operator_id',
      'in',
      rows.map((r) => r.id),
    )
    .orderBy('role_code')
    .execute();
  const sites = await db
    .selectFrom('operator_sites')
    .select(['operator_id', 'site_id'])
    .where(
      'operator_id',
      'in',
      rows.map((r) => r.id),
    )
    .orderBy('site_id')
    .execute();
  return rows.map((row) => ({
    ...row,
    roles: links.filter((l) => l.operator_id === row.id).map((l) => l.role_code),
    site_ids: sites.filter((l) => l.operator_id === row.id).map((l) => l.site_id),
  }));
}

export async function listOperators(
  db: AuthDb,
  filter: OperatorFilter,
): Promise<{ items: OperatorRow[]; total: number }> {
  let query = db.selectFrom('operators');
  if (filter.q) {
    const pattern = `%${filter.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    // Wildcards in the search text are escaped; `escape` is spelled out because SQLite has no default one.
    query = query.where(
      sql<boolean>`(username like ${pattern} escape '\\' or lower(display_name) like ${pattern} escape '\\')`,
    );
  }
  if (filter.active !== undefined) query = query.where('active', '=', filter.active ? 1 : 0);
  if (filter.role)
    query = query.where('id', 'in', (eb) =>
      eb.selectFrom('operator_roles').select('operator_id').where('role_code', '=', filter.role!),
    );
  const { total } = await query
    .select((eb) => eb.fn.countAll<number>().as('total'))
    .executeTakeFirstOrThrow();
  const rows = await query
    .select(VIEW_COLUMNS)
    .orderBy('username')
    .limit(filter.limit)
    .offset(filter.offset)
    .execute();
  return { items: await withRoles(db, rows), total: Number(total) };
}

export async function getOperator(db: AuthDb, id: string): Promise<OperatorRow | undefined> {
  const row = await db.selectFrom('operators').select(VIEW_COLUMNS).where('id', '=', id).executeTakeFirst();
  return row ? (await withRoles(db, [row]))[0] : undefined;
}

export async function usernameExists(db: AuthDb, username: string): Promise<boolean> {
  return (
    (await db.selectFrom('operators').select('id').where('username', '=', username).executeTakeFirst()) !==
    undefined
  );
}

export async function countOperators(db: AuthDb): Promise<number> {
  const { n } = await db
    .selectFrom('operators')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(n);
}

export async function insertOperator(trx: TransactionOf<AuthDb>, row: OperatorsTable): Promise<void> {
  await trx.insertInto('operators').values(row).execute();
}

export async function updateOperator(
  trx: TransactionOf<AuthDb>,
  id: string,
  changes: Partial<
    Pick<
      OperatorsTable,
      | 'display_name'
      | 'active'
      | 'failed_logins'
      | 'locked_until'
      | 'failed_approvals'
      | 'approvals_locked_until'
      | 'updated_at'
    >
  >,
): Promise<void> {
  await trx.updateTable('operators').set(changes).where('id', '=', id).execute();
}

export async function setOperatorRoles(trx: TransactionOf<AuthDb>, id: string, roles: readonly string[]) {
  await trx.deleteFrom('operator_roles').where('operator_id', '=', id).execute();
  if (roles.length > 0)
    await trx
      .insertInto('operator_roles')
      .values(roles.map((role_code) => ({ operator_id: id, role_code })))
      .execute();
}

/** Limits an operator to `siteIds` (none: every site). */
export async function setOperatorSites(trx: TransactionOf<AuthDb>, id: string, siteIds: readonly string[]) {
  await trx.deleteFrom('operator_sites').where('operator_id', '=', id).execute();
  if (siteIds.length > 0)
    await trx
      .insertInto('operator_sites')
      .values(siteIds.map((site_id) => ({ operator_id: id, site_id })))
      .execute();
}

/** The codes among `codes` that name no role. */
export async function unknownRoles(db: AuthDb, codes: readonly string[]): Promise<string[]> {
  if (codes.length === 0) return [];
  const found = new Set(
    (await db.selectFrom('roles').select('code').where('code', 'in', codes).execute()).map((r) => r.code),
  );
  return codes.filter((c) => !found.has(c));
}

export interface RoleRow {
  code: string;
  name_zh: string;
  name_en: string;
  permissions: string[];
  operators: number;
}

export async function listRoles(db: AuthDb, code?: string): Promise<RoleRow[]> {
  let query = db.selectFrom('roles').selectAll().orderBy('code');
  if (code) query = query.where('code', '=', code);
  const roles = await query.execute();
  if (roles.length === 0) return [];
  const codes = roles.map((r) => r.code);
  const permissions = await db
    .selectFrom('role_permissions')
    .select(['role_code', 'permission'])
    .where('role_code', 'in', codes)
    .orderBy('permission')
    .execute();
  const counts = await db
    .selectFrom('operator_roles')
    .select(['role_code', (eb) => eb.fn.countAll<number>().as('n')])
    .where('role_code', 'in', codes)
    .groupBy('role_code')
    .execute();
  return roles.map((role) => ({
    code: role.code,
    name_zh: role.name_zh,
    name_en: role.name_en,
    permissions: permissions.filter((p) => p.role_code === role.code).map((p) => p.permission),
    operators: Number(counts.find((c) => c.role_code === role.code)?.n ?? 0),
  }));
}

export async function insertRole(
  trx: TransactionOf<AuthDb>,
  role: { code: string; name_zh: string; name_en: string },
  now: number,
): Promise<void> {
  await trx
    .insertInto('roles')
    .values({ ...role, created_at: now, updated_at: now })
    .execute();
}

export async function updateRoleNames(
  trx: TransactionOf<AuthDb>,
  code: string,
  names: { name_zh?: string | undefined; name_en?: string | undefined },
  now: number,
): Promise<void> {
  const set = Object.fromEntries(Object.entries(names).filter(([, v]) => v !== undefined));
  await trx
    .updateTable('roles')
    .set({ ...set, updated_at: now })
    .where('code', '=', code)
    .execute();
}

export async function setRolePermissions(
  trx: TransactionOf<AuthDb>,
  code: string,
  permissions: readonly string[],
) {
  await trx.deleteFrom('role_permissions').where('role_code', '=', code).execute();
  if (permissions.length > 0)
    await trx
      .insertInto('role_permissions')
      .values(permissions.map((permission) => ({ role_code: code, permission })))
      .execute();
}

/**
 * Active operators that hold `permission` through any of their roles and work on every site (an operator limited
 * to some sites cannot use a permission on what all sites share, such as managing operators).
 */
export async function countActiveHolders(db: AuthDb, permission: string): Promise<number> {
  const { n } = await db
    .selectFrom('operators')
    .innerJoin('operator_roles', 'operator_roles.operator_id', 'operators.id')
    .innerJoin('role_permissions', 'role_permissions.role_code', 'operator_roles.role_code')
    .select((eb) => eb.fn.count<number>('operators.id').distinct().as('n'))
    .where('operators.active', '=', 1)
    .where('role_permissions.permission', '=', permission)
    .where('operators.id', 'not in', (eb) => eb.selectFrom('operator_sites').select('operator_id'))
    .executeTakeFirstOrThrow();
  return Number(n);
}
