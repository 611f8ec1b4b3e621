/** Table types of the QR signing keys (migration 20261125_183100); part of db/schema.ts. Owned by this module. */
import { ownedTables } from '../../db/scoped.js';

export interface SigningKeyTables {
  signing_keys: SigningKeysTable;
}

export const signingKeyTables = ownedTables<keyof SigningKeyTables>();
export type SigningKeyDb = ReturnType<typeof signingKeyTables>;

export interface SigningKeysTable {
  key_id: number;
  /** base64 of the 32 raw public key bytes. */
  public_key: string;
  /** `v1:` + base64(iv ‖ tag ‖ ciphertext) of the raw 32-byte seed, AES-256-GCM, AAD `signing-key:<id>`. */
  private_key_enc: string;
  status: 'active' | 'retired';
  created_at: number;
  retired_at: number | null;
}
