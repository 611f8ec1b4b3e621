/**
 * Freezes a plain JSON-like value and everything in it. For values parsed once and then shared by every request
 * (cached ticket type versions, site age policies): a reader that tried to change one would throw instead of
 * changing it for everyone.
 */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const member of Object.values(value)) deepFreeze(member);
    Object.freeze(value);
  }
  return value;
}
