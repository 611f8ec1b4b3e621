/**
 * One Idempotency-Key per entry of a money form (a drop, a payout, an adjustment): kept while the values stay the
 * same, so pressing again after a lost answer repeats the same request and the API answers the movement already
 * made; a new key once the entry succeeded or its values changed, since that is another movement.
 */
import { useCallback, useRef } from 'react';
import { newIdempotencyKey } from '../window/intent';

export function useIntentKey(): { key: () => string; renew: () => void } {
  const current = useRef<string | null>(null);
  const key = useCallback(() => {
    current.current ??= newIdempotencyKey();
    return current.current;
  }, []);
  const renew = useCallback(() => {
    current.current = null;
  }, []);
  return { key, renew };
}
