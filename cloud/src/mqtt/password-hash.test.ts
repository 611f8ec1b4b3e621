import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generatePassword, hashPassword, verifyPassword } from './password-hash.js';

function mosquittoPasswdAvailable(): boolean {
  try {
    execFileSync('mosquitto_passwd', ['-h'], { stdio: 'ignore' });
    return true;
  } catch (error) {
    // mosquitto_passwd -h exits non-zero after printing its usage; only a missing binary means unavailable.
    return (error as NodeJS.ErrnoException).code !== 'ENOENT';
  }
}

describe('gate password hashes', () => {
  it('verifies the right password and refuses a wrong one or a damaged hash', async () => {
    const password = generatePassword();
    expect(password).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const stored = hashPassword(password);
    expect(stored).toMatch(/^\$7\$1000\$[A-Za-z0-9+/=]{16}\$[A-Za-z0-9+/=]{88}$/);
    expect(await verifyPassword(password, stored)).toBe(true);
    expect(await verifyPassword(Buffer.from(password), stored)).toBe(true);
    expect(await verifyPassword(`${password}x`, stored)).toBe(false);
    expect(await verifyPassword(password, stored.replace('$7$', '$6$'))).toBe(false);
    expect(await verifyPassword(password, stored.slice(0, -8))).toBe(false);
    expect(await verifyPassword(password, 'plain')).toBe(false);
  });

  it.skipIf(!mosquittoPasswdAvailable())('reads hashes written by mosquitto_passwd', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'scenic-passwd-'));
    try {
      const file = join(folder, 'passwd');
      execFileSync('mosquitto_passwd', ['-c', '-b', file, 'gate@park@G01', 'open sesame']);
      const stored = readFileSync(file, 'utf8').trim().split(':')[1] ?? '';
      expect(stored.startsWith('$7$')).toBe(true);
      expect(await verifyPassword('open sesame', stored)).toBe(true);
      expect(await verifyPassword('open sesame!', stored)).toBe(false);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
