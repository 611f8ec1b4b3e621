/**
 * The running cloud's scheduled backups, built from the configuration by main.ts (which starts and stops them like
 * its other jobs): db/backup/ takes them and knows no module, so the credential secret's fingerprint the manifest
 * records is handed in from the signing keys' module here.
 */
import type { Config } from './config.js';
import { type BackupSchedule, BackupScheduler, type SchedulerLogger } from './db/backup/scheduler.js';
import { takeBackup } from './db/backup/take.js';
import { secretFingerprint } from './modules/signing-keys/secrets.js';

/** undefined when BACKUP_EVERY_HOURS is off (the default on PostgreSQL). `schedule` overrides timings (tests). */
export function scheduledBackups(
  config: Config,
  logger: SchedulerLogger,
  schedule: Partial<Pick<BackupSchedule, 'firstDelayMs' | 'retryMs'>> = {},
): BackupScheduler | undefined {
  const { intervalMs, dir, keep, pgBinDir } = config.backup;
  if (intervalMs === null) return undefined;
  return new BackupScheduler(
    (signal) =>
      takeBackup({
        database: config.database,
        dir,
        timeZone: config.venueTimezone,
        // Read at each backup: the key file is created on first use, which may come after start.
        secretFingerprint: secretFingerprint(config.credentials),
        pgBinDir,
        signal,
      }),
    { dir, intervalMs, keep, ...schedule },
    logger,
  );
}
