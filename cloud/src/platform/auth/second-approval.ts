/**
 * Separation of duties (双人复核): an action above a money threshold — a large refund, say — needs a second,
 * different operator holding an approval permission to enter their username and password at the same counter.
 *
 * The threshold weighs cumulative amounts, so that splitting an action into small ones does not avoid it:
 * - the action's amount plus what earlier actions of its kind moved on the same sale (refunds of the sale; 补票 of
 *   the sale's tickets) against `thresholdFen` (¥500.00 until an administrator sets another);
 * - when an administrator sets `cashierDailyThresholdFen` (off until then), also the cashier's refunds in the
 *   venue's business day (midnight to midnight in the site's time zone), this one included, against it.
 * Both are settings in app_meta, changed through the API and audited. An action that moves no money needs nobody.
 *
 * Use through platform/approved-write.ts: it weighs the figures before the write, to ask for an approver outside any
 * transaction (checking a password is slow), and again inside the write's transaction, where the sums are read as
 * of the write itself; audited transactions run one after another on both engines, so parallel small actions that
 * together pass the threshold cannot all go through without approval.
 *
 * A wrong approver password counts against the operator who asked and their address, never against the approver
 * (approver-check.ts).
 */
import { appMetaTables } from '../../db/schema.js';
import type { Connection } from '../../db/scoped.js';
import { type AuditActor, recordAudit } from '../audit/record.js';
import { AppError } from '../errors.js';
import type { Localized } from '../language.js';
import type { Permission } from '../permissions.js';
import type { AuthService, ClientInfo } from './service.js';

export const SECOND_APPROVAL_THRESHOLD_KEY = 'second_approval.threshold_fen';
export const CASHIER_DAILY_THRESHOLD_KEY = 'second_approval.cashier_daily_threshold_fen';
/** ¥500.00 until an administrator sets another amount. */
export const DEFAULT_SECOND_APPROVAL_THRESHOLD_FEN = 50_000;

export interface SecondApprovalSettings {
  /** Amounts on one sale above this (cumulative, in fen) need a second approver. */
  readonly thresholdFen: number;
  /** A cashier's refunds in one business day above this (in fen) need one too; null: not weighed. */
  readonly cashierDailyThresholdFen: number | null;
}

/** What a change sets; an omitted field keeps its value, a null daily threshold turns that limit off. */
export interface SecondApprovalSettingsChange {
  readonly thresholdFen?: number;
  readonly cashierDailyThresholdFen?: number | null;
}

function fenOf(value: string | undefined): number | null {
  const fen = value === undefined ? Number.NaN : Number(value);
  return Number.isSafeInteger(fen) && fen >= 0 ? fen : null;
}

export async function secondApprovalSettings(db: Connection): Promise<SecondApprovalSettings> {
  const rows = await appMetaTables(db)
    .selectFrom('app_meta')
    .select(['key', 'value'])
    .where('key', 'in', [SECOND_APPROVAL_THRESHOLD_KEY, CASHIER_DAILY_THRESHOLD_KEY])
    .execute();
  const value = (key: string) => fenOf(rows.find((row) => row.key === key)?.value);
  return {
    thresholdFen: value(SECOND_APPROVAL_THRESHOLD_KEY) ?? DEFAULT_SECOND_APPROVAL_THRESHOLD_FEN,
    cashierDailyThresholdFen: value(CASHIER_DAILY_THRESHOLD_KEY),
  };
}

/** Applies a change inside the caller's transaction, one audit entry per setting named, and returns the result. */
export async function setSecondApprovalSettings(
  trx: Connection,
  change: SecondApprovalSettingsChange,
  actor: AuditActor,
  ip: string | null,
  now: number = Date.now(),
): Promise<SecondApprovalSettings> {
  const before = await secondApprovalSettings(trx);
  const meta = appMetaTables(trx);
  const audit = (key: string, field: keyof SecondApprovalSettings, value: number | null) =>
    recordAudit(
      trx,
      {
        actor,
        action: 'setting.update',
        entity: 'setting',
        entityId: key,
        before: { [field]: before[field] },
        after: { [field]: value },
        ip,
      },
      now,
    );
  const put = async (key: string, fen: number) => {
    await meta
      .insertInto('app_meta')
      .values({ key, value: String(fen), updated_at: now })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: String(fen), updated_at: now }))
      .execute();
  };
  if (change.thresholdFen !== undefined) {
    await put(SECOND_APPROVAL_THRESHOLD_KEY, change.thresholdFen);
    await audit(SECOND_APPROVAL_THRESHOLD_KEY, 'thresholdFen', change.thresholdFen);
  }
  const daily = change.cashierDailyThresholdFen;
  if (daily !== undefined) {
    if (daily === null)
      await meta.deleteFrom('app_meta').where('key', '=', CASHIER_DAILY_THRESHOLD_KEY).execute();
    else await put(CASHIER_DAILY_THRESHOLD_KEY, daily);
    await audit(CASHIER_DAILY_THRESHOLD_KEY, 'cashierDailyThresholdFen', daily);
  }
  return secondApprovalSettings(trx);
}

