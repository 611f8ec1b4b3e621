/**
 * One sale intent, one Idempotency-Key. The key is drawn when the cashier opens payment and is sent with every
 * attempt to sell that cart: a double press sends nothing while a request is in flight, and a retry after a lost
 * answer repeats the very same request under the same key, so the API answers with the sale it already made instead
 * of selling twice. A new key is drawn only for a new intent: after a sale completed, or when the cart changed.
 *
 * An attempt ends one of three ways:
 * - sold: the intent is done (the receipt shows; the next customer starts a new one);
 * - refused (an API answer 4xx: capacity gone, payment mismatch, …): nothing was written, the cashier may correct
 *   the payments and send again under the same key;
 * - unknown (no answer, or a server failure): the sale may or may not exist, so the next attempt repeats the same
 *   request body, whatever the screen says, until an answer comes.
 */

export type SaleIntent<Body> =
  | { readonly phase: 'idle' }
  | { readonly phase: 'open'; readonly key: string; readonly cart: string }
  | { readonly phase: 'sending'; readonly key: string; readonly cart: string; readonly body: Body }
  | { readonly phase: 'unknown'; readonly key: string; readonly cart: string; readonly body: Body }
  | { readonly phase: 'done'; readonly key: string; readonly cart: string; readonly saleId: string };

export const IDLE = { phase: 'idle' } as const;

/** Opening payment for `cart`: the current key when it is this cart's, else a new one. */
export function openPayment<Body>(
  intent: SaleIntent<Body>,
  cart: string,
  newKey: () => string,
): SaleIntent<Body> {
  if (
    (intent.phase === 'open' || intent.phase === 'sending' || intent.phase === 'unknown') &&
    intent.cart === cart
  )
    return intent;
  return { phase: 'open', key: newKey(), cart };
}

export interface Attempt<Body> {
  readonly intent: SaleIntent<Body>;
  /** The request to send now, or null when one is already in flight (a double press). */
  readonly request: { readonly key: string; readonly body: Body } | null;
}

/**
 * Confirming: the request to send for `cart` with `body`. While the outcome of an earlier attempt is unknown, the
 * earlier body is sent again (under its key) rather than what the screen holds now.
 */
export function attempt<Body>(
  intent: SaleIntent<Body>,
  cart: string,
  body: Body,
  newKey: () => string,
): Attempt<Body> {
  if (intent.phase === 'sending') return { intent, request: null };
  if (intent.phase === 'unknown') {
    const sending = { ...intent, phase: 'sending' as const };
    return { intent: sending, request: { key: intent.key, body: intent.body } };
  }
  const open = openPayment<Body>(intent, cart, newKey);
  if (open.phase !== 'open') return { intent: open, request: null };
  return { intent: { ...open, phase: 'sending', body }, request: { key: open.key, body } };
}

/** The intent's key, null before payment opened. */
export function keyOf(intent: SaleIntent<unknown>): string | null {
  return intent.phase === 'idle' ? null : intent.key;
}

export function sold<Body>(intent: SaleIntent<Body>, saleId: string): SaleIntent<Body> {
  if (intent.phase !== 'sending') return intent;
  return { phase: 'done', key: intent.key, cart: intent.cart, saleId };
}

export type Outcome = 'refused' | 'unknown';

export function failed<Body>(intent: SaleIntent<Body>, outcome: Outcome): SaleIntent<Body> {
  if (intent.phase !== 'sending') return intent;
  if (outcome === 'unknown') return { ...intent, phase: 'unknown' };
  return { phase: 'open', key: intent.key, cart: intent.cart };
}

/**
 * The cart changed: a different sale, so the key goes — except while a request is in flight. After an unknown
 * outcome the cashier was warned; changing the cart then starts a new sale.
 */
export function cartChanged<Body>(intent: SaleIntent<Body>, cart: string): SaleIntent<Body> {
  if (intent.phase === 'idle' || intent.phase === 'sending' || intent.phase === 'done') return intent;
  return intent.cart === cart ? intent : IDLE;
}

/** The answer decides: an API refusal (4xx) wrote nothing; no answer or a server error (5xx) may have sold. */
export function outcomeOf(error: unknown): Outcome {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' && status >= 400 && status < 500 ? 'refused' : 'unknown';
}

/**
 * A fresh key: crypto.randomUUID where the browser offers it (only on HTTPS or localhost), otherwise a version-4
 * UUID from crypto.getRandomValues, which every browser has — a console opened over plain HTTP on the LAN.
 */
export function newIdempotencyKey(
  random: Pick<Crypto, 'getRandomValues'> & Partial<Pick<Crypto, 'randomUUID'>> = crypto,
): string {
  if (typeof random.randomUUID === 'function') return random.randomUUID();
  const bytes = random.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
