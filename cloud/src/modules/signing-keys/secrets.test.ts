import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CredentialSecrets, secretFingerprint } from './secrets.js';

describe('the credential secret’s fingerprint', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'scenic-secret-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('is null while there is no key file, and reading it never creates one', () => {
    const secretFile = join(dir, 'credential-secret.key');
    expect(secretFingerprint({ secret: undefined, secretFile })).toBeNull();
    expect(existsSync(secretFile)).toBe(false);
  });

  it('is the same for the same secret (variable or key file) and differs for another, revealing neither', () => {
    const secretFile = join(dir, 'credential-secret.key');
    CredentialSecrets.load({ secret: undefined, secretFile });
    const fromFile = secretFingerprint({ secret: undefined, secretFile });
    expect(fromFile).toMatch(/^[0-9a-f]{16}$/);
    expect(secretFingerprint({ secret: undefined, secretFile })).toBe(fromFile);
    const secret = 'a-venue-secret-of-at-least-32-chars!';
    const fromEnv = secretFingerprint({ secret, secretFile });
    expect(fromEnv).not.toBe(fromFile);
    expect(secretFingerprint({ secret: `${secret}x`, secretFile })).not.toBe(fromEnv);
    expect(Buffer.from(secret).toString('hex')).not.toContain(fromEnv);
  });
});
