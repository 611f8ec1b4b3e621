/**
 * Operators (操作员) and roles (角色): the rules. Every change runs in an audited transaction with its before and
 * after state in the operation log — never a password or its hash. Deactivating an operator or resetting their
 * password ends their sessions in the same transaction. A password someone other than its owner chose (an
 * administrator creating or resetting an account, the generated first password) is marked `mustChangePassword`:
 * its owner must replace it before doing anything else (platform/auth/enforce.ts). Whoever creates or resets says
 * which it is, since only the caller knows who chose the password.
 */
import { randomUUID } from 'node:crypto';
import type { Connection } from '../../db/scoped.js';
import { type AuditActor, auditedTransaction, recordAudit } from '../../platform/audit/record.js';
import * as repo from '../../platform/auth/accounts.js';
import { checkPasswordPolicy, hashPassword, normaliseUsername } from '../../platform/auth/credentials.js';
import { revokeSessionsOf, setPasswordHash } from '../../platform/auth/repo.js';
import { seedRoles } from '../../platform/auth/roles-seed.js';
import { type AuthDb, authTables } from '../../platform/auth/tables.js';
import { AppError } from '../../platform/errors.js';
import type { Localized } from '../../platform/language.js';
import { unknownSiteIds } from '../venues/reads.js';

const OPERATOR: Localized = { 'zh-CN': '操作员', en: 'Operator' };
const ROLE: Localized = { 'zh-CN': '角色', en: 'Role' };

export interface OperatorView {
  id: string;
  username: string;
  displayName: string;
  active: boolean;
  roles: string[];
  /** The sites this operator is limited to, sorted; empty: every site. */
  siteIds: string[];
  failedLogins: number;
  lockedUntil: number | null;
  approvalsLockedUntil: number | null;
  lastLoginAt: number | null;
  passwordChangedAt: number;
  mustChangePassword: boolean;
  createdAt: number;
  updatedAt: number;
}

export interface RoleView {
  code: string;
  name: Localized;
  permissions: string[];
  operators: number;
}

