/**
 * Tells systemd the agent is up (READY=1) and still alive (WATCHDOG=1), so a hung agent is restarted and not only
 * a crashed one. Only active when systemd set NOTIFY_SOCKET (Type=notify).
 *
 * Node 20 cannot send a unix datagram without a native addon (node:dgram has no AF_UNIX, node:net only streams),
 * so each notification runs `systemd-notify`, which ships with systemd. Two consequences, both handled in the unit:
 * - the message comes from the child's PID, not the agent's, so the unit needs NotifyAccess=all (with
 *   NotifyAccess=main systemd drops it; faking the sender with --pid needs CAP_SYS_ADMIN, which the agent lacks);
 * - a notifier that exits before systemd read its message used to be unattributable; since systemd 246
 *   systemd-notify waits until the manager has processed it (a barrier), so it is reliable on Debian 11 and later.
 */
import { execFile } from 'node:child_process';
import type { Log } from './core/ports.js';

export interface ServiceNotifierOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly log: Log;
  /** Asked before each watchdog ping: a false answer skips the ping, so systemd restarts a broken agent. */
  readonly healthy: () => boolean;
  /** The notifier program. Default "systemd-notify". */
  readonly command?: string;
}

export interface ServiceNotifier {
  ready(status: string): void;
  stopping(): void;
  close(): void;
}

/** A notifier child that has not finished by then is abandoned (the next ping tries again). */
const CHILD_TIMEOUT_MS = 5_000;

/** Returns null when the agent was not started by systemd with Type=notify. */
export function startServiceNotifier(options: ServiceNotifierOptions): ServiceNotifier | null {
  const env = options.env ?? process.env;
  if (!env.NOTIFY_SOCKET) return null;
  const command = options.command ?? 'systemd-notify';
  const { log } = options;
  let busy = false;

  const send = (args: string[]) => {
    // One at a time: if systemd-notify itself hangs, pings stop and the watchdog does its job.
    if (busy) return;
    busy = true;
    execFile(command, args, { env, timeout: CHILD_TIMEOUT_MS }, (err) => {
      busy = false;
      if (err) log.warn({ err: err.message, args }, 'systemd notification failed');
    });
  };

  let timer: NodeJS.Timeout | undefined;
  const usec = Number(env.WATCHDOG_USEC);
  const forUs = env.WATCHDOG_PID === undefined || Number(env.WATCHDOG_PID) === process.pid;
  if (Number.isFinite(usec) && usec > 0 && forUs) {
    // Half the period, as sd_watchdog_enabled(3) advises, so one late ping is not yet fatal.
    const everyMs = Math.max(100, Math.floor(usec / 2_000));
    timer = setInterval(() => {
      if (options.healthy()) send(['WATCHDOG=1']);
      else log.error({}, 'health check failed: withholding the watchdog ping');
    }, everyMs);
    timer.unref();
  }

  return {
    ready(status) {
      send(['--ready', `--status=${status}`]);
    },
    stopping() {
      clearInterval(timer);
      busy = false;
      send(['STOPPING=1']);
    },
    close() {
      clearInterval(timer);
    },
  };
}