/** What came before an action, for the cumulative threshold. */
export interface EarlierAmounts {
  /** Moved by earlier actions of the same kind on the same sale, in fen. */
  readonly saleFen: number;
  /** The same cashier's earlier refunds in this business day; only refunds give it, and only while that limit is on. */
  readonly cashierDayFen?: number;
}

/** What the threshold weighed for one action; its audit entry keeps them. */
export interface ApprovalFigures {
  /** This action. */
  readonly amountFen: number;
  /** This action plus the earlier ones of its kind on the same sale. */
  readonly saleCumulativeFen: number;
  readonly thresholdFen: number;
  /** This refund plus the cashier's earlier ones in the business day; null when not weighed. */
  readonly cashierDayCumulativeFen: number | null;
  readonly cashierDailyThresholdFen: number | null;
  /** The limit the action passes, so that it needs a second approver; null: it needs nobody. */
  readonly exceeds: 'sale' | 'cashier_day' | null;
}

export function weighApproval(
  settings: SecondApprovalSettings,
  amountFen: number,
  earlier: EarlierAmounts = { saleFen: 0 },
): ApprovalFigures {
  const saleCumulativeFen = earlier.saleFen + amountFen;
  const daily = settings.cashierDailyThresholdFen;
  const cashierDayCumulativeFen =
    daily === null || earlier.cashierDayFen === undefined ? null : earlier.cashierDayFen + amountFen;
  const exceeds =
    amountFen <= 0
      ? null
      : saleCumulativeFen > settings.thresholdFen
        ? 'sale'
        : daily !== null && cashierDayCumulativeFen !== null && cashierDayCumulativeFen > daily
          ? 'cashier_day'
          : null;
  return {
    amountFen,
    saleCumulativeFen,
    thresholdFen: settings.thresholdFen,
    cashierDayCumulativeFen,
    cashierDailyThresholdFen: daily,
    exceeds,
  };
}

const AMOUNT: Localized = { 'zh-CN': '金额', en: 'Amounts' };
const SALE_CUMULATIVE: Localized = { 'zh-CN': '同一订单累计金额', en: 'Cumulative amounts on one sale' };
const CASHIER_DAY: Localized = {
  'zh-CN': '营业员当日累计退款',
  en: "A cashier's refunds in one business day",
};

/**
 * SECOND_APPROVAL_REQUIRED for figures that pass a limit: the message names the limit and its amount; details carry
 * `thresholdFen` (the limit passed), `cumulativeFen` (what was weighed against it), `amountFen` and `limit`.
 */
export function approvalRequired(figures: ApprovalFigures): AppError {
  const day = figures.exceeds === 'cashier_day';
  const thresholdFen = day ? (figures.cashierDailyThresholdFen ?? 0) : figures.thresholdFen;
  const cumulativeFen = day ? (figures.cashierDayCumulativeFen ?? 0) : figures.saleCumulativeFen;
  const scope = day ? CASHIER_DAY : figures.amountFen > figures.thresholdFen ? AMOUNT : SALE_CUMULATIVE;
  return new AppError(
    'SECOND_APPROVAL_REQUIRED',
    { scope, threshold: (thresholdFen / 100).toFixed(2) },
    {
      details: {
        thresholdFen,
        cumulativeFen,
        amountFen: figures.amountFen,
        limit: day ? 'cashier_day' : 'sale',
      },
    },
  );
}

export interface SecondApprovalRequest {
  /** Who performs the action. */
  readonly actor: AuditActor;
  /** The approver's credentials, if the client collected them. */
  readonly approval?: { readonly username: string; readonly password: string } | undefined;
  /** What the approver must hold; refunds by default. */
  readonly permission?: Permission;
}

/**
 * Null when the figures pass no limit; otherwise the approving operator. Throws SECOND_APPROVAL_REQUIRED (no
 * credentials given), SECOND_APPROVER_SAME_OPERATOR, SECOND_APPROVER_INVALID (wrong credentials, inactive, lacking
 * the permission, locked, or still on a password an administrator set, which that administrator knows too) or
 * RATE_LIMITED (the requester or their address is past the
 * sign-in limits).
 */
export async function requireSecondApproval(
  auth: AuthService,
  figures: ApprovalFigures,
  request: SecondApprovalRequest,
  client: ClientInfo,
): Promise<AuditActor | null> {
  if (figures.exceeds === null) return null;
  if (!request.approval) throw approvalRequired(figures);
  return auth.checkApprover({
    requester: request.actor,
    username: request.approval.username,
    password: request.approval.password,
    permission: request.permission ?? 'refunds.approve',
    client,
  });
}
