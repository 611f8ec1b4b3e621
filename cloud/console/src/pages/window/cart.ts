/**
 * The ticket window's cart as pure functions: how many tickets of each type (typed digit by digit like a till, or
 * stepped with + and −), pre-printed stubs scanned into the sale, persons per group ticket and the real-name holder
 * of each ticket; and from it the sale's request lines and a fingerprint that says whether two carts are the same
 * sale intent (the idempotency key follows it, see intent.ts).
 *
 * A type sells as up to two request lines: its plain tickets, and its pre-printed stubs (a line that names barcodes
 * must name one per ticket, so stubs cannot share a line with plain tickets).
 */
import type { SaleLineInput, TicketType } from '../../api/types';
import { checkCardUid } from './card-uid';

/** The API's MAX_TICKETS_PER_SALE: tickets on one line. */
export const MAX_PER_LINE = 200;
/** The API's limit on lines per sale. */
export const MAX_LINES = 20;
/** Digits typed within this long of each other build one number ("1", "2" → 12); later, a digit starts afresh. */
export const DIGIT_RUN_MS = 1500;

export interface Holder {
  readonly name: string;
  readonly idNumber: string;
}

export interface Stub {
  readonly code: string;
  readonly typeId: number;
}

export interface Cart {
  readonly quantities: Readonly<Record<number, number>>;
  /** Persons per ticket of a group type, when the cashier changed it from the type's minimum. */
  readonly persons: Readonly<Record<number, number>>;
  readonly stubs: readonly Stub[];
  /** By line key; as many as the line has tickets. */
  readonly holders: Readonly<Record<string, readonly Holder[]>>;
  /** IC card UIDs as typed or read, by line key, one per ticket of a type that takes a card. */
  readonly cards: Readonly<Record<string, readonly string[]>>;
  /** The number being typed on a row, so the next digit appends to it. */
  readonly entry: { readonly typeId: number; readonly text: string; readonly at: number } | null;
}

export const EMPTY_CART: Cart = {
  quantities: {},
  persons: {},
  stubs: [],
  holders: {},
  cards: {},
  entry: null,
};

/** The kinds a sale line may bind IC cards to (the API's sales/cards.ts CARD_KINDS). */
export const CARD_KINDS: ReadonlySet<TicketType['kind']> = new Set([
  'count',
  'period_pass',
  'month_pass',
  'quarter_pass',
  'year_pass',
]);

export type LineKind = 'plain' | 'stubs';

export interface CartLine {
  readonly key: string;
  readonly kind: LineKind;
  readonly type: TicketType;
  readonly quantity: number;
  readonly barcodes: readonly string[];
  /** Persons per ticket: group tickets only. */
  readonly persons: number | undefined;
  readonly needsHolders: boolean;
  /** A count card or pass: each ticket may be sold onto an IC card. */
  readonly takesCards: boolean;
}

export const EMPTY_HOLDER: Holder = { name: '', idNumber: '' };

export function lineKey(kind: LineKind, typeId: number): string {
  return `${kind === 'plain' ? 't' : 's'}${typeId}`;
}

function clamp(quantity: number): number {
  if (!Number.isFinite(quantity)) return 0;
  return Math.max(0, Math.min(MAX_PER_LINE, Math.trunc(quantity)));
}

/** Holders of a line cut to its new quantity (a lowered quantity forgets the visitors beyond it). */
function fitHolders(cart: Cart, key: string, quantity: number): Cart['holders'] {
  const current = cart.holders[key];
  if (!current || current.length <= quantity) return cart.holders;
  return { ...cart.holders, [key]: current.slice(0, quantity) };
}

function fitCards(cart: Cart, key: string, quantity: number): Cart['cards'] {
  const current = cart.cards[key];
  if (!current || current.length <= quantity) return cart.cards;
  return { ...cart.cards, [key]: current.slice(0, quantity) };
}

export function quantityOf(cart: Cart, typeId: number): number {
  return cart.quantities[typeId] ?? 0;
}

export function setQuantity(cart: Cart, typeId: number, quantity: number): Cart {
  const next = clamp(quantity);
  return {
    ...cart,
    quantities: { ...cart.quantities, [typeId]: next },
    holders: fitHolders(cart, lineKey('plain', typeId), next),
    cards: fitCards(cart, lineKey('plain', typeId), next),
    entry: null,
  };
}

