/**
 * The exit's card recycler (回收): a passage out whose gate kept the card (protocol `cardRecycled`) frees the card in
 * the ingestion's transaction, so it can be sold again at once. Runs after the tickets' own hook, which has counted
 * the exit on the ticket. A replay changes nothing (the event was applied once).
 */
import type { PassageHook } from '../passages/service.js';
import type { CardsService } from './service.js';

export function cardRecyclePassageHook(cards: CardsService): PassageHook {
  return {
    name: 'cards.recycle',
    async apply(trx, event) {
      if (
        event.kind !== 'passage' ||
        event.card_recycled !== 1 ||
        event.direction !== 'out' ||
        event.ticket_id === null
      )
        return;
      await cards.recycled(trx, Number(event.ticket_id), event.event_id, event.at);
    },
  };
}
