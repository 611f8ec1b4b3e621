import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { type DatabaseHandle, openDatabase } from './database.js';

/** Writes `rounds` transactions of ~1 MB each, pausing between them, and returns the largest WAL size seen. */
async function writeRounds(database: DatabaseHandle, path: string, rounds: number): Promise<number> {
  const db = database.db;
  await sql`create table blob_rows (id integer primary key, body text not null)`.execute(db);
  const body = 'x'.repeat(4_000);
  let largest = 0;
  for (let round = 0; round < rounds; round++) {
    await db.transaction().execute(async (trx) => {
      for (let i = 0; i < 250; i++) await sql`insert into blob_rows (body) values (${body})`.execute(trx);
    });
    largest = Math.max(largest, statSync(`${path}-wal`).size);
    await new Promise((resolve) => setTimeout(resolve, 60));
  }
  return largest;
}

describe('background WAL checkpoints', () => {
  let folder: string | undefined;
  let database: DatabaseHandle | undefined;
  afterEach(async () => {
    await database?.close();
    database = undefined;
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  function open(backgroundCheckpointMs: number | undefined) {
    folder = mkdtempSync(join(tmpdir(), 'scenic-checkpoint-'));
    const path = join(folder, 'cloud.db');
    database = openDatabase({
      dialect: 'sqlite',
      path,
      synchronous: 'NORMAL',
      busyTimeoutMs: 1_000,
      ...(backgroundCheckpointMs === undefined ? {} : { backgroundCheckpointMs }),
    });
    return { database, path };
  }

  it('keeps the WAL bounded although the serving connection never checkpoints', async () => {
    const { database, path } = open(20);
    const autocheckpoint = await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(
      database.db,
    );
    expect(Number(autocheckpoint.rows[0]?.wal_autocheckpoint)).toBe(0);
    // 20 MB written; the worker's checkpoints let each new transaction restart the WAL from the top.
    const largest = await writeRounds(database, path, 20);
    expect(largest).toBeLessThan(6_000_000);
    const rows = await sql<{ n: number }>`select count(*) as n from blob_rows`.execute(database.db);
    expect(Number(rows.rows[0]?.n)).toBe(5_000);
  }, 30_000);

  it('without the worker and with automatic checkpoints off the same writes grow the WAL (the check above can fail)', async () => {
    const { database, path } = open(undefined);
    await sql`pragma wal_autocheckpoint = 0`.execute(database.db);
    expect(await writeRounds(database, path, 20)).toBeGreaterThan(15_000_000);
  }, 30_000);

  it('stops with the database and leaves every committed row readable', async () => {
    const { database, path } = open(10);
    await writeRounds(database, path, 3);
    await database.close();
    const again = openDatabase({ dialect: 'sqlite', path, synchronous: 'NORMAL', busyTimeoutMs: 1_000 });
    try {
      const rows = await sql<{ n: number }>`select count(*) as n from blob_rows`.execute(again.db);
      expect(Number(rows.rows[0]?.n)).toBe(750);
    } finally {
      await again.close();
    }
  });
});
