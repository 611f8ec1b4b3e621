import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { databaseBackends } from '../../db/testing.js';
import { verifyAuditChain } from '../../platform/audit/verify.js';
import { type AuthTestApp, createAuthTestApp } from '../../platform/auth/testing.js';
import { seedLayout } from '../venues/testing.js';

describe.each(databaseBackends())('operators and roles over HTTP on $name', (backend) => {
  let env: AuthTestApp;
  beforeEach(async () => {
    env = await createAuthTestApp(backend);
  });
  afterEach(() => env.dispose());

  const admin = () => env.as('admin');
  const inject = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object, headers = admin()) =>
    env.app.inject({ method, url, headers, ...(payload && { payload }) });
  const login = (username: string, password: string) =>
    env.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } });
  const auditOf = async (entityId: string) =>
    env.test.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('entity_id', '=', entityId)
      .orderBy('seq')
      .execute();

  it('creates, finds, updates, resets and deactivates an operator, auditing each change without secrets', async () => {
    const changeOwn = (bearer: { authorization: string }, currentPassword: string, newPassword: string) =>
      inject('POST', '/api/v1/auth/password', { currentPassword, newPassword }, bearer);
    const created = await inject('POST', '/api/v1/operators', {
      username: ' Li.Ming ',
      displayName: '李明',
      password: 'ticket-window-7',
      roles: ['cashier', 'gate_staff'],
    });
    expect(created.statusCode).toBe(201);
    const operator = created.json();
    expect(operator).toMatchObject({
      username: 'li.ming',
      displayName: '李明',
      active: true,
      roles: ['cashier', 'gate_staff'],
      mustChangePassword: true,
    });
    expect(created.body).not.toContain('argon2');

    const found = await inject('GET', '/api/v1/operators?q=%E6%9D%8E&active=true');
    expect(found.json()).toMatchObject({ total: 1, items: [{ id: operator.id }] });
    expect((await inject('GET', '/api/v1/operators?q=%25')).json().total).toBe(0);
    expect((await inject('GET', '/api/v1/operators?role=gate_staff')).json().total).toBe(2);

    // The administrator chose the password: the operator must change it before anything else.
    const signedIn = (await login('li.ming', 'ticket-window-7')).json();
    expect(signedIn.operator.mustChangePassword).toBe(true);
    const bearer = { authorization: `Bearer ${signedIn.token as string}` };
    const sales = async () => (await inject('GET', '/api/v1/sales', undefined, bearer)).json().error?.code;
    expect(await sales()).toBe('PASSWORD_CHANGE_REQUIRED');
    expect((await changeOwn(bearer, 'ticket-window-7', 'li-ming-own-1')).statusCode).toBe(204);
    expect(await sales()).toBeUndefined();
    expect((await inject('GET', `/api/v1/operators/${operator.id}`)).json().mustChangePassword).toBe(false);
    expect((await inject('GET', '/api/v1/operators', undefined, bearer)).json().error.code).toBe('FORBIDDEN');

    const renamed = await inject('PATCH', `/api/v1/operators/${operator.id}`, {
      displayName: '李明明',
      roles: ['finance'],
    });
    expect(renamed.json()).toMatchObject({ displayName: '李明明', roles: ['finance'] });
    // Roles take effect on the next request of an existing session.
    const me = (await inject('GET', '/api/v1/auth/me', undefined, bearer)).json();
    expect(me.permissions).toContain('refunds.approve');
    expect(me.permissions).not.toContain('sales.sell');

    expect(
      (await inject('POST', `/api/v1/operators/${operator.id}/password`, { password: 'short' })).json().error
        .code,
    ).toBe('PASSWORD_POLICY');
    const reset = await inject('POST', `/api/v1/operators/${operator.id}/password`, {
      password: 'a-brand-new-one',
    });
    expect(reset.statusCode).toBe(204);
    expect((await inject('GET', '/api/v1/auth/me', undefined, bearer)).statusCode).toBe(401);
    expect((await login('li.ming', 'li-ming-own-1')).statusCode).toBe(401);
    // A reset password is the administrator's choice again: it must be changed again.
    expect((await inject('GET', `/api/v1/operators/${operator.id}`)).json().mustChangePassword).toBe(true);
    const afterReset = (await login('li.ming', 'a-brand-new-one')).json();
    expect(afterReset.operator.mustChangePassword).toBe(true);
    const second = afterReset.token as string;
    const secondBearer = { authorization: `Bearer ${second}` };
    expect((await inject('GET', '/api/v1/auth/me', undefined, secondBearer)).json()).toMatchObject({
      mustChangePassword: true,
      sessionExpiresAt: afterReset.expiresAt,
    });
    expect((await inject('GET', '/api/v1/sales', undefined, secondBearer)).json().error.code).toBe(
      'PASSWORD_CHANGE_REQUIRED',
    );

    const deactivated = await inject('PATCH', `/api/v1/operators/${operator.id}`, { active: false });
    expect(deactivated.json().active).toBe(false);
    expect(
      (await inject('GET', '/api/v1/auth/me', undefined, { authorization: `Bearer ${second}` })).statusCode,
    ).toBe(401);
    expect((await login('li.ming', 'a-brand-new-one')).json().error.code).toBe('INVALID_CREDENTIALS');

    const rows = await auditOf(operator.id);
    expect(rows.map((r) => r.action)).toEqual([
      'operator.create',
      'auth.login',
      'operator.password_change',
      'operator.update',
      'operator.password_reset',
      'auth.login',
      'operator.update',
    ]);
    expect(
      rows.every(
        (r) =>
          r.actor_id === env.operators.admin.id ||
          ['auth.login', 'operator.password_change'].includes(r.action),
      ),
    ).toBe(true);
    expect(JSON.parse(rows[0]!.after_json!)).toMatchObject({ mustChangePassword: true });
    expect(JSON.parse(rows[2]!.after_json!)).toMatchObject({ mustChangePassword: false });
    expect(JSON.parse(rows[4]!.after_json!)).toMatchObject({ mustChangePassword: true });
    const update = rows[3]!;
    expect(JSON.parse(update.before_json!)).toMatchObject({
      displayName: '李明',
      roles: ['cashier', 'gate_staff'],
    });
    expect(JSON.parse(update.after_json!)).toMatchObject({ displayName: '李明明', roles: ['finance'] });
    expect(JSON.parse(rows[6]!.after_json!)).toMatchObject({ active: false, sessionsEnded: 1 });
    for (const row of rows)
      expect(`${row.before_json}${row.after_json}`).not.toMatch(/argon2|password_hash|a-brand-new-one/);
    expect(await verifyAuditChain(env.test.database.db)).toMatchObject({ ok: true });
  });

  it('refuses duplicates, unknown roles, weak passwords and self-deactivation, writing nothing', async () => {
    const auditBefore = (await env.test.database.db.selectFrom('audit_log').select('seq').execute()).length;
    const base = { username: 'test_cashier', displayName: 'X', password: 'long-enough-1', roles: [] };
    expect((await inject('POST', '/api/v1/operators', base)).json().error).toMatchObject({
      code: 'USERNAME_TAKEN',
    });
    const unknownRole = await inject('POST', '/api/v1/operators', {
      ...base,
      username: 'new1',
      roles: ['wizard'],
    });
    expect(unknownRole.json().error).toMatchObject({
      code: 'UNKNOWN_ROLE',
      messages: { en: 'No such role: wizard' },
    });
    const sameAsName = await inject('POST', '/api/v1/operators', {
      ...base,
      username: 'new1',
      password: 'NEW1',
    });
    expect(sameAsName.json().error.code).toBe('PASSWORD_POLICY');
    const equalsName = await inject('POST', '/api/v1/operators', {
      ...base,
      username: 'longname1',
      password: 'LongName1',
    });
    expect(equalsName.json().error).toMatchObject({
      code: 'PASSWORD_POLICY',
      messages: { en: expect.stringContaining('username') },
    });
    expect((await inject('POST', '/api/v1/operators', { ...base, username: 'x' })).json().error.code).toBe(
      'VALIDATION_FAILED',
    );
    const self = await inject('PATCH', `/api/v1/operators/${env.operators.admin.id}`, { active: false });
    expect(self.json().error.code).toBe('CONFLICT');
    // The only operator who can manage operators cannot lose that right, by role or by the role's permissions.
    const demoted = await inject('PATCH', `/api/v1/operators/${env.operators.admin.id}`, {
      roles: ['finance'],
    });
    expect(demoted.json().error).toMatchObject({
      code: 'CONFLICT',
      messages: { en: expect.stringContaining('manage operators') },
    });
    const stripped = await inject('PATCH', '/api/v1/roles/admin', { permissions: ['audit.read'] });
    expect(stripped.json().error.code).toBe('CONFLICT');
    expect((await inject('GET', '/api/v1/auth/me')).json().permissions).toContain('operators.manage');
    expect((await inject('PATCH', '/api/v1/operators/nope', { displayName: 'y' })).statusCode).toBe(404);
    expect((await env.test.database.db.selectFrom('audit_log').select('seq').execute()).length).toBe(
      auditBefore,
    );
    expect((await inject('GET', '/api/v1/operators')).json().total).toBe(6);
  });

  it('refuses unknown fields (isAdmin, id) instead of dropping them, writing nothing', async () => {
    const count = async () =>
      (await env.test.database.db.selectFrom('operators').select('id').execute()).length;
    const before = await count();
    const response = await env.app.inject({
      method: 'POST',
      url: '/api/v1/operators',
      headers: { ...admin(), 'accept-language': 'en' },
      payload: {
        username: 'mallory',
        displayName: 'Mallory',
        password: 'mallory-pass-1',
        roles: ['cashier'],
        isAdmin: true,
        id: 'chosen-id',
      },
    });
    expect([response.statusCode, response.json().error.code]).toEqual([400, 'VALIDATION_FAILED']);
    const [detail] = response.json().error.details;
    expect(detail).toMatchObject({ path: [], code: 'unrecognized_keys' });
    expect(detail.messages.en).toMatch(/"isAdmin".*"id"/);
    expect(detail.messages['zh-CN']).toMatch(/isAdmin/);
    expect(await count()).toBe(before);
    const patch = await inject('PATCH', `/api/v1/operators/${env.operators.cashier.id}`, {
      displayName: 'x',
      roles: ['admin'],
      permissions: ['operators.manage'],
    });
    expect([patch.statusCode, patch.json().error.details[0].code]).toEqual([400, 'unrecognized_keys']);
    const role = await inject('POST', '/api/v1/roles', {
      code: 'helper',
      name: { 'zh-CN': '助手', en: 'Helper', fr: 'Aide' },
      permissions: [],
    });
    expect([role.statusCode, role.json().error.details[0].path]).toEqual([400, ['name']]);
  });

  it('roles are editable: a new role and a changed permission set take effect and are audited', async () => {
    const roles = (await inject('GET', '/api/v1/roles')).json();
    expect(roles.map((r: { code: string }) => r.code)).toEqual([
      'admin',
      'agency',
      'cashier',
      'control_room',
      'finance',
      'gate_staff',
    ]);
    const created = await inject('POST', '/api/v1/roles', {
      code: 'auditor',
      name: { 'zh-CN': '审计', en: 'Auditor' },
      permissions: ['audit.read', 'operators.read'],
    });
    expect(created.statusCode).toBe(201);
    const again = await inject('POST', '/api/v1/roles', {
      code: 'auditor',
      name: { 'zh-CN': '重复', en: 'Again' },
      permissions: [],
    });
    expect(again.json().error.code).toBe('ROLE_CODE_TAKEN');
    await inject('PATCH', `/api/v1/operators/${env.operators.agency.id}`, { roles: ['agency', 'auditor'] });
    const agency = env.as('agency');
    expect((await inject('GET', '/api/v1/audit', undefined, agency)).statusCode).toBe(200);
    const narrowed = await inject('PATCH', '/api/v1/roles/auditor', { permissions: ['operators.read'] });
    expect(narrowed.json()).toMatchObject({ permissions: ['operators.read'], operators: 1 });
    expect((await inject('GET', '/api/v1/audit', undefined, agency)).statusCode).toBe(403);
    const bad = await inject('PATCH', '/api/v1/roles/auditor', { permissions: ['root.everything'] });
    expect(bad.json().error.code).toBe('VALIDATION_FAILED');
    const rows = await auditOf('auditor');
    expect(rows.map((r) => r.action)).toEqual(['role.create', 'role.update']);
    expect(JSON.parse(rows[1]!.before_json!).permissions).toEqual(['audit.read', 'operators.read']);
  });

  it('limits an operator to sites: validated, shown, audited, in force on the next request, refused on what all sites share', async () => {
    await seedLayout(env.test.database.db, 'east', [{ id: 'z', gates: [] }]);
    await seedLayout(env.test.database.db, 'west', [{ id: 'z', gates: [] }]);
    const unknown = await inject('POST', '/api/v1/operators', {
      username: 'east.admin',
      displayName: 'East',
      password: 'east-admin-pass-1',
      roles: ['admin'],
      siteIds: ['east', 'nowhere'],
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error).toMatchObject({
      code: 'UNKNOWN_SITE',
      messages: { en: 'No such site: nowhere' },
    });
    const created = await inject('POST', '/api/v1/operators', {
      username: 'east.admin',
      displayName: 'East',
      password: 'east-admin-pass-1',
      roles: ['admin'],
      siteIds: ['east', 'east'],
    });
    expect(created.statusCode).toBe(201);
    const operator = created.json();
    expect(operator.siteIds).toEqual(['east']);
    expect((await inject('GET', `/api/v1/operators/${operator.id}`)).json().siteIds).toEqual(['east']);
    // Unlimited operators show none.
    expect((await inject('GET', `/api/v1/operators/${env.operators.cashier.id}`)).json().siteIds).toEqual([]);

    const signedIn = (await login('east.admin', 'east-admin-pass-1')).json();
    expect(signedIn.operator.siteIds).toEqual(['east']);
    const bearer = { authorization: `Bearer ${signedIn.token as string}` };
    await inject(
      'POST',
      '/api/v1/auth/password',
      { currentPassword: 'east-admin-pass-1', newPassword: 'east-own-1' },
      bearer,
    );
    const sites = async () =>
      (await inject('GET', '/api/v1/sites', undefined, bearer))
        .json()
        .sites.map((site: { id: string }) => site.id);
    expect(await sites()).toEqual(['east']);
    // Every permission, but managing operators is what all sites share: a limited operator could lift their limit.
    const lift = await inject('PATCH', `/api/v1/operators/${operator.id}`, { siteIds: [] }, bearer);
    expect(lift.statusCode).toBe(403);
    expect(lift.json().error.code).toBe('SITE_FORBIDDEN');
    expect((await inject('GET', '/api/v1/operators', undefined, bearer)).json().error.code).toBe(
      'SITE_FORBIDDEN',
    );

    const moved = await inject('PATCH', `/api/v1/operators/${operator.id}`, { siteIds: ['west'] });
    expect(moved.json().siteIds).toEqual(['west']);
    // In force on the next request of the same session.
    expect(await sites()).toEqual(['west']);
    expect((await inject('GET', '/api/v1/auth/me', undefined, bearer)).json().siteIds).toEqual(['west']);
    const rows = await auditOf(operator.id);
    const update = rows.find((row) => row.action === 'operator.update')!;
    expect(JSON.parse(update.before_json!).siteIds).toEqual(['east']);
    expect(JSON.parse(update.after_json!).siteIds).toEqual(['west']);
    expect(JSON.parse(rows.find((row) => row.action === 'operator.create')!.after_json!).siteIds).toEqual([
      'east',
    ]);

    // A site someone is limited to cannot be deleted: the operator would silently gain every site.
    const deleted = await env.app.inject({ method: 'DELETE', url: '/api/v1/sites/west', headers: admin() });
    expect(deleted.json().error.code).toBe('VENUE_IN_USE');

    const freed = await inject('PATCH', `/api/v1/operators/${operator.id}`, { siteIds: [] });
    expect(freed.json().siteIds).toEqual([]);
    expect(await sites()).toEqual(['east', 'west']);
    expect((await verifyAuditChain(env.test.database.db)).ok).toBe(true);
  });

  it('keeps an operator who manages operators on every site', async () => {
    // The seed admin is the only one who may manage operators: limiting them would leave nobody who can.
    await seedLayout(env.test.database.db, 'east', [{ id: 'z', gates: [] }]);
    const limited = await inject('PATCH', `/api/v1/operators/${env.operators.admin.id}`, {
      siteIds: ['east'],
    });
    expect(limited.statusCode).toBe(409);
    expect(limited.json().error.code).toBe('CONFLICT');
    expect((await inject('GET', `/api/v1/operators/${env.operators.admin.id}`)).json().siteIds).toEqual([]);
  });
});
