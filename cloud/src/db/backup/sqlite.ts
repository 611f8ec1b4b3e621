/**
 * The embedded SQLite file: an online backup while the cloud runs, the check of a copy, and a restore that puts a
 * copy in the database's place. Copying and checking run in a worker thread (sqlite-worker.cjs).
 */
import { copyFile, mkdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { Worker } from 'node:worker_threads';
import BetterSqlite3 from 'better-sqlite3';
import { AppError } from '../../platform/errors.js';
import { fsyncDir, fsyncFile, temporaryPathFor } from './files.js';
import type { DatabaseContents } from './manifest.js';

interface WorkerJobs {
  backup: { input: { source: string; target: string; busyTimeoutMs: number }; result: DatabaseContents };
  inspect: {
    input: { path: string };
    result: { problems: string[]; contents: DatabaseContents | null };
  };
}

class WorkerJobError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

function inWorker<J extends keyof WorkerJobs>(
  job: J,
  input: WorkerJobs[J]['input'],
  signal?: AbortSignal,
): Promise<WorkerJobs[J]['result']> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const worker = new Worker(new URL('./sqlite-worker.cjs', import.meta.url), {
      workerData: { job, input },
    });
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      fn();
    };
    const onAbort = () => {
      void worker.terminate();
      settle(() => reject(signal?.reason));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.once('message', (message: { result?: WorkerJobs[J]['result']; error?: string; code?: string }) =>
      settle(() =>
        message.error === undefined
          ? resolve(message.result as WorkerJobs[J]['result'])
          : reject(new WorkerJobError(message.error, message.code)),
      ),
    );
    worker.once('error', (error) => settle(() => reject(error)));
    worker.once('exit', (code) => settle(() => reject(new Error(`the SQLite worker exited (${code})`))));
  });
}

/** Copies the database at `source` into a new file `target`; answers what the copy holds (counted in its snapshot). */
export function backupSqlite(
  source: string,
  target: string,
  busyTimeoutMs: number,
  signal?: AbortSignal,
): Promise<DatabaseContents> {
  return inWorker('backup', { source, target, busyTimeoutMs }, signal).catch((error: unknown) => {
    if (signal?.aborted) throw error;
    throw new AppError('BACKUP_FAILED', {
      reason: {
        'zh-CN': `无法复制 SQLite 数据库 ${source}：${(error as Error).message}`,
        en: `cannot copy the SQLite database ${source}: ${(error as Error).message}`,
      },
    });
  });
}

/**
 * Opens a copy read-only and checks it: `PRAGMA integrity_check` and `foreign_key_check` must be clean; answers its
 * contents. A file that is not a database, or a damaged one, is BACKUP_INVALID.
 */
export async function inspectSqliteCopy(path: string): Promise<DatabaseContents> {
  const invalid = (zh: string, en: string) =>
    new AppError('BACKUP_INVALID', { file: basename(path), reason: { 'zh-CN': zh, en } });
  let report: WorkerJobs['inspect']['result'];
  try {
    report = await inWorker('inspect', { path });
  } catch (error) {
    const message = (error as Error).message;
    throw invalid(`SQLite 无法打开或读取它（${message}）`, `SQLite cannot open or read it (${message})`);
  }
  if (!report.contents)
    throw invalid(
      `完整性检查发现问题：${report.problems.join('；')}`,
      `the integrity check found problems: ${report.problems.join('; ')}`,
    );
  return report.contents;
}

export interface SqliteRestoreOutcome {
  /** Where the database that was there before now lies (restore with --yes), or null. */
  readonly replacedAside: string | null;
}

/**
 * Puts the backup `file` in the place of the database at `target`. Refused while another process has the database
 * open (the cloud must be stopped) and, unless `replace`, when the target holds any table. A database that is
 * replaced is moved aside (`<target>.replaced-<stamp>`), never deleted.
 */
export async function restoreSqlite(
  file: string,
  target: string,
  options: { readonly replace: boolean; readonly stamp: string },
): Promise<SqliteRestoreOutcome> {
  await mkdir(dirname(target), { recursive: true });
  const present = await stat(target).then(
    (s) => s.size > 0,
    () => false,
  );
  const tables = present ? tablesInUnusedDatabase(target) : 0;
  if (tables !== 0 && !options.replace)
    throw new AppError('RESTORE_TARGET_NOT_EMPTY', { tables: tables === 'unreadable' ? '?' : tables });
  const temporary = temporaryPathFor(target);
  let replacedAside: string | null = null;
  try {
    await copyFile(file, temporary);
    await fsyncFile(temporary);
    if (present && tables !== 0) {
      replacedAside = `${target}.replaced-${options.stamp}`;
      await rename(target, replacedAside);
    }
    // Whatever a crashed process left of the old database's WAL must not be replayed into the restored one.
    await rm(`${target}-wal`, { force: true });
    await rm(`${target}-shm`, { force: true });
    await rename(temporary, target);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  await fsyncDir(dirname(target));
  return { replacedAside };
}

/**
 * The number of tables in the database at `path`, after making sure no other process has it open: a connection in
 * WAL mode keeps a lock that an exclusive-locking connection cannot take. 'unreadable' for a damaged file (which a
 * restore may replace when told to).
 */
function tablesInUnusedDatabase(path: string): number | 'unreadable' {
  let db: BetterSqlite3.Database;
  try {
    db = new BetterSqlite3(path, { fileMustExist: true, timeout: 0 });
  } catch {
    return 'unreadable';
  }
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('begin exclusive');
    const row = db.prepare("select count(*) as n from sqlite_schema where type = 'table'").get() as {
      n: number;
    };
    db.exec('commit');
    return row.n;
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED')
      throw new AppError('RESTORE_DATABASE_IN_USE', { target: path });
    return 'unreadable';
  } finally {
    // Closing the last connection folds its WAL into the file and removes it.
    db.close();
  }
}