function view(row: repo.OperatorRow): OperatorView {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    active: row.active === 1,
    roles: row.roles,
    siteIds: row.site_ids,
    failedLogins: row.failed_logins,
    lockedUntil: row.locked_until,
    approvalsLockedUntil: row.approvals_locked_until,
    lastLoginAt: row.last_login_at,
    passwordChangedAt: row.password_changed_at,
    mustChangePassword: row.must_change_password === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function roleView(row: repo.RoleRow): RoleView {
  return {
    code: row.code,
    name: { 'zh-CN': row.name_zh, en: row.name_en },
    permissions: row.permissions,
    operators: row.operators,
  };
}

/** What the audit log keeps of an operator: the view without the counters that change on every sign-in. */
function auditState(operator: OperatorView) {
  return {
    username: operator.username,
    displayName: operator.displayName,
    active: operator.active,
    roles: operator.roles,
    siteIds: operator.siteIds,
    mustChangePassword: operator.mustChangePassword,
  };
}

export interface CreateOperatorInput {
  readonly username: string;
  readonly displayName: string;
  readonly password: string;
  readonly roles: readonly string[];
  /** The sites the operator is limited to; none or left out: every site. */
  readonly siteIds?: readonly string[] | undefined;
}

export interface PasswordOrigin {
  /**
   * True when the password was chosen for the operator (an administrator over the API, or generated): they must
   * change it at their next sign-in. False when the one who will use it chose it (the admin CLI at the server,
   * ADMIN_USERNAME / ADMIN_PASSWORD).
   */
  readonly mustChangePassword: boolean;
}

export interface UpdateOperatorInput {
  readonly displayName?: string | undefined;
  readonly active?: boolean | undefined;
  readonly roles?: readonly string[] | undefined;
  /** Replaces the sites the operator is limited to; empty: every site. */
  readonly siteIds?: readonly string[] | undefined;
}

export class OperatorsService {
  private readonly db: AuthDb;

  constructor(
    db: Connection,
    private readonly now: () => number = Date.now,
  ) {
    this.db = authTables(db);
  }

  /** How many operators exist (none: the first administrator is still to be created). */
  count(): Promise<number> {
    return repo.countOperators(this.db);
  }

  /** The seed roles, created where missing (start-up). */
  async seedRoles(): Promise<void> {
    await seedRoles(this.db, this.now());
  }

  async list(filter: repo.OperatorFilter) {
    const { items, total } = await repo.listOperators(this.db, filter);
    return { items: items.map(view), total };
  }

  async get(id: string): Promise<OperatorView> {
    const row = await repo.getOperator(this.db, id);
    if (!row) throw new AppError('NOT_FOUND', { resource: OPERATOR, id });
    return view(row);
  }

  async create(
    actor: AuditActor,
    input: CreateOperatorInput,
    origin: PasswordOrigin,
    ip: string | null,
  ): Promise<OperatorView> {
    const username = normaliseUsername(input.username);
    checkPasswordPolicy(input.password, username);
    const roles = [...new Set(input.roles)].sort();
    const siteIds = [...new Set(input.siteIds ?? [])].sort();
    const hash = await hashPassword(input.password);
    return auditedTransaction(this.db, async (trx) => {
      const now = this.now();
      if (await repo.usernameExists(trx, username)) throw new AppError('USERNAME_TAKEN', { username });
      await this.assertRolesExist(trx, roles);
      const id = randomUUID();
      await repo.insertOperator(trx, {
        id,
        username,
        display_name: input.displayName,
        password_hash: hash,
        active: 1,
        failed_logins: 0,
        locked_until: null,
        failed_approvals: 0,
        approvals_locked_until: null,
        last_login_at: null,
        password_changed_at: now,
        must_change_password: origin.mustChangePassword ? 1 : 0,
        created_at: now,
        updated_at: now,
      });
      await repo.setOperatorRoles(trx, id, roles);
      await assertSitesExist(trx, siteIds);
      await repo.setOperatorSites(trx, id, siteIds);
      const created = view((await repo.getOperator(trx, id))!);
      await recordAudit(
        trx,
        {
          actor,
          action: 'operator.create',
          entity: 'operator',
          entityId: id,
          after: auditState(created),
          ip,
        },
        now,
      );
      return created;
    });
  }

  async update(
    actor: AuditActor,
    id: string,
    input: UpdateOperatorInput,
    ip: string | null,
  ): Promise<OperatorView> {
    if (id === actor.id && input.active === false)
      throw new AppError('CONFLICT', {
        reason: { 'zh-CN': '不能停用自己的账号', en: 'you cannot deactivate your own account' },
      });
    const roles = input.roles && [...new Set(input.roles)].sort();
    const siteIds = input.siteIds && [...new Set(input.siteIds)].sort();
    return auditedTransaction(this.db, async (trx) => {
      const now = this.now();
      const beforeRow = await repo.getOperator(trx, id);
      if (!beforeRow) throw new AppError('NOT_FOUND', { resource: OPERATOR, id });
      const before = view(beforeRow);
      if (roles) await this.assertRolesExist(trx, roles);
      await repo.updateOperator(trx, id, {
        ...(input.displayName !== undefined && { display_name: input.displayName }),
        ...(input.active !== undefined && { active: input.active ? 1 : 0 }),
        updated_at: now,
      });
      if (roles) await repo.setOperatorRoles(trx, id, roles);
      if (siteIds) {
        await assertSitesExist(trx, siteIds);
        await repo.setOperatorSites(trx, id, siteIds);
      }
      await assertSomeoneCanManage(trx);
      const sessionsEnded = input.active === false ? await revokeSessionsOf(trx, id, now) : 0;
      const after = view((await repo.getOperator(trx, id))!);
      await recordAudit(
        trx,
        {
          actor,
          action: 'operator.update',
          entity: 'operator',
          entityId: id,
          before: auditState(before),
          after: { ...auditState(after), ...(sessionsEnded > 0 && { sessionsEnded }) },
          ip,
        },
        now,
      );
      return after;
    });
  }

  /** Sets a new password for an operator; their sessions end. */
  async resetPassword(
    actor: AuditActor,
    id: string,
    password: string,
    origin: PasswordOrigin,
    ip: string | null,
  ): Promise<void> {
    const target = await this.get(id);
    checkPasswordPolicy(password, target.username);
    const hash = await hashPassword(password);
    await auditedTransaction(this.db, async (trx) => {
      const now = this.now();
      if (!(await repo.getOperator(trx, id))) throw new AppError('NOT_FOUND', { resource: OPERATOR, id });
      await setPasswordHash(trx, id, hash, origin.mustChangePassword, now);
      const sessionsEnded = await revokeSessionsOf(trx, id, now);
      await recordAudit(
        trx,
        {
          actor,
          action: 'operator.password_reset',
          entity: 'operator',
          entityId: id,
          after: { passwordChangedAt: now, mustChangePassword: origin.mustChangePassword, sessionsEnded },
          ip,
        },
        now,
      );
    });
  }

  /** Lifts a sign-in lock and a lock on asking for second approvals, and clears both failure counts. */
  async unlock(actor: AuditActor, id: string, ip: string | null): Promise<OperatorView> {
    return auditedTransaction(this.db, async (trx) => {
      const now = this.now();
      const before = await repo.getOperator(trx, id);
      if (!before) throw new AppError('NOT_FOUND', { resource: OPERATOR, id });
      await repo.updateOperator(trx, id, {
        failed_logins: 0,
        locked_until: null,
        failed_approvals: 0,
        approvals_locked_until: null,
        updated_at: now,
      });
      await recordAudit(
        trx,
        {
          actor,
          action: 'operator.unlock',
          entity: 'operator',
          entityId: id,
          before: {
            failedLogins: before.failed_logins,
            lockedUntil: before.locked_until,
            approvalsLockedUntil: before.approvals_locked_until,
          },
          after: { failedLogins: 0, lockedUntil: null, approvalsLockedUntil: null },
          ip,
        },
        now,
      );
      return view((await repo.getOperator(trx, id))!);
    });
  }

  async listRoles(): Promise<RoleView[]> {
    return (await repo.listRoles(this.db)).map(roleView);
  }

  async createRole(
    actor: AuditActor,
    input: { code: string; name: Localized; permissions: readonly string[] },
    ip: string | null,
  ): Promise<RoleView> {
    const permissions = [...new Set(input.permissions)].sort();
    return auditedTransaction(this.db, async (trx) => {
      const now = this.now();
      if ((await repo.unknownRoles(trx, [input.code])).length === 0)
        throw new AppError('ROLE_CODE_TAKEN', { role: input.code });
      await repo.insertRole(
        trx,
        { code: input.code, name_zh: input.name['zh-CN'], name_en: input.name.en },
        now,
      );
      await repo.setRolePermissions(trx, input.code, permissions);
      const created = roleView((await repo.listRoles(trx, input.code))[0]!);
      await recordAudit(
        trx,
        { actor, action: 'role.create', entity: 'role', entityId: input.code, after: roleAudit(created), ip },
        now,
      );
      return created;
    });
  }

  async updateRole(
    actor: AuditActor,
    code: string,
    input: { name?: Partial<Localized> | undefined; permissions?: readonly string[] | undefined },
    ip: string | null,
  ): Promise<RoleView> {
    return auditedTransaction(this.db, async (trx) => {
      const now = this.now();
      const beforeRow = (await repo.listRoles(trx, code))[0];
      if (!beforeRow) throw new AppError('NOT_FOUND', { resource: ROLE, id: code });
      await repo.updateRoleNames(trx, code, { name_zh: input.name?.['zh-CN'], name_en: input.name?.en }, now);
      if (input.permissions) await repo.setRolePermissions(trx, code, [...new Set(input.permissions)].sort());
      await assertSomeoneCanManage(trx);
      const after = roleView((await repo.listRoles(trx, code))[0]!);
      await recordAudit(
        trx,
        {
          actor,
          action: 'role.update',
          entity: 'role',
          entityId: code,
          before: roleAudit(roleView(beforeRow)),
          after: roleAudit(after),
          ip,
        },
        now,
      );
      return after;
    });
  }

  private async assertRolesExist(db: AuthDb, roles: readonly string[]): Promise<void> {
    const [unknown] = await repo.unknownRoles(db, roles);
    if (unknown !== undefined) throw new AppError('UNKNOWN_ROLE', { role: unknown });
  }
}

/**
 * Refuses (rolling the change back) an edit that would leave no active operator able to manage operators (which
 * takes every site: managing operators is what all sites share, see platform/site-scope.ts): nobody
 * could then grant anything through the API again. The admin CLI remains the way out if it happens otherwise.
 */
async function assertSomeoneCanManage(db: AuthDb): Promise<void> {
  if ((await repo.countActiveHolders(db, 'operators.manage')) === 0)
    throw new AppError('CONFLICT', {
      reason: {
        'zh-CN': '至少要保留一名可管理操作员、且不限景区的在用账号',
        en: 'at least one active operator must keep the right to manage operators, on every site',
      },
    });
}

async function assertSitesExist(db: AuthDb, siteIds: readonly string[]): Promise<void> {
  const [unknown] = await unknownSiteIds(db, siteIds);
  if (unknown !== undefined) throw new AppError('UNKNOWN_SITE', { siteId: unknown });
}

function roleAudit(role: RoleView) {
  return { code: role.code, name: role.name, permissions: role.permissions };
}
