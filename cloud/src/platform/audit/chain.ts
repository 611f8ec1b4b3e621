/** The hash of one audit row, shared by the writer (record.ts) and the verifier (verify.ts). */
import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';
import type { AuditLogTable } from './tables.js';

/** The chain's anchor: the `prev_hash` of row 1 and the head's hash while the log is empty. */
export const GENESIS_HASH = '0'.repeat(64);

export type ChainedFields = Omit<AuditLogTable, 'hash'>;

/** sha256(prev_hash ‖ canonical JSON of every other column). */
export function rowHash(row: ChainedFields): string {
  const { prev_hash, ...content } = row;
  const body = canonicalJson({
    seq: content.seq,
    at: content.at,
    actor_id: content.actor_id,
    actor_username: content.actor_username,
    action: content.action,
    entity: content.entity,
    entity_id: content.entity_id,
    before_json: content.before_json,
    after_json: content.after_json,
    ip: content.ip,
  });
  return createHash('sha256').update(prev_hash).update(body).digest('hex');
}
