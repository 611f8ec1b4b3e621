/**
 * 旅行社对账单 as a report table for the exports: the opening balance, one row per ledger kind (its count and signed
 * sum), and the closing balance as the totals row — so the amounts down the column add up to the closing balance,
 * the statement's identity (closing = opening + top-ups − debits + credits) read off the file itself.
 */
import type { ReportColumn, ReportRow, ReportTable } from '../../platform/exports/report.js';
import { rowsOf } from '../../platform/exports/report.js';
import type { Localized } from '../../platform/language.js';
import { LEDGER_KINDS, type LedgerKind, type Statement } from './schemas.js';

const KIND_LABELS: Readonly<Record<LedgerKind, Localized>> = {
  topup: { 'zh-CN': '充值', en: 'Top-ups' },
  order_debit: { 'zh-CN': '订单扣款', en: 'Order debits' },
  fee: { 'zh-CN': '手续费', en: 'Fees' },
  cancellation_credit: { 'zh-CN': '取消退回', en: 'Cancellation credits' },
  refund_credit: { 'zh-CN': '退款退回', en: 'Refund credits' },
  adjustment: { 'zh-CN': '调账', en: 'Adjustments' },
};

const COLUMNS: readonly ReportColumn[] = [
  { key: 'item', header: { 'zh-CN': '项目', en: 'Item' }, kind: 'text', width: 24 },
  { key: 'count', header: { 'zh-CN': '笔数', en: 'Entries' }, kind: 'integer' },
  { key: 'amountFen', header: { 'zh-CN': '金额（元）', en: 'Amount (¥)' }, kind: 'money_fen' },
];

export function statementTable(
  statement: Statement,
  agencyName: string,
  language: 'zh-CN' | 'en',
  timeZone: string,
): ReportTable {
  const rows: ReportRow[] = [
    {
      item: language === 'zh-CN' ? '期初余额' : 'Opening balance',
      count: null,
      amountFen: statement.openingBalanceFen,
    },
    ...LEDGER_KINDS.map((kind) => ({
      item: KIND_LABELS[kind][language],
      count: statement.byKind[kind].count,
      amountFen: statement.byKind[kind].amountFen,
    })),
  ];
  const period = {
    'zh-CN': `${statement.from} 至 ${statement.to}`,
    en: `${statement.from} to ${statement.to}`,
  };
  return {
    title: { 'zh-CN': '旅行社对账单', en: 'Agency statement' },
    subtitle: { 'zh-CN': `${agencyName} · ${period['zh-CN']}`, en: `${agencyName} · ${period.en}` },
    columns: COLUMNS,
    rows: rowsOf(rows),
    // The sum of the column is the closing balance by construction; the statement's own figure is what is shown.
    totals: {
      label: { 'zh-CN': '期末余额', en: 'Closing balance' },
      values: { amountFen: statement.closingBalanceFen },
    },
    timeZone,
    fileName: {
      'zh-CN': `对账单 ${agencyName} ${statement.from}至${statement.to}`,
      en: `Statement ${agencyName} ${statement.from} to ${statement.to}`,
    },
  };
}
