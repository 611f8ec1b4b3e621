/**
 * The price of every ticket of a sale line, and the per-ID daily limit. With holders, each is priced from their own
 * ID (age discounts) and counted against the limit (tickets already sold plus earlier ones in this sale); holders'
 * ID numbers leave this file only masked and hashed.
 *
 * Prices come from the ticket types' pure price function on the order's parsed values: the sale has read the type and
 * its site in its own transaction already, and has parsed the visit date and the ID numbers once (order.ts). The
 * checks TicketTypesService.quote makes around that function are made here in the same order: the type is active,
 * the ID's birth date is not after the visit date.
 */
import { normaliseBarcodeDigits } from '@scenic/protocol';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { AppError } from '../../platform/errors.js';
import type { CivilDate } from '../../platform/identity/civil-date.js';
import { maskResidentId, requireResidentId } from '../../platform/identity/resident-id.js';
import type { CredentialSecrets } from '../signing-keys/secrets.js';
import { priceOf } from '../ticket-types/pricing.js';
import type { Quote, TicketType } from '../ticket-types/schemas.js';
import type { TicketsService } from '../tickets/service.js';
import type { AgePolicy } from '../venues/age-policy.js';
import { type OrderLine, requireHolderId, type ValidHolderId } from './order.js';
import { invalidBody } from './refusals.js';
import type { PricedTicket } from './sold.js';

export interface PricingDependencies {
  readonly tickets: TicketsService;
  readonly secrets: () => CredentialSecrets;
}

export interface LineToPrice {
  readonly line: OrderLine;
  readonly type: TicketType;
  readonly agePolicy: AgePolicy | null;
  /** Tickets each holder has had so far this sale and before, by type, day and ID hash. */
  readonly heldToday: Map<string, number>;
}

/** One ticket's quote for a holder with this ID, or for anyone when there is none. */
function quoteFor({ line, type, agePolicy }: LineToPrice, id: ValidHolderId | undefined): Quote {
  if (!type.active) throw new AppError('TICKET_TYPE_INACTIVE', { typeId: type.typeId });
  // Born after the visit date: the catalogue's refusal for that ID number on that date.
  if (id && id.birthDay > line.visitDay) requireResidentId(id.number, line.visitOn);
  const birthDate: CivilDate | undefined = id?.birthDate;
  return priceOf(type, agePolicy, {
    channel: 'window',
    visitDate: line.visitOn,
    ...(birthDate && { birthDate }),
    ...(line.persons !== undefined && { persons: line.persons }),
  });
}

function requireCounts({ line, type }: LineToPrice): void {
  const { holders, barcodes, quantity } = line;
  const index = line.lineNo - 1;
  if (type.realName === 'per_ticket' && holders.length !== quantity)
    throw new AppError('HOLDERS_REQUIRED', { typeId: line.typeId, quantity, count: holders.length });
  if (holders.length > 0 && holders.length !== quantity)
    throw invalidBody(
      ['lines', index, 'holders'],
      `游客人数应与张数 ${quantity} 相同`,
      `list one visitor per ticket (${quantity})`,
    );
  if (barcodes.length > 0 && barcodes.length !== quantity)
    throw invalidBody(
      ['lines', index, 'barcodes'],
      `条码数应与张数 ${quantity} 相同`,
      `give one barcode per ticket (${quantity})`,
    );
}

function barcodeAt(line: OrderLine, i: number): string | null {
  const text = line.barcodes[i];
  if (text === undefined) return null;
  const code = normaliseBarcodeDigits(text);
  if (code === null) throw new AppError('STOCK_CODE_UNKNOWN', { code: text.slice(0, 64) });
  return code;
}

export async function priceLine(
  deps: PricingDependencies,
  trx: Kysely<Database>,
  pricing: LineToPrice,
): Promise<PricedTicket[]> {
  requireCounts(pricing);
  const { line, type, heldToday } = pricing;
  if (line.holders.length === 0) {
    const quote = quoteFor(pricing, undefined);
    return Array.from({ length: line.quantity }, (_, i) => ({
      quote,
      holder: null,
      barcode: barcodeAt(line, i),
    }));
  }
  const perIdDailyLimit = type.perIdDailyLimit;
  const priced: PricedTicket[] = [];
  for (const [i, holder] of line.holders.entries()) {
    const id = requireHolderId(holder.id);
    const quote = quoteFor(pricing, id);
    const idHash = deps.secrets().idHash(id.number);
    const idMasked = maskResidentId(id.number);
    if (perIdDailyLimit !== null) {
      const key = `${line.typeId}/${line.visitDay}/${idHash}`;
      const already =
        heldToday.get(key) ?? (await deps.tickets.countForHolder(trx, idHash, line.visitDay, line.typeId));
      if (already + 1 > perIdDailyLimit)
        throw new AppError('PER_ID_LIMIT_EXCEEDED', {
          idNumber: idMasked,
          date: line.visitDate,
          typeId: line.typeId,
          limit: perIdDailyLimit,
        });
      heldToday.set(key, already + 1);
    }
    priced.push({
      quote,
      holder: { name: holder.name, idMasked, idHash, birthDay: id.birthDay },
      barcode: barcodeAt(line, i),
    });
  }
  return priced;
}
