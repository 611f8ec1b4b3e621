'use strict';
/**
 * SQLite work whose time grows with the database — copying it, checking a copy — in a worker thread, so the
 * cloud's event loop (gates' validations, sales) never waits behind it. Plain CommonJS so the worker loads the same
 * way under tsx, vitest and plain node. One job per worker (workerData), one answer: { result } or { error, code }.
 *
 * Jobs (see sqlite.ts):
 *   backup  { source, target, busyTimeoutMs } → the source's contents as of the copied snapshot
 *   inspect { path }                          → { problems: string[], contents }
 */
const { parentPort, workerData } = require('node:worker_threads');
const Database = require('better-sqlite3');

/** Rows per table, applied migrations and the audit chain head; the same as contents.ts reads through Kysely. */
function contents(db) {
  const tables = db
    .prepare(
      "select name from sqlite_schema where type = 'table' and name not like 'sqlite\\_%' escape '\\' order by name",
    )
    .pluck()
    .all();
  const counts = {};
  for (const name of tables)
    counts[name] = Number(
      db
        .prepare(`select count(*) from "${name.replaceAll('"', '""')}"`)
        .pluck()
        .get(),
    );
  const migrations = tables.includes('kysely_migration')
    ? db.prepare('select name from kysely_migration order by name').pluck().all()
    : [];
  const head = tables.includes('audit_chain_head')
    ? db.prepare('select seq, hash from audit_chain_head where id = 1').get()
    : undefined;
  return { tables: counts, migrations, auditHead: head ? { seq: Number(head.seq), hash: head.hash } : null };
}

/**
 * An online backup: one read transaction holds a snapshot while its rows are counted and SQLite's backup API
 * copies its pages, so the copy is exactly what was counted, however many sales commit meanwhile (in WAL mode the
 * writer never waits for this reader, and the copy never restarts: nothing changes inside the snapshot).
 */
async function backup({ source, target, busyTimeoutMs }) {
  const db = new Database(source, { fileMustExist: true, timeout: busyTimeoutMs });
  try {
    db.exec('begin');
    const snapshot = contents(db);
    await db.backup(target);
    db.exec('commit');
    // The copy in rollback-journal mode: one self-contained file, which opens read-only anywhere. The cloud puts a
    // restored database back into WAL mode when it opens it.
    const copy = new Database(target);
    try {
      copy.pragma('journal_mode = DELETE');
    } finally {
      copy.close();
    }
    return snapshot;
  } finally {
    db.close();
  }
}

function inspect({ path }) {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const problems = db
      .pragma('integrity_check')
      .map((row) => row.integrity_check)
      .filter((line) => line !== 'ok')
      .slice(0, 10);
    if (problems.length > 0) return { problems, contents: null };
    const orphans = db.pragma('foreign_key_check');
    if (orphans.length > 0)
      return {
        problems: orphans
          .slice(0, 10)
          .map((row) => `foreign key: ${row.table} row ${row.rowid} → ${row.parent}`),
        contents: null,
      };
    return { problems: [], contents: contents(db) };
  } finally {
    db.close();
  }
}

const jobs = { backup, inspect };

Promise.resolve()
  .then(() => jobs[workerData.job](workerData.input))
  .then(
    (result) => parentPort.postMessage({ result }),
    (error) => parentPort.postMessage({ error: String(error?.message), code: error?.code }),
  );
