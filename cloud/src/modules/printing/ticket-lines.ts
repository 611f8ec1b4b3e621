/**
 * The labelled rows of a ticket, built once from the model so the PDF stub and the thermal slip print the same facts
 * in the same order. Rows that do not apply (no slot, single entry, one person, anonymous ticket) are left out.
 */
import { formatDateTime, formatPeriod } from './format.js';
import type { BilingualText, TicketPrintModel } from './model.js';

export interface LabelledRow {
  label: BilingualText;
  value: string;
}

export function ticketDetailRows(t: TicketPrintModel): LabelledRow[] {
  const rows: LabelledRow[] = [
    { label: { zh: '有效期', en: 'Valid' }, value: formatPeriod(t.validity, t.timeZone) },
  ];
  if (t.slot) rows.push({ label: { zh: '入园时段', en: 'Slot' }, value: formatPeriod(t.slot, t.timeZone) });
  // A group ticket's entries count its persons (one each): the persons row says it, "30 次" would mislead.
  const groupOnce = t.persons != null && t.persons > 1 && t.kind !== 'count';
  if (t.entries != null && !groupOnce && (t.entries > 1 || t.kind === 'count')) {
    rows.push({ label: { zh: '可用次数', en: 'Entries' }, value: `${t.entries} 次` });
  }
  if (t.persons != null && t.persons > 1)
    rows.push({ label: { zh: '人数', en: 'Persons' }, value: `${t.persons} 人` });
  if (t.holder) {
    rows.push({ label: { zh: '持票人', en: 'Holder' }, value: t.holder.name });
    rows.push({ label: { zh: '证件号', en: 'ID' }, value: t.holder.maskedId });
  }
  return rows;
}

export function ticketFooterRows(t: TicketPrintModel): LabelledRow[] {
  const rows: LabelledRow[] = [
    { label: { zh: '票号', en: 'No.' }, value: t.serial },
    { label: { zh: '订单', en: 'Sale' }, value: t.saleId },
  ];
  if (t.window) rows.push({ label: { zh: '窗口', en: 'Window' }, value: t.window });
  if (t.cashier) rows.push({ label: { zh: '收银员', en: 'Cashier' }, value: t.cashier });
  rows.push({ label: { zh: '打印', en: 'Printed' }, value: formatDateTime(t.printedAtMs, t.timeZone) });
  return rows;
}
