/**
 * Creates the seed roles (platform/permissions.ts SEED_ROLES) that are missing, with their permissions. Runs at
 * every start and from the admin CLI; idempotent. Roles that exist are left as an administrator edited them, with
 * two exceptions: `admin` is topped up with every permission in the catalogue, so a permission added by an upgrade
 * never leaves the administrators unable to grant it; and each of UPGRADE_GRANTS is applied once (its id kept in
 * app_meta), so the roles an installation already had gain what the release gives them.
 */

import { appMetaTables } from '../../db/schema.js';
import type { Connection } from '../../db/scoped.js';
import { auditedTransaction, recordAudit, SYSTEM_ACTOR } from '../audit/record.js';
import { PERMISSION_NAMES, SEED_ROLES, type SeedRole, UPGRADE_GRANTS } from '../permissions.js';
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
    await applyUpgradeGrants(trx, now);
    return created;
  });
}

const GRANT_KEY_PREFIX = 'role_grant:';

/** Each upgrade grant not yet applied here: the role's missing permissions added (when the role exists), audited. */
async function applyUpgradeGrants(trx: Connection, now: number): Promise<void> {
  const meta = appMetaTables(trx);
  const applied = new Set(
    (
      await meta.selectFrom('app_meta').select('key').where('key', 'like', `${GRANT_KEY_PREFIX}%`).execute()
    ).map((row) => row.key.slice(GRANT_KEY_PREFIX.length)),
  );
  const auth = authTables(trx);
  for (const grant of UPGRADE_GRANTS) {
    if (applied.has(grant.id)) continue;
    const roleExists = await auth
      .selectFrom('roles')
      .select('code')
      .where('code', '=', grant.role)
      .executeTakeFirst();
    if (roleExists) {
      const has = new Set(
        (
          await auth
            .selectFrom('role_permissions')
            .select('permission')
            .where('role_code', '=', grant.role)
            .execute()
        ).map((row) => row.permission),
      );
      const missing = grant.permissions.filter((permission) => !has.has(permission));
      if (missing.length > 0) {
        await auth
          .insertInto('role_permissions')
          .values(missing.map((permission) => ({ role_code: grant.role, permission })))
          .execute();
        await recordAudit(
          trx,
          {
            actor: SYSTEM_ACTOR,
            action: 'role.grant',
            entity: 'role',
            entityId: grant.role,
            after: { added: missing, upgrade: grant.id },
          },
          now,
        );
      }
    }
    await meta
      .insertInto('app_meta')
      .values({ key: `${GRANT_KEY_PREFIX}${grant.id}`, value: '1', updated_at: now })
      .execute();
  }
}
