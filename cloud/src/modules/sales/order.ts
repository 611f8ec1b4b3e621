/**
 * A sale request as domain values, made once when it arrives: each line's visit date as a calendar date and a day
 * number, and each holder's ID number checked with its birth date. The sale works on these from then on instead of
 * parsing the same text again at every step (pricing, the age check, per-ID limits, capacity).
 *
 * The schema has already refused a visit date that is not a real calendar date, so that parse cannot fail. An ID
 * number can: its verdict is kept here and raised where a sale has always raised it (while pricing that ticket), so a
 * request with several faults is refused for the same one as before.
 */
import { type AppError, isAppError } from '../../platform/errors.js';
import { type CivilDate, dayNumberOf, parseIsoDate } from '../../platform/identity/civil-date.js';
import { requireResidentId } from '../../platform/identity/resident-id.js';
import type { Payment } from './payments.js';
import type { CreateSale, SaleLineInput } from './schemas.js';

/** A holder's ID number after its one check: valid with its birth date, or its refusal. */
export type HolderId =
  | {
      readonly ok: true;
      /** Normalised: trimmed, check character upper-case. */
      readonly number: string;
      readonly birthDate: CivilDate;
      readonly birthDay: number;
    }
  /** The catalogue's ID_NUMBER_INVALID for the number as sent, thrown when that ticket is priced. */
  | { readonly ok: false; readonly refusal: AppError };

export type ValidHolderId = Extract<HolderId, { ok: true }>;

export interface OrderHolder {
  readonly name: string;
  readonly id: HolderId;
}

export interface OrderLine {
  /** 1-based, as stored. */
  readonly lineNo: number;
  readonly typeId: number;
  readonly quantity: number;
  /** YYYY-MM-DD as sent (the schema admits only that form), for messages and answers. */
  readonly visitDate: string;
  readonly visitOn: CivilDate;
  /** Days since 1970-01-01 (the venue-local day). */
  readonly visitDay: number;
  readonly slotId: string | undefined;
  readonly persons: number | undefined;
  readonly holders: readonly OrderHolder[];
  /** Pre-printed stub codes as sent; each is normalised as its ticket is priced. */
  readonly barcodes: readonly string[];
  /** IC card UIDs as sent; checked and normalised as the line is sold (cards.ts). */
  readonly cardUids: readonly string[];
}

export interface SaleOrder {
  readonly siteId: string;
  readonly windowId: string;
  readonly channel: CreateSale['channel'];
  readonly lines: readonly OrderLine[];
  /** The request's own payment objects (the audit entry records them as sent). */
  readonly payments: readonly Payment[];
  /** The customer whose points the sale accrues (and whose points pay a `points` payment). */
  readonly customerId: string | null;
}

function holderIdOf(input: string): HolderId {
  let number: string;
  let birthDate: CivilDate;
  try {
    ({ number, birthDate } = requireResidentId(input));
  } catch (error) {
    if (isAppError(error)) return { ok: false, refusal: error };
    throw error;
  }
  return { ok: true, number, birthDate, birthDay: dayNumberOf(birthDate) };
}

function lineOf(line: SaleLineInput, index: number): OrderLine {
  const visitOn = parseIsoDate(line.visitDate)!;
  return {
    lineNo: index + 1,
    typeId: line.typeId,
    quantity: line.quantity,
    visitDate: line.visitDate,
    visitOn,
    visitDay: dayNumberOf(visitOn),
    slotId: line.slotId,
    persons: line.persons,
    holders: (line.holders ?? []).map((holder) => ({ name: holder.name, id: holderIdOf(holder.idNumber) })),
    barcodes: line.barcodes ?? [],
    cardUids: line.cardUids ?? [],
  };
}

export function orderOf(input: CreateSale): SaleOrder {
  return {
    siteId: input.siteId,
    windowId: input.windowId,
    channel: input.channel,
    lines: input.lines.map(lineOf),
    payments: input.payments,
    customerId: input.customerId ?? null,
  };
}

/** The holder's checked ID, or its refusal thrown. */
export function requireHolderId(id: HolderId): ValidHolderId {
  if (id.ok) return id;
  throw id.refusal;
}