export function stepQuantity(cart: Cart, typeId: number, delta: number): Cart {
  return setQuantity(cart, typeId, quantityOf(cart, typeId) + delta);
}

/** A digit key on a row: appends to the number being typed there, or starts a new one. */
export function typeDigit(cart: Cart, typeId: number, digit: number, now: number): Cart {
  const { entry } = cart;
  const continuing = entry !== null && entry.typeId === typeId && now - entry.at <= DIGIT_RUN_MS;
  const text = `${continuing ? entry.text : ''}${digit}`.replace(/^0+(?=\d)/, '').slice(-3);
  return { ...setQuantity(cart, typeId, Number(text)), entry: { typeId, text, at: now } };
}

/** Backspace on a row: the last digit typed goes (on a number not being typed, the last digit of the quantity). */
export function eraseDigit(cart: Cart, typeId: number, now: number): Cart {
  const { entry } = cart;
  const continuing = entry !== null && entry.typeId === typeId;
  const text = (continuing ? entry.text : String(quantityOf(cart, typeId))).slice(0, -1);
  return { ...setQuantity(cart, typeId, Number(text || '0')), entry: { typeId, text, at: now } };
}

/** Ends the number being typed (the row changed, or another key was pressed). */
export function endEntry(cart: Cart): Cart {
  return cart.entry === null ? cart : { ...cart, entry: null };
}

export function setPersons(cart: Cart, typeId: number, persons: number): Cart {
  return { ...cart, persons: { ...cart.persons, [typeId]: Math.max(1, Math.trunc(persons) || 1) } };
}

/** Adds a scanned stub; false when it is already in the sale or its line is full. */
export function addStub(cart: Cart, stub: Stub): { cart: Cart; added: boolean } {
  if (cart.stubs.some((s) => s.code === stub.code)) return { cart, added: false };
  if (cart.stubs.filter((s) => s.typeId === stub.typeId).length >= MAX_PER_LINE)
    return { cart, added: false };
  return { cart: { ...cart, stubs: [...cart.stubs, stub], entry: null }, added: true };
}

export function removeStub(cart: Cart, code: string): Cart {
  const stub = cart.stubs.find((s) => s.code === code);
  if (!stub) return cart;
  const stubs = cart.stubs.filter((s) => s.code !== code);
  const remaining = stubs.filter((s) => s.typeId === stub.typeId).length;
  const key = lineKey('stubs', stub.typeId);
  // The holders belong to tickets in order; the removed stub's holder goes with it.
  const index = cart.stubs.filter((s) => s.typeId === stub.typeId).findIndex((s) => s.code === code);
  const holders = cart.holders[key];
  const cards = cart.cards[key];
  return {
    ...cart,
    stubs,
    holders: holders
      ? { ...cart.holders, [key]: holders.filter((_, i) => i !== index).slice(0, remaining) }
      : cart.holders,
    cards: cards
      ? { ...cart.cards, [key]: cards.filter((_, i) => i !== index).slice(0, remaining) }
      : cart.cards,
    entry: null,
  };
}

export function setHolder(cart: Cart, key: string, index: number, patch: Partial<Holder>): Cart {
  const current = [...(cart.holders[key] ?? [])];
  while (current.length <= index) current.push(EMPTY_HOLDER);
  current[index] = { ...current[index]!, ...patch };
  return { ...cart, holders: { ...cart.holders, [key]: current } };
}

export function setCard(cart: Cart, key: string, index: number, text: string): Cart {
  const current = [...(cart.cards[key] ?? [])];
  while (current.length <= index) current.push('');
  current[index] = text;
  return { ...cart, cards: { ...cart.cards, [key]: current } };
}

export function cardsOf(cart: Cart, line: Pick<CartLine, 'key' | 'quantity'>): string[] {
  const stored = cart.cards[line.key] ?? [];
  return Array.from({ length: line.quantity }, (_, i) => stored[i] ?? '');
}

export type LineCards =
  /** No card typed: the tickets are sold as QR tickets. */
  | { readonly state: 'none' }
  /** One valid card per ticket, normalised, none twice in the sale. */
  | { readonly state: 'complete'; readonly uids: readonly string[] }
  /** Some tickets have a card and some not (the API takes one per ticket or none). */
  | { readonly state: 'partial'; readonly missing: number }
  /** A UID that no card reads as, or one card twice in the sale. */
  | { readonly state: 'invalid'; readonly index: number; readonly reason: 'uid' | 'twice' };

