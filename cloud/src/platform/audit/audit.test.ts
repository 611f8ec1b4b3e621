import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { databaseBackends, type TestDatabase } from '../../db/testing.js';
import { transaction } from '../../db/transaction.js';
import { canonicalJson } from './canonical-json.js';
import { auditedTransaction, recordAudit } from './record.js';
import { verifyAuditChain } from './verify.js';

describe('canonicalJson', () => {
  it('sorts keys at every depth, drops undefined members and refuses non-JSON values', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: true, y: null }], c: 'x' }, u: undefined })).toBe(
      '{"a":{"c":"x","d":[1,{"y":null,"z":true}]},"b":1}',
    );
    expect(() => canonicalJson({ n: Number.NaN })).toThrow(TypeError);
    expect(() => canonicalJson({ n: 1n })).toThrow(TypeError);
    expect(() => canonicalJson(new Map())).toThrow(TypeError);
  });
});

describe.each(databaseBackends())('audit chain on $name', (backend) => {
  let test: TestDatabase;
  beforeEach(async () => {
    test = await backend.create();
  });
  afterEach(() => test.dispose());

  const actor = { id: 'op-1', username: 'alice' };

  async function change(key: string, fail = false) {
    await auditedTransaction(test.database.db, async (trx) => {
      await trx.insertInto('app_meta').values({ key, value: 'v', updated_at: 1 }).execute();
      await recordAudit(trx, {
        actor,
        action: 'meta.set',
        entity: 'app_meta',
        entityId: key,
        after: { key },
      });
      if (fail) throw new Error('the change fails after auditing');
    });
  }

  async function auditRows() {
    return test.database.db.selectFrom('audit_log').selectAll().orderBy('seq').execute();
  }

  it('writes the row in the change’s transaction: a failing change leaves neither', async () => {
    await change('kept');
    await expect(change('lost', true)).rejects.toThrow('fails after auditing');
    const rows = await auditRows();
    expect(rows.map((r) => r.entity_id)).toEqual(['kept']);
    expect(rows[0]).toMatchObject({
      seq: 1,
      actor_id: 'op-1',
      actor_username: 'alice',
      after_json: '{"key":"kept"}',
    });
    const head = await test.database.db.selectFrom('audit_chain_head').selectAll().executeTakeFirstOrThrow();
    expect(head).toEqual({ id: 1, seq: 1, hash: rows[0]!.hash });
    expect(await verifyAuditChain(test.database.db)).toEqual({
      ok: true,
      rows: 1,
      headSeq: 1,
      headHash: rows[0]!.hash,
    });
  });

  it('50 parallel audited changes leave one unforked chain 1…50', async () => {
    await Promise.all(Array.from({ length: 50 }, (_, i) => change(`k${i}`)));
    const rows = await auditRows();
    expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(new Set(rows.map((r) => r.prev_hash)).size).toBe(50);
    expect(new Set(rows.map((r) => r.entity_id)).size).toBe(50);
    expect(await verifyAuditChain(test.database.db)).toMatchObject({ ok: true, rows: 50 });
  });

  it('plain transaction() appends stay unforked too, retrying when they collide', async () => {
    await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        transaction(
          test.database.db,
          (trx) => recordAudit(trx, { actor, action: 'meta.touch', entity: 'app_meta', entityId: i }),
          { maxAttempts: 30 },
        ),
      ),
    );
    expect(await verifyAuditChain(test.database.db)).toMatchObject({ ok: true, rows: 12 });
  });

  describe('tampering', () => {
    beforeEach(async () => {
      for (let i = 1; i <= 5; i++) await change(`k${i}`);
    });

    it('an edited row is named', async () => {
      await test.database.db
        .updateTable('audit_log')
        .set({ after_json: '{"key":"forged"}' })
        .where('seq', '=', 3)
        .execute();
      expect(await verifyAuditChain(test.database.db)).toMatchObject({
        ok: false,
        seq: 3,
        problem: 'edited',
      });
    });

    it('a deleted row is named, in the middle or at the end', async () => {
      const second = await rowCopy(2);
      await test.database.db.deleteFrom('audit_log').where('seq', '=', 2).execute();
      expect(await verifyAuditChain(test.database.db)).toMatchObject({
        ok: false,
        seq: 2,
        problem: 'deleted',
      });
      await test.database.db.insertInto('audit_log').values(second).execute();
      expect(await verifyAuditChain(test.database.db)).toMatchObject({ ok: true });
      await test.database.db.deleteFrom('audit_log').where('seq', '=', 5).execute();
      expect(await verifyAuditChain(test.database.db)).toMatchObject({
        ok: false,
        seq: 5,
        problem: 'deleted',
      });
    });

    it('two swapped rows are named at the first of them', async () => {
      await test.database.db.updateTable('audit_log').set({ seq: 100 }).where('seq', '=', 3).execute();
      await test.database.db.updateTable('audit_log').set({ seq: 3 }).where('seq', '=', 4).execute();
      await test.database.db.updateTable('audit_log').set({ seq: 4 }).where('seq', '=', 100).execute();
      expect(await verifyAuditChain(test.database.db)).toMatchObject({
        ok: false,
        seq: 3,
        problem: 'unlinked',
      });
    });

    it('a row inserted in the middle or past the head is named', async () => {
      const row = await rowCopy(3);
      await test.database.db
        .insertInto('audit_log')
        .values({ ...row, seq: 6 })
        .execute();
      expect(await verifyAuditChain(test.database.db)).toMatchObject({
        ok: false,
        seq: 6,
        problem: 'inserted',
      });
      // Shifting rows 3… up by one to make room, as a careful forger would, breaks the link at the intruder.
      await test.database.db.deleteFrom('audit_log').where('seq', '=', 6).execute();
      await sql`update audit_log set seq = seq + 1000 where seq >= 3`.execute(test.database.db);
      await sql`update audit_log set seq = seq - 999 where seq >= 1000`.execute(test.database.db);
      await test.database.db
        .insertInto('audit_log')
        .values({ ...row, seq: 3, action: 'meta.forged' })
        .execute();
      await test.database.db.updateTable('audit_chain_head').set({ seq: 6 }).execute();
      expect(await verifyAuditChain(test.database.db)).toMatchObject({ ok: false, seq: 3 });
    });

    async function rowCopy(seq: number) {
      const row = (await auditRows()).find((r) => r.seq === seq);
      if (!row) throw new Error(`no audit row ${seq}`);
      return row;
    }
  });
});
