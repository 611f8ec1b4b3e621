import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { databaseBackends } from '../../db/testing.js';
import { type AuditActor, auditedTransaction, recordAudit } from '../audit/record.js';
import { AppError } from '../errors.js';
import type { AuthConfig } from './config.js';
import {
  approvalRequired,
  type EarlierAmounts,
  requireSecondApproval,
  secondApprovalSettings,
  weighApproval,
} from './second-approval.js';
import { AuthService, type ClientInfo } from './service.js';
import { type AuthTestApp, createAuthTestApp } from './testing.js';

describe('what the second-approval threshold weighs', () => {
  const settings = { thresholdFen: 50_000, cashierDailyThresholdFen: null };

  it('an action plus the earlier ones of its kind on the same sale', () => {
    expect(weighApproval(settings, 30_000, { saleFen: 20_000 })).toMatchObject({
      saleCumulativeFen: 50_000,
      exceeds: null,
    });
    expect(weighApproval(settings, 30_000, { saleFen: 20_001 })).toMatchObject({
      amountFen: 30_000,
      saleCumulativeFen: 50_001,
      thresholdFen: 50_000,
      cashierDayCumulativeFen: null,
      exceeds: 'sale',
    });
    // Nothing handed back, nothing to approve, whatever came before.
    expect(weighApproval(settings, 0, { saleFen: 90_000 }).exceeds).toBeNull();
  });

  it('the cashier’s day only while the daily limit is set', () => {
    const earlier: EarlierAmounts = { saleFen: 0, cashierDayFen: 190_000 };
    expect(weighApproval(settings, 20_000, earlier).exceeds).toBeNull();
    const daily = { ...settings, cashierDailyThresholdFen: 200_000 };
    expect(weighApproval(daily, 10_000, earlier)).toMatchObject({
      cashierDayCumulativeFen: 200_000,
      exceeds: null,
    });
    expect(weighApproval(daily, 10_001, earlier)).toMatchObject({
      cashierDayCumulativeFen: 200_001,
      cashierDailyThresholdFen: 200_000,
      exceeds: 'cashier_day',
    });
  });

  it('SECOND_APPROVAL_REQUIRED names the limit passed, in both languages, with the figures in details', () => {
    const alone = approvalRequired(weighApproval(settings, 60_000)).toBody('zh-CN').error;
    expect(alone).toMatchObject({
      message: '金额超过 500.00 元，需要另一名有审批权限的操作员确认',
      details: { thresholdFen: 50_000, cumulativeFen: 60_000, amountFen: 60_000, limit: 'sale' },
    });
    const split = approvalRequired(weighApproval(settings, 30_000, { saleFen: 30_000 })).toBody('en').error;
    expect(split).toMatchObject({
      message:
        'Cumulative amounts on one sale above 500.00 yuan need a second operator with approval rights to confirm',
      details: { thresholdFen: 50_000, cumulativeFen: 60_000, amountFen: 30_000 },
    });
    expect(split.messages['zh-CN']).toBe('同一订单累计金额超过 500.00 元，需要另一名有审批权限的操作员确认');
    const day = approvalRequired(
      weighApproval({ ...settings, cashierDailyThresholdFen: 100_000 }, 1_000, {
        saleFen: 0,
        cashierDayFen: 99_500,
      }),
    ).toBody('zh-CN').error;
    expect(day).toMatchObject({
      message: '营业员当日累计退款超过 1000.00 元，需要另一名有审批权限的操作员确认',
      details: { thresholdFen: 100_000, cumulativeFen: 100_500, limit: 'cashier_day' },
    });
  });
});

