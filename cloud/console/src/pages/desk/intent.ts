/**
 * One Idempotency-Key per money intent (退票, 补票): the same request sent again — after a timeout, or with a second
 * operator's approval added — goes under the same key, so the cloud makes it once and replays its answer; a
 * changed request (other tickets, amounts, methods) is a new intent with a new key. The approval is never part of
 * the intent: the cloud leaves it out of the request it compares too.
 */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([key, item]) => key !== 'approval' && item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonical(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export function newIdempotencyKey(): string {
  return globalThis.crypto.randomUUID();
}

export class IntentKeys {
  private last: { readonly request: string; readonly key: string } | undefined;

  constructor(private readonly generate: () => string = newIdempotencyKey) {}

  /** The key for this request: the previous one while the request is unchanged. */
  keyFor(request: unknown): string {
    const text = canonical(request);
    if (this.last?.request !== text) this.last = { request: text, key: this.generate() };
    return this.last.key;
  }

  /** After the intent is done (made, or given up), the next request is a new one even if it looks the same. */
  reset(): void {
    this.last = undefined;
  }
}
