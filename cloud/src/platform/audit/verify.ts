/**
 * Checks the operation log's hash chain from row 1 to the head and reports the first row that does not fit:
 * - `edited`: the row's content no longer matches its hash;
 * - `deleted`: a seq is missing (or the head counts rows past the last one left);
 * - `unlinked`: a row whose prev_hash is not its predecessor's hash — inserted, moved, or the row before it was
 *   replaced;
 * - `inserted`: a row past the head;
 * - `head_mismatch`: the head's hash is not the last row's.
 * Someone who rewrites a row and recomputes every later hash and the head is not caught by this alone: keep the
 * head hash (printed by `npm run admin -- verify-audit`) somewhere else to compare against.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { GENESIS_HASH, rowHash } from './chain.js';

export type AuditProblem = 'edited' | 'deleted' | 'unlinked' | 'inserted' | 'head_mismatch';

export type AuditVerification =
  | { readonly ok: true; readonly rows: number; readonly headSeq: number; readonly headHash: string }
  | {
      readonly ok: false;
      readonly rows: number;
      /** The first row that does not fit (for `deleted`, the missing seq). */
      readonly seq: number;
      readonly problem: AuditProblem;
      readonly message: string;
    };

const PAGE = 1_000;

export async function verifyAuditChain(db: Kysely<Database>): Promise<AuditVerification> {
  const head = await db
    .selectFrom('audit_chain_head')
    .select(['seq', 'hash'])
    .where('id', '=', 1)
    .executeTakeFirstOrThrow();
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let rows = 0;
  const fail = (seq: number, problem: AuditProblem, message: string): AuditVerification => ({
    ok: false,
    rows,
    seq,
    problem,
    message,
  });

  for (;;) {
    const page = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('seq', '>=', expectedSeq)
      .orderBy('seq')
      .limit(PAGE)
      .execute();
    for (const row of page) {
      if (row.seq > head.seq)
        return fail(row.seq, 'inserted', `row ${row.seq} lies beyond the chain head (seq ${head.seq})`);
      if (row.seq !== expectedSeq) return fail(expectedSeq, 'deleted', `row ${expectedSeq} is missing`);
      const { hash, ...fields } = row;
      if (row.prev_hash !== prevHash) {
        return fail(
          row.seq,
          'unlinked',
          `row ${row.seq} does not link to row ${row.seq - 1} (inserted, reordered, or row ${row.seq - 1} replaced)`,
        );
      }
      if (rowHash(fields) !== hash)
        return fail(row.seq, 'edited', `row ${row.seq} was changed after it was written`);
      prevHash = hash;
      expectedSeq++;
      rows++;
    }
    if (page.length < PAGE) break;
  }
  if (expectedSeq - 1 < head.seq)
    return fail(expectedSeq, 'deleted', `row ${expectedSeq} is missing (the head is at ${head.seq})`);
  if (head.hash !== prevHash)
    return fail(head.seq, 'head_mismatch', `the chain head does not match row ${head.seq}`);
  return { ok: true, rows, headSeq: head.seq, headHash: head.hash };
}
