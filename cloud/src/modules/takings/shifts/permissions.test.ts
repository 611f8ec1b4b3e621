import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appMetaTables } from '../../../db/schema.js';
import { databaseBackends, type TestDatabase } from '../../../db/testing.js';
import { seedRoles } from '../../../platform/auth/roles-seed.js';
import { authTables } from '../../../platform/auth/tables.js';
import { SEED_ROLES } from '../../../platform/permissions.js';

/**
 * The shift permissions reach installations that already had the seed roles: cashiers work and read their tills,
 * finance reads and approves them, each granted once (an administrator who takes one away again is not overruled).
 */
describe.each(databaseBackends())('shift permissions on an older installation on $name', (backend) => {
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
    ).map((row) => row.permission);

  it('cashier and finance gain them once', async () => {
    expect(SEED_ROLES.cashier.permissions).toEqual(expect.arrayContaining(['shifts.operate', 'shifts.read']));
    expect(SEED_ROLES.finance.permissions).toEqual(
      expect.arrayContaining(['shifts.read', 'shifts.approve', 'settlements.manage', 'reports.read']),
    );
    await seedRoles(test.database.db);
    // As the installation stood before this release.
    await authTables(test.database.db)
      .deleteFrom('role_permissions')
      .where('permission', 'in', ['shifts.operate', 'shifts.read', 'shifts.approve'])
      .where('role_code', 'in', ['cashier', 'finance'])
      .execute();
    await appMetaTables(test.database.db)
      .deleteFrom('app_meta')
      .where('key', 'in', ['role_grant:20261212-cashier-shifts', 'role_grant:20261212-finance-shifts'])
      .execute();

    await seedRoles(test.database.db);
    expect(await permissionsOf('cashier')).toEqual(expect.arrayContaining(['shifts.operate', 'shifts.read']));
    expect(await permissionsOf('cashier')).not.toContain('shifts.approve');
    expect(await permissionsOf('finance')).toEqual(expect.arrayContaining(['shifts.read', 'shifts.approve']));
    expect(await permissionsOf('finance')).not.toContain('shifts.operate');
    const grants = await test.database.db
      .selectFrom('audit_log')
      .select(['entity_id', 'after_json'])
      .where('action', '=', 'role.grant')
      .where('after_json', 'like', '%20261212-%')
      .orderBy('seq')
      .execute();
    expect(grants.map((g) => [g.entity_id, JSON.parse(String(g.after_json)).added])).toEqual([
      ['cashier', ['shifts.operate', 'shifts.read']],
      ['finance', ['shifts.read', 'shifts.approve']],
    ]);

    await authTables(test.database.db)
      .deleteFrom('role_permissions')
      .where('role_code', '=', 'finance')
      .where('permission', '=', 'shifts.approve')
      .execute();
    await seedRoles(test.database.db);
    expect(await permissionsOf('finance')).not.toContain('shifts.approve');
  });
});
