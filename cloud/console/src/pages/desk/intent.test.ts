import { describe, expect, it } from 'vitest';
import { IntentKeys, newIdempotencyKey } from './intent';

describe('idempotency keys per intent', () => {
  it('keeps the key while the request is the same, whatever the key order or the approval', () => {
    let n = 0;
    const keys = new IntentKeys(() => `k${++n}`);
    const first = keys.keyFor({ saleId: 's1', ticketIds: [1, 2], reason: undefined });
    expect(first).toBe('k1');
    expect(keys.keyFor({ ticketIds: [1, 2], saleId: 's1' })).toBe('k1');
    expect(keys.keyFor({ saleId: 's1', ticketIds: [1, 2], approval: { username: 'f', password: 'p' } })).toBe(
      'k1',
    );
  });

  it('gives a changed request, or one after reset, a new key', () => {
    let n = 0;
    const keys = new IntentKeys(() => `k${++n}`);
    expect(keys.keyFor({ saleId: 's1', ticketIds: [1] })).toBe('k1');
    expect(keys.keyFor({ saleId: 's1', ticketIds: [1, 2] })).toBe('k2');
    expect(keys.keyFor({ saleId: 's1', ticketIds: [1] })).toBe('k3');
    keys.reset();
    expect(keys.keyFor({ saleId: 's1', ticketIds: [1] })).toBe('k4');
  });

  it('makes random UUIDs', () => {
    expect(newIdempotencyKey()).toMatch(/^[0-9a-f-]{36}$/);
    expect(newIdempotencyKey()).not.toBe(newIdempotencyKey());
  });
});
