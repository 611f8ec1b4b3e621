import { describe, expect, it } from 'vitest';
import { DECOY_HASH, hashPassword, verifyAgainstDecoy, verifyPassword } from './credentials.js';

/** `$argon2id$v=19$m=…,t=…,p=…`: the algorithm, version and cost parameters of a PHC string, in a fixed order. */
function costOf(hash: string): string {
  const [, algorithm, version, parameters] = hash.split('$');
  const sorted = parameters!.split(',').sort().join(',');
  return `${algorithm}$${version}$${sorted}`;
}

describe('the decoy an unknown username is checked against', () => {
  it('costs what a password hashed today costs to verify', async () => {
    expect(costOf(DECOY_HASH)).toBe(costOf(await hashPassword('some-password-1')));
  });

  it('is a hash argon2 reads, so the verification really runs, and it never matches', async () => {
    expect(await verifyPassword(DECOY_HASH, 'some-password-1')).toBe(false);
    expect(await verifyAgainstDecoy('')).toBe(false);
    // A hash argon2 cannot read would return at once (verifyPassword's catch): that would be a timing tell.
    const started = performance.now();
    await verifyPassword(DECOY_HASH, 'x');
    const decoyMs = performance.now() - started;
    const unreadable = performance.now();
    await verifyPassword('$argon2id$garbage', 'x');
    expect(decoyMs).toBeGreaterThan((performance.now() - unreadable) * 5);
  });
});
