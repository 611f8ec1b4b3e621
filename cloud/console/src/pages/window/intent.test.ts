import { describe, expect, it } from 'vitest';
import { ApiError, networkError } from '../../api/errors';
import {
  attempt,
  cartChanged,
  failed,
  IDLE,
  newIdempotencyKey,
  openPayment,
  outcomeOf,
  type SaleIntent,
  sold,
} from './intent';

type Body = { payments: number };

function keys() {
  let n = 0;
  return () => `key-${++n}`;
}

describe('the sale intent’s idempotency key', () => {
  it('is drawn when payment opens and kept while the same cart is paid for', () => {
    const newKey = keys();
    const open = openPayment<Body>(IDLE, 'cart-A', newKey);
    expect(open).toEqual({ phase: 'open', key: 'key-1', cart: 'cart-A' });
    // Closing and reopening payment with the cart unchanged: the same key.
    expect(openPayment(cartChanged(open, 'cart-A'), 'cart-A', newKey)).toEqual(open);
  });

  it('sends nothing on a double press while the first request is in flight', () => {
    const newKey = keys();
    const first = attempt<Body>(openPayment(IDLE, 'A', newKey), 'A', { payments: 1 }, newKey);
    expect(first.request).toEqual({ key: 'key-1', body: { payments: 1 } });
    const second = attempt(first.intent, 'A', { payments: 1 }, newKey);
    expect(second.request).toBeNull();
    expect(second.intent).toBe(first.intent);
  });

  it('repeats the very same request under the same key after a lost answer, whatever the screen holds now', () => {
    const newKey = keys();
    const first = attempt<Body>(IDLE, 'A', { payments: 1 }, newKey);
    const lost = failed(first.intent, outcomeOf(networkError()));
    expect(lost.phase).toBe('unknown');
    const retry = attempt(lost, 'A', { payments: 2 }, newKey);
    expect(retry.request).toEqual({ key: 'key-1', body: { payments: 1 } });
    const done = sold(retry.intent, 'sale-1');
    expect(done).toEqual({ phase: 'done', key: 'key-1', cart: 'A', saleId: 'sale-1' });
  });

  it('keeps the key after a refusal, and sends the corrected payments under it', () => {
    const newKey = keys();
    const first = attempt<Body>(IDLE, 'A', { payments: 1 }, newKey);
    const refusal = new ApiError(400, 'PAYMENT_MISMATCH', { 'zh-CN': '', en: '' }, undefined);
    const refused = failed(first.intent, outcomeOf(refusal));
    expect(refused).toEqual({ phase: 'open', key: 'key-1', cart: 'A' });
    expect(attempt(refused, 'A', { payments: 2 }, newKey).request).toEqual({
      key: 'key-1',
      body: { payments: 2 },
    });
  });

  it('draws a new key for a changed cart and after a completed sale', () => {
    const newKey = keys();
    const open = openPayment<Body>(IDLE, 'A', newKey);
    const changed = cartChanged(open, 'B');
    expect(changed).toEqual(IDLE);
    expect(openPayment(changed, 'B', newKey)).toMatchObject({ key: 'key-2' });

    const sent = attempt<Body>(openPayment(IDLE, 'C', newKey), 'C', { payments: 1 }, newKey);
    const done = sold(sent.intent, 'sale-9');
    // The next customer with an identical cart is another sale: another key.
    const next = attempt(done, 'C', { payments: 1 }, newKey);
    expect(next.request?.key).toBe('key-4');
  });

  it('does not drop the key of a request in flight when the cart is touched', () => {
    const newKey = keys();
    const sending = attempt<Body>(IDLE, 'A', { payments: 1 }, newKey).intent;
    expect(cartChanged(sending, 'B')).toBe(sending);
    const unknown: SaleIntent<Body> = failed(sending, 'unknown');
    expect(cartChanged(unknown, 'A')).toBe(unknown);
    expect(cartChanged(unknown, 'B')).toEqual(IDLE);
  });

  it('calls a 4xx a refusal and anything else an unknown outcome', () => {
    expect(outcomeOf(new ApiError(409, 'CAPACITY_EXHAUSTED', { 'zh-CN': '', en: '' }, undefined))).toBe(
      'refused',
    );
    expect(outcomeOf(new ApiError(503, 'DATABASE_UNAVAILABLE', { 'zh-CN': '', en: '' }, undefined))).toBe(
      'unknown',
    );
    expect(outcomeOf(networkError())).toBe('unknown');
    expect(outcomeOf(new TypeError('boom'))).toBe('unknown');
  });
});

describe('newIdempotencyKey', () => {
  it('is a version-4 UUID, also where randomUUID is missing (plain HTTP)', () => {
    const pattern = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    expect(newIdempotencyKey()).toMatch(pattern);
    const withoutRandomUuid = { getRandomValues: crypto.getRandomValues.bind(crypto) };
    const a = newIdempotencyKey(withoutRandomUuid);
    expect(a).toMatch(pattern);
    expect(newIdempotencyKey(withoutRandomUuid)).not.toBe(a);
  });
});
