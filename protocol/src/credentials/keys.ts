/**
 * Ed25519 keys for signed QR credentials, addressed by a one-byte key id that travels in every code. The cloud holds
 * signing keys; gates hold public keys only. Rotation: publish the new public key to every gate first, start signing
 * with it, and retire the old id once its tickets have expired — retired ids verify as UNKNOWN_KEY.
 *
 * Key material is exchanged either as base64 of the raw 32 bytes (the Ed25519 seed for a private key, the encoded
 * point for a public key — what fits in a config value or an MQTT message) or as PEM (PKCS#8 / SPKI). KeyObjects are
 * created once at import so verification never re-parses a key.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { ProtocolError } from '../errors.js';

export type KeyFormat = 'raw' | 'pem';

export interface SigningKeyPair {
  readonly keyId: number;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

/** What a verifier needs: the public key for a key id, or undefined when the id is unknown or retired. */
export interface PublicKeyLookup {
  publicKey(keyId: number): KeyObject | undefined;
}

/** The fixed DER prefixes that wrap a raw Ed25519 key (RFC 8410); the 32 key bytes follow. */
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const RAW_KEY_BYTES = 32;

export function assertKeyId(keyId: number): void {
  if (!Number.isInteger(keyId) || keyId < 0 || keyId > 255) {
    throw new ProtocolError('MALFORMED', `key id must be an integer 0–255, got ${keyId}`);
  }
}

function rawFromBase64(material: string, what: string): Buffer {
  const text = material.trim();
  const raw = Buffer.from(text, 'base64');
  // Buffer's base64 decoder skips junk silently; re-encoding catches typos and truncated pastes.
  if (raw.length !== RAW_KEY_BYTES || raw.toString('base64') !== text) {
    throw new ProtocolError('MALFORMED', `${what} must be base64 of ${RAW_KEY_BYTES} raw bytes or PEM`);
  }
  return raw;
}

function isPem(material: string): boolean {
  return material.trimStart().startsWith('-----BEGIN');
}

function requireEd25519(key: KeyObject, what: string): KeyObject {
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new ProtocolError(
      'MALFORMED',
      `${what} is ${key.asymmetricKeyType ?? 'not asymmetric'}, expected ed25519`,
    );
  }
  return key;
}

function parseKey<T>(what: string, parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    if (err instanceof ProtocolError) throw err;
    throw new ProtocolError('MALFORMED', `${what} could not be parsed: ${(err as Error).message}`);
  }
}

export function generateSigningKey(keyId: number): SigningKeyPair {
  assertKeyId(keyId);
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { keyId, privateKey, publicKey };
}

/** Imports a private key from base64 of its 32-byte seed or from PKCS#8 PEM. */
export function importSigningKey(keyId: number, material: string): SigningKeyPair {
  assertKeyId(keyId);
  const privateKey = parseKey('private key', () =>
    requireEd25519(
      isPem(material)
        ? createPrivateKey({ key: material, format: 'pem' })
        : createPrivateKey({
            key: Buffer.concat([PKCS8_PREFIX, rawFromBase64(material, 'private key')]),
            format: 'der',
            type: 'pkcs8',
          }),
      'private key',
    ),
  );
  return { keyId, privateKey, publicKey: createPublicKey(privateKey) };
}

export function exportSigningKey(key: SigningKeyPair, format: KeyFormat = 'raw'): string {
  if (format === 'pem') return key.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
  const der = key.privateKey.export({ format: 'der', type: 'pkcs8' });
  return der.subarray(der.length - RAW_KEY_BYTES).toString('base64');
}