/** Where a line's cards stand; `earlier` holds the valid UIDs of the sale's earlier lines. */
export function lineCards(cart: Cart, line: CartLine, earlier: ReadonlySet<string> = new Set()): LineCards {
  if (!line.takesCards) return { state: 'none' };
  const checks = cardsOf(cart, line).map(checkCardUid);
  const seen = new Set(earlier);
  const uids: string[] = [];
  for (const [index, check] of checks.entries()) {
    if (check.state === 'invalid') return { state: 'invalid', index, reason: 'uid' };
    if (check.state === 'valid') {
      if (seen.has(check.uid)) return { state: 'invalid', index, reason: 'twice' };
      seen.add(check.uid);
      uids.push(check.uid);
    }
  }
  if (uids.length === 0) return { state: 'none' };
  if (uids.length < line.quantity) return { state: 'partial', missing: line.quantity - uids.length };
  return { state: 'complete', uids };
}

/** Every line's cards, each checked against the lines before it (one card cannot go on two tickets). */
export function cardsOfLines(cart: Cart, lines: readonly CartLine[]): LineCards[] {
  const earlier = new Set<string>();
  return lines.map((line) => {
    const cards = lineCards(cart, line, earlier);
    if (cards.state === 'complete') for (const uid of cards.uids) earlier.add(uid);
    return cards;
  });
}

export function holdersOf(cart: Cart, line: Pick<CartLine, 'key' | 'quantity'>): Holder[] {
  const stored = cart.holders[line.key] ?? [];
  return Array.from({ length: line.quantity }, (_, i) => stored[i] ?? EMPTY_HOLDER);
}

function personsFor(cart: Cart, type: TicketType): number | undefined {
  if (type.kind !== 'group') return undefined;
  const chosen = cart.persons[type.typeId] ?? type.persons.min;
  return Math.max(type.persons.min, Math.min(type.persons.max, chosen));
}

/** The cart's lines in the order of the types shown, plain tickets before stubs, empty lines left out. */
export function linesOf(cart: Cart, types: readonly TicketType[]): CartLine[] {
  const lines: CartLine[] = [];
  for (const type of types) {
    const base = {
      type,
      persons: personsFor(cart, type),
      needsHolders: type.realName === 'per_ticket',
      takesCards: CARD_KINDS.has(type.kind),
    };
    const quantity = quantityOf(cart, type.typeId);
    if (quantity > 0)
      lines.push({ ...base, key: lineKey('plain', type.typeId), kind: 'plain', quantity, barcodes: [] });
    const barcodes = cart.stubs.filter((s) => s.typeId === type.typeId).map((s) => s.code);
    if (barcodes.length > 0)
      lines.push({
        ...base,
        key: lineKey('stubs', type.typeId),
        kind: 'stubs',
        quantity: barcodes.length,
        barcodes,
      });
  }
  return lines;
}

export function ticketCount(lines: readonly CartLine[]): number {
  return lines.reduce((sum, line) => sum + line.quantity, 0);
}

/** Persons the sale takes from the day's (and slot's) capacity. */
export function personCount(lines: readonly CartLine[]): number {
  return lines.reduce((sum, line) => sum + line.quantity * (line.persons ?? 1), 0);
}

export interface Visit {
  readonly visitDate: string;
  readonly slotId: string | null;
}

/** The request's lines, holders trimmed and ID numbers in capitals as the API normalises them. */
export function saleLinesOf(cart: Cart, lines: readonly CartLine[], visit: Visit): SaleLineInput[] {
  const cards = cardsOfLines(cart, lines);
  return lines.map((line, i) => ({
    typeId: line.type.typeId,
    quantity: line.quantity,
    visitDate: visit.visitDate,
    ...(visit.slotId ? { slotId: visit.slotId } : {}),
    ...(line.persons !== undefined ? { persons: line.persons } : {}),
    ...(line.needsHolders
      ? {
          holders: holdersOf(cart, line).map((holder) => ({
            name: holder.name.trim(),
            idNumber: holder.idNumber.trim().toUpperCase(),
          })),
        }
      : {}),
    ...(line.barcodes.length > 0 ? { barcodes: [...line.barcodes] } : {}),
    ...(cards[i]?.state === 'complete' ? { cardUids: [...cards[i].uids] } : {}),
  }));
}

