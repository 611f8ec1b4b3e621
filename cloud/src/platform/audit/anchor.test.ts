import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { databaseBackends, type TestDatabase } from '../../db/testing.js';
import { AnchorFileError, AuditAnchorWriter, anchorLine, parseAnchors } from './anchor.js';
import { rowHash } from './chain.js';
import { auditedTransaction, recordAudit } from './record.js';
import { verifyAuditChain } from './verify.js';

const HASH = 'a'.repeat(64);

describe('parseAnchors', () => {
  it('reads one anchor per line, skipping blank lines', () => {
    const text = `${anchorLine({ seq: 3, hash: HASH, at: 1 })}\n${anchorLine({ seq: 9, hash: 'b'.repeat(64), at: 2 })}`;
    expect(parseAnchors(text)).toEqual([
      { seq: 3, hash: HASH, at: 1 },
      { seq: 9, hash: 'b'.repeat(64), at: 2 },
    ]);
  });

  it.each([
    ['{"seq":1,"hash":"abc","at":1}', 'hash'],
    [`{"seq":-1,"hash":"${HASH}","at":1}`, 'seq'],
    [`{"seq":1.5,"hash":"${HASH}","at":1}`, 'seq'],
    [`{"seq":1,"hash":"${HASH}"}`, 'at'],
    ['not json', 'JSON'],
    ['null', 'seq'],
  ])('refuses %s, naming the line', (line, what) => {
    const error = (() => {
      try {
        parseAnchors(`${anchorLine({ seq: 1, hash: HASH, at: 1 })}${line}\n`);
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(AnchorFileError);
    expect((error as AnchorFileError).line).toBe(2);
    expect((error as Error).message).toContain(what);
  });
});

describe.each(databaseBackends())('audit anchors on $name', (backend) => {
  let test: TestDatabase;
  let dir: string;
  beforeEach(async () => {
    test = await backend.create();
    dir = await mkdtemp(join(tmpdir(), 'anchors-'));
  });
  afterEach(async () => {
    await test.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  const actor = { id: 'op-1', username: 'alice' };
  async function change(key: string) {
    await auditedTransaction(test.database.db, (trx) =>
      recordAudit(trx, { actor, action: 'meta.set', entity: 'app_meta', entityId: key, after: { key } }),
    );
  }
  const db = () => test.database.db;

  /** What someone with write access to the database can do: rewrite rows from `seq` on and recompute the chain. */
  async function rewriteFrom(seq: number, entityId: string) {
    await db().updateTable('audit_log').set({ entity_id: entityId }).where('seq', '=', seq).execute();
    const rows = await db().selectFrom('audit_log').selectAll().orderBy('seq').execute();
    let prev = rows[0]!.prev_hash;
    for (const row of rows) {
      const { hash: _old, ...fields } = row;
      const hash = rowHash({ ...fields, prev_hash: prev });
      await db().updateTable('audit_log').set({ prev_hash: prev, hash }).where('seq', '=', row.seq).execute();
      prev = hash;
    }
    await db().updateTable('audit_chain_head').set({ hash: prev }).where('id', '=', 1).execute();
  }

  it('the writer appends the head when it moved, once, and verification with anchors holds', async () => {
    const file = join(dir, 'sub', 'anchors.jsonl');
    const logged: object[] = [];
    const writer = new AuditAnchorWriter(db(), file, 60_000, {
      info: (details) => logged.push(details),
      warn: () => undefined,
    });
    await writer.anchor(); // empty chain: nothing to anchor
    await change('a');
    await change('b');
    await writer.anchor();
    await writer.anchor(); // unchanged head: no second line
    await change('c');
    await writer.stop(); // the last anchor on the way out
    const anchors = parseAnchors(await readFile(file, 'utf8'));
    expect(anchors.map((a) => a.seq)).toEqual([2, 3]);
    expect(logged).toHaveLength(2);
    const head = await db().selectFrom('audit_chain_head').selectAll().executeTakeFirstOrThrow();
    expect(anchors[1]!.hash).toBe(head.hash);
    expect(await verifyAuditChain(db(), anchors)).toMatchObject({ ok: true, rows: 3 });
  });

  it('a rewritten and re-hashed chain passes the plain check but not the anchors', async () => {
    for (const key of ['a', 'b', 'c', 'd']) await change(key);
    const row3 = await db()
      .selectFrom('audit_log')
      .select('hash')
      .where('seq', '=', 3)
      .executeTakeFirstOrThrow();
    await rewriteFrom(2, 'tampered');
    expect(await verifyAuditChain(db())).toMatchObject({ ok: true, rows: 4 });
    expect(await verifyAuditChain(db(), [{ seq: 3, hash: row3.hash, at: 0 }])).toMatchObject({
      ok: false,
      seq: 3,
      problem: 'rewritten',
    });
  });

  it('a chain cut back below an anchor is reported as truncated', async () => {
    for (const key of ['a', 'b', 'c', 'd']) await change(key);
    const rows = await db().selectFrom('audit_log').select(['seq', 'hash']).orderBy('seq').execute();
    await db().deleteFrom('audit_log').where('seq', '>', 2).execute();
    await db()
      .updateTable('audit_chain_head')
      .set({ seq: 2, hash: rows[1]!.hash })
      .where('id', '=', 1)
      .execute();
    expect(await verifyAuditChain(db())).toMatchObject({ ok: true, rows: 2 });
    const anchors = [
      { seq: 2, hash: rows[1]!.hash, at: 0 },
      { seq: 4, hash: rows[3]!.hash, at: 0 },
    ];
    expect(await verifyAuditChain(db(), anchors)).toMatchObject({ ok: false, seq: 4, problem: 'truncated' });
  });

  it('a write that fails is logged and does not throw', async () => {
    await change('a');
    const warnings: object[] = [];
    // The anchor path is a directory: appending fails.
    const writer = new AuditAnchorWriter(db(), dir, 60_000, {
      info: () => undefined,
      warn: (details) => warnings.push(details),
    });
    await expect(writer.anchor()).resolves.toBeUndefined();
    expect(warnings).toHaveLength(1);
  });
});
