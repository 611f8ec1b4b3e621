import { generateKeyPairSync, sign, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../errors.js';
import {
  exportPublicKey,
  exportSigningKey,
  generateSigningKey,
  importPublicKey,
  importSigningKey,
  PublicKeyring,
  SigningKeyring,
} from './keys.js';

const message = Buffer.from('ticket 42');

function expectMalformed(fn: () => unknown): void {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(ProtocolError);
  expect((caught as ProtocolError).code).toBe('MALFORMED');
}

describe('signing keys', () => {
  it('round-trips a private key through raw base64 and PEM', () => {
    const key = generateSigningKey(3);
    const raw = exportSigningKey(key);
    expect(Buffer.from(raw, 'base64')).toHaveLength(32);
    for (const material of [raw, exportSigningKey(key, 'pem')]) {
      const imported = importSigningKey(3, material);
      expect(imported.keyId).toBe(3);
      expect(verify(null, message, key.publicKey, sign(null, message, imported.privateKey))).toBe(true);
      expect(exportPublicKey(imported.publicKey)).toBe(exportPublicKey(key.publicKey));
    }
  });

  it('round-trips a public key through raw base64 and PEM', () => {
    const key = generateSigningKey(0);
    const signature = sign(null, message, key.privateKey);
    const raw = exportPublicKey(key.publicKey);
    expect(Buffer.from(raw, 'base64')).toHaveLength(32);
    const pem = exportPublicKey(key.publicKey, 'pem');
    expect(pem).toContain('BEGIN PUBLIC KEY');
    for (const material of [raw, pem])
      expect(verify(null, message, importPublicKey(material), signature)).toBe(true);
  });

  it('rejects bad key material with MALFORMED', () => {
    const good = exportPublicKey(generateSigningKey(1).publicKey);
    expectMalformed(() => importPublicKey(good.slice(0, -4)));
    expectMalformed(() => importPublicKey(`${good.slice(0, 10)}!${good.slice(11)}`));
    expectMalformed(() => importPublicKey(Buffer.alloc(33).toString('base64')));
    expectMalformed(() => importPublicKey('-----BEGIN PUBLIC KEY-----\nnonsense\n-----END PUBLIC KEY-----'));
    expectMalformed(() => importSigningKey(1, 'not a key'));
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 });
    expectMalformed(() => importPublicKey(rsa.publicKey.export({ format: 'pem', type: 'spki' }) as string));
    expectMalformed(() =>
      importSigningKey(1, rsa.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string),
    );
  });

  it('refuses a private key where a public one belongs', () => {
    const key = generateSigningKey(1);
    expectMalformed(() => importPublicKey(exportSigningKey(key, 'pem')));
    expectMalformed(() => new PublicKeyring().add(1, key.privateKey));
  });

  it('accepts key ids 0–255 only', () => {
    expect(generateSigningKey(255).keyId).toBe(255);
    expectMalformed(() => generateSigningKey(256));
    expectMalformed(() => generateSigningKey(-1));
    expectMalformed(() => generateSigningKey(1.5));
    expectMalformed(() => new PublicKeyring().retire(300));
  });
});

describe('keyrings', () => {
  it('hold several public keys, retire one, and travel as entries', () => {
    const a = generateSigningKey(1);
    const b = generateSigningKey(200);
    const ring = new PublicKeyring();
    ring.add(1, a.publicKey);
    ring.add(200, exportPublicKey(b.publicKey));
    expect(ring.keyIds()).toEqual([1, 200]);
    const copy = PublicKeyring.fromEntries(ring.toEntries());
    expect(copy.keyIds()).toEqual([1, 200]);
    expect(exportPublicKey(copy.publicKey(200)!)).toBe(exportPublicKey(b.publicKey));
    expect(copy.retire(1)).toBe(true);
    expect(copy.retire(1)).toBe(false);
    expect(copy.publicKey(1)).toBeUndefined();
    expect(copy.keyIds()).toEqual([200]);
    expect(ring.keyIds()).toEqual([1, 200]);
  });

  it('signing keyring exposes its public half only to gates', () => {
    const ring = new SigningKeyring();
    const a = generateSigningKey(9);
    ring.add(a);
    ring.add(generateSigningKey(10));
    expect(ring.signingKey(9)).toBe(a);
    expect(ring.publicKey(9)).toBe(a.publicKey);
    const gates = ring.publicKeyring();
    expect(gates.keyIds()).toEqual([9, 10]);
    expect(gates.publicKey(9)?.type).toBe('public');
    expect(ring.retire(10)).toBe(true);
    expect(ring.keyIds()).toEqual([9]);
    expect(ring.publicKey(10)).toBeUndefined();
  });
});
