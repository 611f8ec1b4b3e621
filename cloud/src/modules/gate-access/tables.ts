/** Table types of the gate-access module (migration 20261125_182000); part of db/schema.ts's Database. */
import { ownedTables } from '../../db/scoped.js';
export interface GateAccessTables {
  gate_mqtt_credentials: GateMqttCredentialsTable;
}

/** The only way to query these tables (db/scoped.ts). */
export const gateAccessTables = ownedTables<keyof GateAccessTables>();
export type GateAccessDb = ReturnType<typeof gateAccessTables>;

export interface GateMqttCredentialsTable {
  /** Gate id, unique across the installation. */
  gate_id: string;
  site_id: string;
  /** `gate@{siteId}@{gateId}`. */
  username: string;
  /** Mosquitto `$7$` PBKDF2-SHA512 hash (mqtt/password-hash.ts). */
  password_hash: string;
  /** Epoch ms. */
  created_at: number;
  /** Epoch ms of the current password (equals created_at until the first rotation). */
  rotated_at: number;
  /** Epoch ms; null while the credential is valid. */
  revoked_at: number | null;
  /** 1 at creation, +1 per rotation. */
  version: number;
}