/** Imports a public key from base64 of its 32 raw bytes or from SPKI PEM. */
export function importPublicKey(material: string): KeyObject {
  return parseKey('public key', () => {
    if (isPem(material)) {
      // createPublicKey would also derive a public key from a private PEM; refuse, so private keys stay off gates.
      if (!material.includes('PUBLIC KEY')) throw new ProtocolError('MALFORMED', 'expected a PUBLIC KEY PEM');
      return requireEd25519(createPublicKey({ key: material, format: 'pem' }), 'public key');
    }
    const der = Buffer.concat([SPKI_PREFIX, rawFromBase64(material, 'public key')]);
    return requireEd25519(createPublicKey({ key: der, format: 'der', type: 'spki' }), 'public key');
  });
}

export function exportPublicKey(key: KeyObject, format: KeyFormat = 'raw'): string {
  if (format === 'pem') return key.export({ format: 'pem', type: 'spki' }) as string;
  const der = key.export({ format: 'der', type: 'spki' });
  return der.subarray(der.length - RAW_KEY_BYTES).toString('base64');
}

/**
 * One public key as distributed to gates, publicKey being base64 of the 32 raw bytes. Deliberately unexported:
 * the gate config message in mqtt/ defines the same shape under its own name, and a second name would collide.
 */
interface KeyEntry {
  keyId: number;
  publicKey: string;
}

/** Gate side: the public keys currently accepted, several at once during a rotation. */
export class PublicKeyring implements PublicKeyLookup {
  // Indexed by key id: a lookup on the verification hot path is one array read.
  private readonly keys: (KeyObject | undefined)[] = new Array(256).fill(undefined);

  static fromEntries(entries: readonly KeyEntry[]): PublicKeyring {
    const ring = new PublicKeyring();
    for (const entry of entries) ring.add(entry.keyId, entry.publicKey);
    return ring;
  }

  /** Adds or replaces the key for `keyId`; `key` is a KeyObject or material accepted by importPublicKey. */
  add(keyId: number, key: KeyObject | string): void {
    assertKeyId(keyId);
    if (typeof key !== 'string' && key.type !== 'public') {
      throw new ProtocolError('MALFORMED', 'a public keyring holds public keys only');
    }
    this.keys[keyId] = typeof key === 'string' ? importPublicKey(key) : requireEd25519(key, 'public key');
  }

  /** Stops accepting codes signed under `keyId`; returns whether it was present. */
  retire(keyId: number): boolean {
    assertKeyId(keyId);
    const had = this.keys[keyId] !== undefined;
    this.keys[keyId] = undefined;
    return had;
  }

  publicKey(keyId: number): KeyObject | undefined {
    return this.keys[keyId];
  }

  keyIds(): number[] {
    const ids: number[] = [];
    this.keys.forEach((key, id) => {
      if (key) ids.push(id);
    });
    return ids;
  }

  toEntries(): KeyEntry[] {
    return this.keyIds().map((keyId) => ({ keyId, publicKey: exportPublicKey(this.keys[keyId]!) }));
  }
}

/** Cloud side: the signing keys by id. It verifies too, and hands gates the matching PublicKeyring. */
export class SigningKeyring implements PublicKeyLookup {
  private readonly keys: (SigningKeyPair | undefined)[] = new Array(256).fill(undefined);

  add(key: SigningKeyPair): void {
    assertKeyId(key.keyId);
    this.keys[key.keyId] = key;
  }

  retire(keyId: number): boolean {
    assertKeyId(keyId);
    const had = this.keys[keyId] !== undefined;
    this.keys[keyId] = undefined;
    return had;
  }

  signingKey(keyId: number): SigningKeyPair | undefined {
    return this.keys[keyId];
  }

  publicKey(keyId: number): KeyObject | undefined {
    return this.keys[keyId]?.publicKey;
  }

  keyIds(): number[] {
    const ids: number[] = [];
    this.keys.forEach((key, id) => {
      if (key) ids.push(id);
    });
    return ids;
  }

  publicKeyring(): PublicKeyring {
    const ring = new PublicKeyring();
    for (const id of this.keyIds()) ring.add(id, this.keys[id]!.publicKey);
    return ring;
  }
}