/**
 * Which sale this is: the same text exactly when site, window, customer and every line (holders, stubs and cards
 * too) are equal.
 */
export function saleFingerprint(
  siteId: string,
  windowId: string,
  lines: readonly SaleLineInput[],
  customerId: string | null = null,
): string {
  return JSON.stringify([siteId, windowId, lines, customerId]);
}

/** Whether the type can be used on the date (its weekdays rule: bit 0 Monday … bit 6 Sunday). */
export function sellableOn(type: Pick<TicketType, 'rules'>, visitDate: string): boolean {
  const [y, m, d] = visitDate.split('-').map(Number) as [number, number, number];
  const isoWeekday = ((new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7) + 1;
  return (type.rules.weekdays & (1 << (isoWeekday - 1))) !== 0;
}

/** The types a window sells: active, with a window price; by type id as the catalogue numbers them. */
export function windowTypes(types: readonly TicketType[]): TicketType[] {
  return types
    .filter((type) => type.active && type.prices.window !== undefined)
    .sort((a, b) => a.typeId - b.typeId);
}

export interface LinePrice {
  /** The window price of the line's tickets before age discounts. */
  readonly listFen: number;
  readonly discountFen: number;
  readonly amountFen: number;
  /** Some holder's price is not known yet (ID number incomplete, or its quote still loading). */
  readonly pending: boolean;
}

/**
 * What a line costs: the window price per ticket (per person for groups), and for real-name lines each holder's own
 * quote (age discounts); `quotes[i]` is the i-th holder's priced amount, undefined while unknown.
 */
export function linePrice(line: CartLine, quotes: readonly (number | undefined)[] = []): LinePrice {
  const unit = (line.type.prices.window ?? 0) * (line.persons ?? 1);
  const listFen = unit * line.quantity;
  if (!line.needsHolders) return { listFen, discountFen: 0, amountFen: listFen, pending: false };
  let amountFen = 0;
  let pending = false;
  for (let i = 0; i < line.quantity; i++) {
    const quoted = quotes[i];
    if (quoted === undefined) pending = true;
    amountFen += quoted ?? unit;
  }
  return { listFen, discountFen: listFen - amountFen, amountFen, pending };
}

/**
 * A scanned pre-printed code as the stock stores it: its digits (full-width digits too), spaces and hyphens dropped,
 * 8 to 24 of them; null for anything else (a QR text, a stray word), as the API's normaliseBarcodeDigits reads it.
 */
export function barcodeDigits(text: string): string | null {
  let digits = '';
  for (const c of text) {
    const code = c.charCodeAt(0);
    if (code >= 0x30 && code <= 0x39) digits += c;
    else if (code >= 0xff10 && code <= 0xff19) digits += String.fromCharCode(code - 0xff10 + 0x30);
    else if (![' ', '-', '\t', '\n', '\r', '\u3000'].includes(c)) return null;
  }
  return digits.length >= 8 && digits.length <= 24 ? digits : null;
}

/** YYYY-MM-DD moved by whole days (calendar arithmetic, no time zone involved). */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** How far ahead the window sells (the API's MAX_ADVANCE_DAYS). */
export const MAX_ADVANCE_DAYS = 365;

export interface CapacityCheck {
  /** Places left for the day; null when the site has no daily cap. */
  readonly dayLeft: number | null;
  /** The chosen slot's places left, when a slot is chosen. */
  readonly slotLeft: number | null;
  /** The date has timed-entry slots and none is chosen. */
  readonly needsSlot: boolean;
  /** The sale's persons fit what is left. */
  readonly fits: boolean;
}

/** Whether `persons` fit the day and the chosen slot, from an availability answer. */
export function capacityCheck(
  availability: {
    daily: { remaining: number | null };
    slots: readonly { id: string; remaining: number }[];
  },
  slotId: string | null,
  persons: number,
): CapacityCheck {
  const slot = slotId === null ? undefined : availability.slots.find((s) => s.id === slotId);
  const dayLeft = availability.daily.remaining;
  const slotLeft = slot ? Math.max(0, slot.remaining) : null;
  const needsSlot = availability.slots.length > 0 && slot === undefined;
  const fits = (dayLeft === null || persons <= dayLeft) && (slotLeft === null || persons <= slotLeft);
  return { dayLeft, slotLeft, needsSlot, fits };
}
