/**
 * IC cards at the window (窗口发卡): a sale line may bind one card UID per ticket, for the kinds a card is made for —
 * count cards, period passes and the month, quarter and year member cards — so the card works at the gates as soon
 * as it is sold, instead of through a reissue afterwards. UIDs are normalised as everywhere else (protocol's
 * checkCardUid: upper-case hex of 4 or 7 bytes), and a card already bound to a live ticket, or twice in one sale,
 * is refused with CARD_UID_IN_USE.
 */
import { checkCardUid } from '@scenic/protocol';
import type { Connection } from '../../db/scoped.js';
import { AppError } from '../../platform/errors.js';
import type { TicketKind, TicketType } from '../ticket-types/schemas.js';
import { liveTicketWithCard } from '../tickets/reads.js';
import type { OrderLine } from './order.js';
import { invalidBody } from './refusals.js';

const CARD_KINDS: ReadonlySet<TicketKind> = new Set([
  'count',
  'period_pass',
  'month_pass',
  'quarter_pass',
  'year_pass',
]);

/**
 * The line's card UIDs, normalised, one per ticket (none when the line carries none). `inSale` holds the UIDs of the
 * sale's earlier lines and receives these.
 */
export async function cardsOfLine(
  trx: Connection,
  line: OrderLine,
  type: TicketType,
  inSale: Set<string>,
  now: number,
): Promise<string[]> {
  if (line.cardUids.length === 0) return [];
  if (!CARD_KINDS.has(type.kind)) throw new AppError('CARD_UID_NOT_ALLOWED', { typeId: type.typeId });
  if (line.cardUids.length !== line.quantity)
    throw new AppError('CARD_UID_COUNT', { quantity: line.quantity, cards: line.cardUids.length });
  const uids = line.cardUids.map((text, i) => {
    const checked = checkCardUid(text);
    if (!checked.ok)
      throw invalidBody(['lines', line.lineNo - 1, 'cardUids', i], 'IC 卡号无效', checked.message);
    return checked.uid;
  });
  for (const uid of uids) {
    // The details say where the card is, so the window can open that ticket (票效查询) instead of guessing.
    if (inSale.has(uid))
      throw new AppError(
        'CARD_UID_IN_USE',
        { cardUid: uid },
        { details: { cardUid: uid, inThisSale: true } },
      );
    const holder = await liveTicketWithCard(trx, uid, now);
    if (holder !== undefined)
      throw new AppError(
        'CARD_UID_IN_USE',
        { cardUid: uid },
        { details: { cardUid: uid, inThisSale: false, ticketId: holder } },
      );
    inSale.add(uid);
  }
  return uids;
}