describe.each(databaseBackends())('second approval on $name', (backend) => {
  let env: AuthTestApp;
  let now: number;
  let auth: AuthService;
  const authWith = (config: Partial<AuthConfig> = {}) =>
    new AuthService(env.test.database.db, { ...env.config.auth, ...config }, () => now);
  beforeEach(async () => {
    env = await createAuthTestApp(backend);
    now = Date.now();
    auth = authWith();
  });
  afterEach(() => env.dispose());

  /** A stand-in for a refund: past the threshold it needs an approver, recorded with the action. */
  async function fakeRefund(
    actor: AuditActor,
    amountFen: number,
    approval?: { username: string; password: string },
    client: ClientInfo = { ip: '10.0.0.7' },
    service: AuthService = auth,
  ) {
    const db = env.test.database.db;
    const figures = weighApproval(await secondApprovalSettings(db), amountFen);
    const approver = await requireSecondApproval(service, figures, { actor, approval }, client);
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
  const agency = () => ({ id: env.operators.agency.id, username: env.operators.agency.username });
  const finance = { username: 'test_finance', password: 'password-finance' };
  const codeOf = (promise: Promise<unknown>) =>
    promise.then(
      () => 'resolved',
      (error: unknown) => (error instanceof AppError ? error.code : String(error)),
    );
  const operatorRow = (username: string) =>
    env.test.database.db
      .selectFrom('operators')
      .selectAll()
      .where('username', '=', username)
      .executeTakeFirstOrThrow();

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
    const financeActor = { id: env.operators.finance.id, username: env.operators.finance.username };
    expect(await codeOf(fakeRefund(financeActor, 60_000, finance))).toBe('SECOND_APPROVER_SAME_OPERATOR');
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

  it('wrong approver passwords count against the requester, are audited, and never lock the approver', async () => {
    const wrong = { username: 'test_finance', password: 'bad-guess' };
    // LOGIN_MAX_FAILURES (5) in a row, as for sign-in: four refused as invalid, the fifth locks the requester out
    // of approvals, whatever they type next.
    for (let i = 0; i < 4; i++)
      expect(await codeOf(fakeRefund(cashier(), 60_000, wrong))).toBe('SECOND_APPROVER_INVALID');
    const locking = await fakeRefund(cashier(), 60_000, wrong).catch((e: AppError) => e);
    expect((locking as AppError).toBody('en').error).toMatchObject({
      code: 'RATE_LIMITED',
      message: 'Too many requests, please try again later',
      messages: { 'zh-CN': '请求过于频繁，请稍后再试' },
      details: { retryAfterSec: 15 * 60 },
    });
    expect((locking as AppError).status).toBe(429);
    expect(await codeOf(fakeRefund(cashier(), 60_000, finance))).toBe('RATE_LIMITED');
    expect(await codeOf(fakeRefund(cashier(), 60_000, { username: 'nobody', password: 'x' }))).toBe(
      'RATE_LIMITED',
    );

    // The approver is untouched: no failure counted, no lock, signs in at once, approves for someone else.
    expect(await operatorRow('test_finance')).toMatchObject({ failed_logins: 0, locked_until: null });
    expect((await auth.login('test_finance', 'password-finance', { ip: '10.0.0.8' })).operator.username).toBe(
      'test_finance',
    );
    expect(await fakeRefund(agency(), 60_000, finance)).toMatchObject({ username: 'test_finance' });
    expect(await operatorRow('test_cashier')).toMatchObject({ failed_approvals: 0 });

    // One audit entry per failed approval, naming the requester and the username typed; none for those refused by
    // the limit before any password was checked.
    const failures = await env.test.database.db
      .selectFrom('audit_log')
      .select(['actor_id', 'actor_username', 'entity_id', 'after_json', 'ip'])
      .where('action', '=', 'auth.approval_failed')
      .orderBy('seq')
      .execute();
    expect(failures).toHaveLength(5);
    for (const row of failures)
      expect(row).toMatchObject({
        actor_id: env.operators.cashier.id,
        actor_username: 'test_cashier',
        entity_id: env.operators.cashier.id,
        ip: '10.0.0.7',
      });
    expect(JSON.parse(failures[0]!.after_json!)).toEqual({
      approverUsername: 'test_finance',
      permission: 'refunds.approve',
      reason: 'wrong_password',
      failedApprovals: 1,
      approvalsLockedUntil: null,
    });
    expect(JSON.parse(failures[4]!.after_json!)).toMatchObject({
      failedApprovals: 5,
      approvalsLockedUntil: now + 15 * 60_000,
    });
    expect(failures.map((row) => row.after_json)).not.toContainEqual(expect.stringContaining('bad-guess'));

    // The requester's lock ends by itself, like a sign-in lock.
    now += 15 * 60_000;
    expect(await fakeRefund(cashier(), 60_000, finance)).toMatchObject({ username: 'test_finance' });
  });

  it('parallel wrong approvals cannot slip past the requester’s limit nor lift the lock they set', async () => {
    const wrong = { username: 'test_finance', password: 'bad-guess' };
    const codes = await Promise.all(
      Array.from({ length: 10 }, () => codeOf(fakeRefund(cashier(), 60_000, wrong))),
    );
    expect(codes.filter((code) => code === 'SECOND_APPROVER_INVALID')).toHaveLength(4);
    expect(codes.filter((code) => code === 'RATE_LIMITED')).toHaveLength(6);
    expect(await operatorRow('test_cashier')).toMatchObject({ approvals_locked_until: now + 15 * 60_000 });
    expect(await operatorRow('test_finance')).toMatchObject({ failed_logins: 0, locked_until: null });
    const audited = await env.test.database.db
      .selectFrom('audit_log')
      .select('seq')
      .where('action', '=', 'auth.approval_failed')
      .execute();
    expect(audited).toHaveLength(5);
  });

  it('a success resets the requester’s count; an unknown approver counts like a wrong password', async () => {
    const wrong = { username: 'test_finance', password: 'bad-guess' };
    for (let i = 0; i < 4; i++)
      expect(await codeOf(fakeRefund(cashier(), 60_000, wrong))).toBe('SECOND_APPROVER_INVALID');
    expect(await fakeRefund(cashier(), 60_000, finance)).not.toBeNull();
    expect(await operatorRow('test_cashier')).toMatchObject({
      failed_approvals: 0,
      approvals_locked_until: null,
    });
    for (let i = 0; i < 4; i++)
      expect(await codeOf(fakeRefund(cashier(), 60_000, { username: `nobody${i}`, password: 'x' }))).toBe(
        'SECOND_APPROVER_INVALID',
      );
    expect(await codeOf(fakeRefund(cashier(), 60_000, { username: 'nobody', password: 'x' }))).toBe(
      'RATE_LIMITED',
    );
  });

  it('failed approvals and sign-ins share the per-address limit; right credentials do not use it up', async () => {
    const limited = authWith({ loginRateLimitPerMinute: 3 });
    const from = (ip: string) => ({ ip });
    const wrong = { username: 'test_finance', password: 'bad-guess' };
    expect(await codeOf(fakeRefund(cashier(), 60_000, wrong, from('10.1.1.1'), limited))).toBe(
      'SECOND_APPROVER_INVALID',
    );
    expect(await codeOf(fakeRefund(agency(), 60_000, wrong, from('10.1.1.1'), limited))).toBe(
      'SECOND_APPROVER_INVALID',
    );
    expect(await codeOf(limited.login('test_admin', 'password-admin', from('10.1.1.1')))).toBe('resolved');
    // The address has had its three attempts this minute: sign-in and approval alike are refused.
    expect(await codeOf(limited.login('test_admin', 'password-admin', from('10.1.1.1')))).toBe(
      'RATE_LIMITED',
    );
    expect(await codeOf(fakeRefund(agency(), 60_000, finance, from('10.1.1.1'), limited))).toBe(
      'RATE_LIMITED',
    );
    expect(await codeOf(fakeRefund(agency(), 60_000, finance, from('10.1.1.2'), limited))).toBe('resolved');
    // Five approvals with the right credentials from one address: none is a guess.
    for (let i = 0; i < 5; i++)
      expect(await codeOf(fakeRefund(agency(), 60_000, finance, from('10.1.1.3'), limited))).toBe('resolved');
    now += 60_000;
    expect(await codeOf(limited.login('test_admin', 'password-admin', from('10.1.1.1')))).toBe('resolved');
  });

  it('an approver whose own account is locked cannot approve meanwhile, whatever the password', async () => {
    await env.test.database.db
      .updateTable('operators')
      .set({ locked_until: now + 60_000 })
      .where('username', '=', 'test_finance')
      .execute();
    expect(await codeOf(fakeRefund(cashier(), 60_000, finance))).toBe('SECOND_APPROVER_INVALID');
    expect(await codeOf(fakeRefund(cashier(), 60_000, { ...finance, password: 'bad-guess' }))).toBe(
      'SECOND_APPROVER_INVALID',
    );
    expect(await operatorRow('test_finance')).toMatchObject({ failed_logins: 0, locked_until: now + 60_000 });
  });

  it('a valid approver lets the action through and is recorded with it', async () => {
    const approver = await fakeRefund(cashier(), 60_000, { ...finance, username: 'TEST_FINANCE' });
    expect(approver).toEqual({ id: env.operators.finance.id, username: 'test_finance' });
    const row = await env.test.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'fake.refund')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(row.after_json!)).toEqual({ amountFen: 60_000, approvedBy: approver });
  });

  it('the thresholds are settings: system.manage changes them over HTTP, audited; others may read them', async () => {
    const put = (role: 'admin' | 'cashier', payload: object) =>
      env.app.inject({
        method: 'PUT',
        url: '/api/v1/auth/second-approval',
        headers: env.as(role),
        payload,
      });
    const read = async () =>
      (
        await env.app.inject({
          method: 'GET',
          url: '/api/v1/auth/second-approval',
          headers: env.as('cashier'),
        })
      ).json();
    // The daily limit is off until set.
    expect(await read()).toEqual({ thresholdFen: 50_000, cashierDailyThresholdFen: null });
    expect((await put('cashier', { thresholdFen: 0 })).statusCode).toBe(403);
    expect((await put('admin', { thresholdFen: 100_000 })).json()).toEqual({
      thresholdFen: 100_000,
      cashierDailyThresholdFen: null,
    });
    expect(await read()).toEqual({ thresholdFen: 100_000, cashierDailyThresholdFen: null });
    expect(await fakeRefund(cashier(), 60_000)).toBeNull();
    expect(await codeOf(fakeRefund(cashier(), 100_001))).toBe('SECOND_APPROVAL_REQUIRED');
    const setting = await env.test.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'setting.update')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(setting.before_json!)).toEqual({ thresholdFen: 50_000 });
    expect(setting.actor_id).toBe(env.operators.admin.id);

    expect((await put('admin', { cashierDailyThresholdFen: 300_000 })).json()).toEqual({
      thresholdFen: 100_000,
      cashierDailyThresholdFen: 300_000,
    });
    expect((await put('admin', { cashierDailyThresholdFen: null })).json()).toEqual({
      thresholdFen: 100_000,
      cashierDailyThresholdFen: null,
    });
    const daily = await env.test.database.db
      .selectFrom('audit_log')
      .select(['entity_id', 'before_json', 'after_json'])
      .where('action', '=', 'setting.update')
      .where('entity_id', '=', 'second_approval.cashier_daily_threshold_fen')
      .orderBy('seq')
      .execute();
    expect(daily.map((row) => [JSON.parse(row.before_json!), JSON.parse(row.after_json!)])).toEqual([
      [{ cashierDailyThresholdFen: null }, { cashierDailyThresholdFen: 300_000 }],
      [{ cashierDailyThresholdFen: 300_000 }, { cashierDailyThresholdFen: null }],
    ]);
    for (const payload of [{}, { thresholdFen: -1 }, { cashierDailyThresholdFen: 1.5 }, { limit: 1 }])
      expect((await put('admin', payload)).json().error.code).toBe('VALIDATION_FAILED');
  });
});
