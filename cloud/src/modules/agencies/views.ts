/** The agencies module's rows as the API shows them, and the lookups every part of the module shares. */

import type { Connection } from '../../db/scoped.js';
import { AppError } from '../../platform/errors.js';
import type { Localized } from '../../platform/language.js';
import { invalidInput } from '../../platform/validation.js';
import { dayOfIsoDate, isoDateOfDay } from '../capacity/local-time.js';
import type { AgencyPaymentMode } from './contract.js';
import * as repo from './repo.js';
import type { Agency, AgencyStatus, AgencyType, LedgerEntry, LedgerKind, PutAgencyType } from './schemas.js';

export const AGENCY: Localized = { 'zh-CN': '旅行社', en: 'Agency' };

export async function agencyRow(db: Connection, agencyId: string): Promise<repo.AgencyRow> {
  const row = await repo.findAgency(db, agencyId);
  if (!row) throw new AppError('NOT_FOUND', { resource: AGENCY, id: agencyId });
  return row;
}

/** A venue-local date of the request as a day number; an impossible date is refused on `path`. */
export function dayField(text: string, path: (string | number)[], part: 'body' | 'querystring'): number {
  const day = dayOfIsoDate(text);
  if (day !== undefined) return day;
  throw invalidInput(part, [
    { path, code: 'invalid_format', messages: { 'zh-CN': '日期无效', en: 'invalid date' } },
  ]);
}

/** A type's dated prices as day ranges, sorted; a range ending before it starts, or two overlapping, are refused. */
export function datedRanges(dated: PutAgencyType['dated']) {
  const ranges = dated
    .map((price, index) => ({
      from_day: dayField(price.from, ['dated', index, 'from'], 'body'),
      to_day: dayField(price.to, ['dated', index, 'to'], 'body'),
      price_fen: price.priceFen,
      index,
    }))
    .sort((a, b) => a.from_day - b.from_day);
  for (const [position, range] of ranges.entries()) {
    const previous = ranges[position - 1];
    if (range.to_day < range.from_day || (previous && previous.to_day >= range.from_day))
      throw invalidInput('body', [
        {
          path: ['dated', range.index, 'to'],
          code: 'custom',
          messages: {
            'zh-CN': '日期段须首日不晚于末日，且互不重叠',
            en: 'a range must not end before it starts, and ranges must not overlap',
          },
        },
      ]);
  }
  return ranges;
}

export function agencyView(row: repo.AgencyRow): Agency {
  const mode = row.payment_mode as AgencyPaymentMode;
  return {
    id: row.id,
    name: row.name,
    licenceNo: row.licence_no,
    contacts: JSON.parse(row.contacts_json) as Agency['contacts'],
    status: row.status as AgencyStatus,
    paymentMode: mode,
    creditLimitFen: row.credit_limit_fen,
    balanceFen: row.balance_fen,
    availableFen:
      mode === 'prepaid'
        ? Math.max(0, row.balance_fen)
        : mode === 'credit'
          ? Math.max(0, row.balance_fen + row.credit_limit_fen)
          : null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function entryView(row: repo.LedgerRow): LedgerEntry {
  return {
    seq: row.seq,
    at: row.at,
    kind: row.kind as LedgerKind,
    amountFen: row.amount_fen,
    balanceAfterFen: row.balance_after_fen,
    orderId: row.order_id,
    note: row.note,
    actor: row.actor_username,
  };
}

export function typeView(row: repo.AgencyTypeRow, dated: readonly repo.DatedPriceRow[]): AgencyType {
  return {
    typeId: row.type_id,
    priceFen: row.price_fen,
    dated: dated.map((price) => ({
      from: isoDateOfDay(price.from_day),
      to: isoDateOfDay(price.to_day),
      priceFen: price.price_fen,
    })),
    updatedAt: row.updated_at,
  };
}
