/**
 * A private Mosquitto for tests and benches: a child process on a free port, configured with the passwd and acl files
 * `npm run mqtt:export` would write for the given database, so gates log in with their real credentials and the ACL
 * applies as in production. Used where `mosquitto` is installed.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { eventually } from '@scenic/testkit/eventually';
import { freePort } from '@scenic/testkit/free-port';
import type { Kysely } from 'kysely';
import mqtt from 'mqtt';
import type { Database } from '../../db/schema.js';
import { mosquittoFiles } from '../../modules/gate-access/mosquitto-export.js';
import { GateAccessRepo } from '../../modules/gate-access/repo.js';

export function mosquittoInstalled(): boolean {
  try {
    execFileSync('mosquitto', ['-h'], { stdio: 'ignore' });
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ENOENT';
  }
}

export interface PrivateMosquitto {
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  stop(): Promise<void>;
}

/** Starts Mosquitto with the active gate credentials of `db` and the cloud's login; resolves once it answers. */
export async function startPrivateMosquitto(
  db: Kysely<Database>,
  cloud: { username: string; password: string },
): Promise<PrivateMosquitto> {
  const folder = mkdtempSync(join(tmpdir(), 'scenic-mosquitto-'));
  const files = mosquittoFiles(await new GateAccessRepo(db).activeCredentials(), cloud);
  writeFileSync(join(folder, 'passwd'), files.passwd, { mode: 0o600 });
  writeFileSync(join(folder, 'acl'), files.acl, { mode: 0o600 });
  const port = await freePort();
  writeFileSync(
    join(folder, 'mosquitto.conf'),
    [
      `listener ${port} 127.0.0.1`,
      'allow_anonymous false',
      `password_file ${join(folder, 'passwd')}`,
      `acl_file ${join(folder, 'acl')}`,
      'persistence false',
      'set_tcp_nodelay true',
      // Started as root, Mosquitto drops to user `mosquitto`, which could not read our 0600 files.
      `user ${userInfo().username}`,
      '',
    ].join('\n'),
  );
  const broker: ChildProcess = spawn('mosquitto', ['-c', join(folder, 'mosquitto.conf')], {
    stdio: 'ignore',
  });
  const url = `mqtt://127.0.0.1:${port}`;
  // A run that ends without stop() (a timed-out hook, an interrupted bench) must not leave the broker behind.
  const orphaned = () => broker.kill('SIGTERM');
  process.once('exit', orphaned);
  const stop = async () => {
    process.removeListener('exit', orphaned);
    if (broker.exitCode === null && broker.signalCode === null) {
      const exited = new Promise((resolve) => broker.once('exit', resolve));
      broker.kill('SIGTERM');
      await exited;
    }
    rmSync(folder, { recursive: true, force: true });
  };
  try {
    await eventually(
      () =>
        new Promise<boolean | undefined>((resolve) => {
          const probe = mqtt.connect(url, { reconnectPeriod: 0, connectTimeout: 500 });
          const done = (value: boolean | undefined) => {
            probe.end(true);
            resolve(value);
          };
          probe.once('connect', () => done(true));
          // Refused (not authorised): it is up.
          probe.once('error', (error) => done((error as { code?: number }).code === 5 ? true : undefined));
          probe.once('close', () => done(undefined));
        }),
      10_000,
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, port, pid: broker.pid ?? 0, stop };
}
