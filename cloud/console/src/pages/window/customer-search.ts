/**
 * Finding the customer at the till from one field: what the cashier types or a reader types is a phone number, an
 * 18-character ID number or a member card's UID (customers API: each searched whole). The text decides which
 * searches to ask for; an all-digit text of 8 or 14 digits may be a phone number as well as a card, so both go.
 */
import type { Customer } from '../../api/types';
import { checkCardUid } from './card-uid';

export type CustomerSearch =
  | { readonly by: 'phone'; readonly phone: string }
  | { readonly by: 'idNumber'; readonly idNumber: string }
  | { readonly by: 'cardUid'; readonly cardUid: string };

/** The API's normalisePhone: spaces, dashes and brackets dropped, a mainland +86 / 0086 prefix too. */
function phoneOf(text: string): string | null {
  const digits = text.replace(/[\s\-()]/g, '');
  const mainland = /^(?:\+86|0086)(1\d{10})$/.exec(digits);
  const phone = mainland ? mainland[1]! : digits.replace(/^\+/, '');
  return /^\d{5,20}$/.test(phone) ? phone : null;
}

/** The searches a text asks for, most likely first; none when it is none of the three. */
export function customerSearches(text: string): CustomerSearch[] {
  const trimmed = text.trim();
  if (trimmed === '') return [];
  const searches: CustomerSearch[] = [];
  const id = trimmed.replace(/\s/g, '').toUpperCase();
  if (/^\d{17}[\dX]$/.test(id)) return [{ by: 'idNumber', idNumber: id }];
  const phone = phoneOf(trimmed);
  if (phone !== null) searches.push({ by: 'phone', phone });
  const card = checkCardUid(trimmed);
  if (card.state === 'valid') searches.push({ by: 'cardUid', cardUid: card.uid });
  return searches;
}

/** The query string of a search at the site. */
export function searchQuery(search: CustomerSearch, siteId: string): Record<string, string> {
  const { by, ...value } = search;
  return { siteId, limit: '20', ...(value as Record<string, string>) };
}

/** Customers found by several searches, each once, in the order found. */
export function mergeFound(pages: readonly (readonly Customer[])[]): Customer[] {
  const seen = new Set<string>();
  const found: Customer[] = [];
  for (const page of pages)
    for (const customer of page) {
      if (seen.has(customer.id)) continue;
      seen.add(customer.id);
      found.push(customer);
    }
  return found;
}

/** The member card shown beside the name: the active one. */
export function activeCard(customer: Pick<Customer, 'cards'>): string | null {
  return customer.cards.find((card) => card.status === 'active')?.cardUid ?? null;
}
