import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appMetaTables } from '../../db/schema.js';
import { databaseBackends, type TestDatabase } from '../../db/testing.js';
import { SEED_ROLES, UPGRADE_GRANTS } from '../permissions.js';
import { seedRoles } from './roles-seed.js';
import { authTables } from './tables.js';

describe.each(databaseBackends())('seed roles on $name', (backend) => {
  let test: TestDatabase;
  beforeEach(async () => {
    test = await backend.create();
  });
  afterEach(() => test.dispose());

  const permissionsOf = async (role: string) =>
    (
      await authTables(test.database.db)
        .selectFrom('role_permissions')
        .select('permission')
        .where('role_code', '=', role)
        .execute()
    )
      .map((row) => row.permission)
      .sort();
  const revoke = (role: string, permission: string) =>
    authTables(test.database.db)
      .deleteFrom('role_permissions')
      .where('role_code', '=', role)
      .where('permission', '=', permission)
      .execute();

  it('a new installation gets every seed role as listed, and every upgrade grant counted as applied', async () => {
    expect(await seedRoles(test.database.db)).toEqual(Object.keys(SEED_ROLES));
    expect(await permissionsOf('cashier')).toEqual([...SEED_ROLES.cashier.permissions].sort());
    const applied = await appMetaTables(test.database.db)
      .selectFrom('app_meta')
      .select('key')
      .where('key', 'like', 'role_grant:%')
      .execute();
    expect(applied.map((row) => row.key).sort()).toEqual(
      UPGRADE_GRANTS.map((g) => `role_grant:${g.id}`).sort(),
    );
  });

  it('an older installation’s cashier gains group pick-up once; an administrator who takes it away again is not overruled', async () => {
    await seedRoles(test.database.db);
    // The installation as it stood before the grant: the cashier without group orders, the grant never applied.
    await revoke('cashier', 'groups.order');
    await revoke('cashier', 'groups.manage');
    await appMetaTables(test.database.db)
      .deleteFrom('app_meta')
      .where('key', '=', 'role_grant:20261207-cashier-group-pickup')
      .execute();

    await seedRoles(test.database.db);
    expect(await permissionsOf('cashier')).toEqual(expect.arrayContaining(['groups.manage', 'groups.order']));
    const audit = await test.database.db
      .selectFrom('audit_log')
      .select(['entity_id', 'after_json'])
      .where('action', '=', 'role.grant')
      .where('entity_id', '=', 'cashier')
      .execute();
    expect(audit).toHaveLength(1);
    expect(JSON.parse(String(audit[0]!.after_json))).toEqual({
      added: ['groups.order', 'groups.manage'],
      upgrade: '20261207-cashier-group-pickup',
    });

    await revoke('cashier', 'groups.manage');
    await seedRoles(test.database.db);
    expect(await permissionsOf('cashier')).not.toContain('groups.manage');
  });
});
