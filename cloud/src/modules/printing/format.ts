/**
 * Text formatting shared by the PDF and ESC/POS renderers, so a ticket reads the same on paper from either path.
 * Times are formatted with Intl in the venue's zone (the server's own zone never leaks onto a ticket).
 */
import type { TicketKind } from '../ticket-types/schemas.js';
import type { BilingualText, PaymentMethod, PrintPeriod } from './model.js';

/** 12000 → "¥120.00"; -500 → "-¥5.00". Integer arithmetic, so no float rounding ever shows up on a receipt. */
export function formatFen(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(Math.trunc(fen));
  return `${sign}¥${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

interface LocalParts {
  date: string;
  time: string;
  midnight: boolean;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function localParts(ms: number, timeZone: string): LocalParts {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, f);
  }
  const p: Record<string, string> = {};
  for (const part of f.formatToParts(ms)) p[part.type] = part.value;
  const time = `${p.hour}:${p.minute}`;
  return { date: `${p.year}-${p.month}-${p.day}`, time, midnight: time === '00:00' };
}

/** "2025-05-01 09:30" in the venue zone. */
export function formatDateTime(ms: number, timeZone: string): string {
  const p = localParts(ms, timeZone);
  return `${p.date} ${p.time}`;
}

/**
 * A validity or slot as people read it. `toMs` is exclusive: whole venue days print as dates with an inclusive last
 * day ("2025-05-01 至 2025-05-03", or one date for a one-day ticket); anything else prints with times, the end date
 * only when it differs ("2025-05-01 09:00–10:00").
 */
export function formatPeriod(period: PrintPeriod, timeZone: string): string {
  const from = localParts(period.fromMs, timeZone);
  const to = localParts(period.toMs, timeZone);
  if (from.midnight && to.midnight && period.toMs > period.fromMs) {
    const lastDay = localParts(period.toMs - 1, timeZone).date;
    return lastDay === from.date ? from.date : `${from.date} 至 ${lastDay}`;
  }
  if (from.date === to.date) return `${from.date} ${from.time}–${to.time}`;
  return `${from.date} ${from.time} 至 ${to.date} ${to.time}`;
}

export const KIND_LABELS: Record<TicketKind, BilingualText> = {
  single: { zh: '单次票', en: 'Single entry' },
  count: { zh: '次卡', en: 'Count card' },
  day_pass: { zh: '日票', en: 'Day pass' },
  month_pass: { zh: '月卡', en: 'Month pass' },
  quarter_pass: { zh: '季卡', en: 'Quarter pass' },
  year_pass: { zh: '年卡', en: 'Year pass' },
  period_pass: { zh: '期票', en: 'Period pass' },
  group: { zh: '团体票', en: 'Group ticket' },
};

export const PAYMENT_LABELS: Record<PaymentMethod, BilingualText> = {
  cash: { zh: '现金', en: 'Cash' },
  wechat: { zh: '微信支付', en: 'WeChat Pay' },
  alipay: { zh: '支付宝', en: 'Alipay' },
  unionpay: { zh: '银联', en: 'UnionPay' },
  card: { zh: '银行卡', en: 'Bank card' },
  voucher: { zh: '代金券', en: 'Voucher' },
  points: { zh: '积分抵扣', en: 'Points' },
  other: { zh: '其他', en: 'Other' },
};
