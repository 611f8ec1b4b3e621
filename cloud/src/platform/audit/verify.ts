/**
 * Checks the operation log's hash chain from row 1 to the head and reports the first row that does not fit:
 * - `edited`: the row's content no longer matches its hash;
 * - `deleted`: a seq is missing (or the head counts rows past the last one left);
 * - `unlinked`: a row whose prev_hash is not its predecessor's hash — inserted, moved, or the row before it was
 *   replaced;
 * - `inserted`: a row past the head;
 * - `head_mismatch`: the head's hash is not the last row's.
 * - `rewritten`: an anchored row (anchor.ts, kept outside the database) no longer has its anchored hash;
 * - `truncated`: the chain ends before an anchored row.
 * Someone who rewrites a row and recomputes every later hash and the head is caught only by anchors: the cloud
 * writes them (AUDIT_ANCHOR_FILE) and `npm run admin -- verify-audit --anchors <file>` checks them.
 */
import type { Connection } from '../../db/scoped.js';
import type { AuditAnchor } from './anchor.js';
import { GENESIS_HASH, rowHash } from './chain.js';
import { auditTables } from './tables.js';

export type AuditProblem =
  | 'edited'
  | 'deleted'
  | 'unlinked'
  | 'inserted'
  | 'head_mismatch'
  | 'rewritten'
  | 'truncated';

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

export async function verifyAuditChain(
  connection: Connection,
  anchors: readonly AuditAnchor[] = [],
): Promise<AuditVerification> {
  const db = auditTables(connection);
  const anchored = new Map<number, AuditAnchor>();
  for (const anchor of anchors) anchored.set(anchor.seq, anchor);
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
      const anchor = anchored.get(row.seq);
      if (anchor && anchor.hash !== hash)
        return fail(
          row.seq,
          'rewritten',
          `row ${row.seq} does not have the hash anchored at ${new Date(anchor.at).toISOString()}: the chain was rewritten from there or earlier`,
        );
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
  const beyond = anchors.filter((anchor) => anchor.seq > head.seq).sort((a, b) => a.seq - b.seq)[0];
  if (beyond)
    return fail(
      beyond.seq,
      'truncated',
      `the chain ends at row ${head.seq}, but row ${beyond.seq} was anchored at ${new Date(beyond.at).toISOString()}: newer rows were removed`,
    );
  return { ok: true, rows, headSeq: head.seq, headHash: head.hash };
}
