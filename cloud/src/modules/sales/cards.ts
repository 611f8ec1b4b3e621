/**
 * IC cards at the window (窗口发卡): a sale line may bind one card UID per ticket, for the kinds a card is made for —
 * count cards, period passes and the month, quarter and year member cards — so the card works at the gates as soon
 * as it is sold, instead of through a reissue afterwards. UIDs are normalised as everywhere else (protocol's
 * checkCardUid: upper-case hex of 4 or 7 bytes), and a card already bound to a live ticket, or twice in one sale,
 * is refused with CARD_UID_IN_USE; a card reported lost or blocked with CARD_BLOCKED (the cards module says so).
 *
 * `SaleCards` is what a sale asks of the cards module (modules/cards implements it; the composition root hands it
 * over, so sales never reads the cards' tables): the site's card deposit (押金), charged with the sale, whether a card
 * may be issued, and the cards the sale bound, recorded in the sale's transaction.
 */
import { checkCardUid } from '@scenic/protocol';
import type { Connection } from '../../db/scoped.js';
import { AppError } from '../../platform/errors.js';
import type { TicketKind, TicketType } from '../ticket-types/schemas.js';
import { liveTicketWithCard } from '../tickets/reads.js';
import type { OrderLine } from './order.js';
import { invalidBody } from './refusals.js';

/** One card a sale bound to the ticket it issued, with the deposit charged for it. */
export interface BoundCard {
  readonly uid: string;
  readonly siteId: string;
  readonly ticketId: number;
  readonly saleId: string;
  readonly depositFen: number;
}

export interface SaleCards {
  /** The deposit the site charges per card, fen (0: none). */
  depositFen(trx: Connection, siteId: string): Promise<number>;
  /** CARD_BLOCKED when the card is reported lost or blocked. */
  refuseBlocked(trx: Connection, cardUid: string): Promise<void>;
  /** Records the cards the sale bound (status issued, the deposit they hold, their history). */
  bind(trx: Connection, cards: readonly BoundCard[], at: number, actorId: string | null): Promise<void>;
}

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
  cards: SaleCards,
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
    await cards.refuseBlocked(trx, uid);
    inSale.add(uid);
  }
  return uids;
}
