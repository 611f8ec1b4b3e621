/**
 * Creates the seed roles (platform/permissions.ts SEED_ROLES) that are missing, with their permissions. Runs at
 * every start and from the admin CLI; idempotent. Roles that exist are left as an administrator edited them, with
 * one exception: `admin` is topped up with every permission in the catalogue, so a permission added by an upgrade
 * never leaves the administrators unable to grant it.
 */
import type { Connection } from '../../db/scoped.js';
import { auditedTransaction, recordAudit, SYSTEM_ACTOR } from '../audit/record.js';
import { PERMISSION_NAMES, SEED_ROLES, type SeedRole } from '../permissions.js';
import { authTables } from './tables.js';

export async function seedRoles(db: Connection, now: number = Date.now()): Promise<string[]> {
  return auditedTransaction(authTables(db), async (trx) => {
    const existing = new Set((await trx.selectFrom('roles').select('code').execute()).map((r) => r.code));
    const created: string[] = [];
    for (const [code, role] of Object.entries(SEED_ROLES) as [SeedRole, (typeof SEED_ROLES)[SeedRole]][]) {
      if (existing.has(code)) continue;
      await trx
        .insertInto('roles')
        .values({
          code,
          name_zh: role.name['zh-CN'],
          name_en: role.name.en,
          created_at: now,
          updated_at: now,
        })
        .execute();
      const permissions = [...role.permissions];
      await trx
        .insertInto('role_permissions')
        .values(permissions.map((permission) => ({ role_code: code, permission })))
        .execute();
      await recordAudit(
        trx,
        {
          actor: SYSTEM_ACTOR,
          action: 'role.seed',
          entity: 'role',
          entityId: code,
          after: { code, nameZh: role.name['zh-CN'], nameEn: role.name.en, permissions },
        },
        now,
      );
      created.push(code);
    }
    const adminHas = new Set(
      (
        await trx
          .selectFrom('role_permissions')
          .select('permission')
          .where('role_code', '=', 'admin')
          .execute()
      ).map((r) => r.permission),
    );
    const missing = PERMISSION_NAMES.filter((p) => !adminHas.has(p));
    if (missing.length > 0) {
      await trx
        .insertInto('role_permissions')
        .values(missing.map((permission) => ({ role_code: 'admin', permission })))
        .execute();
      await recordAudit(
        trx,
        {
          actor: SYSTEM_ACTOR,
          action: 'role.grant',
          entity: 'role',
          entityId: 'admin',
          after: { added: missing },
        },
        now,
      );
    }
    return created;
  });
}
