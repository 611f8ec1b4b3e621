import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { databaseBackends } from '../../db/testing.js';
import { type AuditActor, auditedTransaction, recordAudit } from '../audit/record.js';
import { AppError } from '../errors.js';
import { requireSecondApproval } from './second-approval.js';
import { AuthService } from './service.js';
import { type AuthTestApp, createAuthTestApp } from './testing.js';

describe.each(databaseBackends())('second approval on $name', (backend) => {
  let env: AuthTestApp;
  let auth: AuthService;
  beforeEach(async () => {
    env = await createAuthTestApp(backend);
    auth = new AuthService(env.test.database.db, env.config.auth);
  });
  afterEach(() => env.dispose());

  /** A stand-in for a refund: above the threshold it needs an approver, recorded with the action. */
  async function fakeRefund(
    actor: AuditActor,
    amountFen: number,
    approval?: { username: string; password: string },
  ) {
    const db = env.test.database.db;
    const approver = await requireSecondApproval(
      auth,
      db,
      { actor, amountFen, approval },
      { ip: '10.0.0.7' },
    );
    await auditedTransaction(db, (trx) =>
      recordAudit(trx, {
        actor,
        action: 'fake.refund',
        entity: 'fake',
        after: { amountFen, approvedBy: approver },
      }),
    );
    return approver;
  }

  const cashier = () => ({ id: env.operators.cashier.id, username: env.operators.cashier.username });
  const codeOf = (promise: Promise<unknown>) =>
    promise.then(
      () => 'resolved',
      (error: unknown) => (error instanceof AppError ? error.code : String(error)),
    );

  it('needs nobody up to the threshold (¥500.00 by default)', async () => {
    expect(await fakeRefund(cashier(), 50_000)).toBeNull();
  });

  it('above it: asks for an approver, refuses self-approval and approvers without refunds.approve', async () => {
    const required = await fakeRefund(cashier(), 50_001).catch((e: AppError) => e);
    expect(required).toBeInstanceOf(AppError);
    expect((required as AppError).toBody('zh-CN').error).toMatchObject({
      code: 'SECOND_APPROVAL_REQUIRED',
      message: '金额超过 500.00 元，需要另一名有审批权限的操作员确认',
      details: { thresholdFen: 50_000 },
    });
    const finance = { id: env.operators.finance.id, username: env.operators.finance.username };
    expect(
      await codeOf(fakeRefund(finance, 60_000, { username: 'test_finance', password: 'password-finance' })),
    ).toBe('SECOND_APPROVER_SAME_OPERATOR');
    expect(
      await codeOf(
        fakeRefund(cashier(), 60_000, { username: 'test_control_room', password: 'password-control_room' }),
      ),
    ).toBe('SECOND_APPROVER_INVALID');
    expect(await codeOf(fakeRefund(cashier(), 60_000, { username: 'nobody', password: 'whatever-1' }))).toBe(
      'SECOND_APPROVER_INVALID',
    );
  });

  it('refuses an approver still on a password an administrator set (the administrator knows it too)', async () => {
    const db = env.test.database.db;
    const finance = { username: 'test_finance', password: 'password-finance' };
    await db
      .updateTable('operators')
      .set({ must_change_password: 1 })
      .where('username', '=', 'test_finance')
      .execute();
    expect(await codeOf(fakeRefund(cashier(), 60_000, finance))).toBe('SECOND_APPROVER_INVALID');
    await db
      .updateTable('operators')
      .set({ must_change_password: 0 })
      .where('username', '=', 'test_finance')
      .execute();
    expect(await codeOf(fakeRefund(cashier(), 60_000, finance))).toBe('resolved');
  });

  it('a wrong approver password counts toward that approver’s lockout', async () => {
    for (let i = 0; i < 5; i++)
      expect(
        await codeOf(fakeRefund(cashier(), 60_000, { username: 'test_finance', password: 'bad-guess' })),
      ).toBe('SECOND_APPROVER_INVALID');
    // Locked now: even the right password is refused, alike.
    expect(
      await codeOf(fakeRefund(cashier(), 60_000, { username: 'test_finance', password: 'password-finance' })),
    ).toBe('SECOND_APPROVER_INVALID');
    const row = await env.test.database.db
      .selectFrom('operators')
      .select('locked_until')
      .where('username', '=', 'test_finance')
      .executeTakeFirstOrThrow();
    expect(row.locked_until).toBeGreaterThan(Date.now());
  });

  it('a valid approver lets the action through and is recorded with it', async () => {
    const approver = await fakeRefund(cashier(), 60_000, {
      username: 'TEST_FINANCE',
      password: 'password-finance',
    });
    expect(approver).toEqual({ id: env.operators.finance.id, username: 'test_finance' });
    const row = await env.test.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'fake.refund')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(row.after_json!)).toEqual({ amountFen: 60_000, approvedBy: approver });
  });

  it('the threshold is a setting: system.manage changes it over HTTP, audited; others may read it', async () => {
    const put = (role: 'admin' | 'cashier', thresholdFen: number) =>
      env.app.inject({
        method: 'PUT',
        url: '/api/v1/auth/second-approval',
        headers: env.as(role),
        payload: { thresholdFen },
      });
    expect((await put('cashier', 0)).statusCode).toBe(403);
    expect((await put('admin', 100_000)).json()).toEqual({ thresholdFen: 100_000 });
    const read = await env.app.inject({
      method: 'GET',
      url: '/api/v1/auth/second-approval',
      headers: env.as('cashier'),
    });
    expect(read.json()).toEqual({ thresholdFen: 100_000 });
    expect(await fakeRefund(cashier(), 60_000)).toBeNull();
    expect(await codeOf(fakeRefund(cashier(), 100_001))).toBe('SECOND_APPROVAL_REQUIRED');
    const setting = await env.test.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'setting.update')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(setting.before_json!)).toEqual({ thresholdFen: 50_000 });
    expect(setting.actor_id).toBe(env.operators.admin.id);
  });
});
