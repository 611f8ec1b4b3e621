/**
 * `npm run fleet -- --cloud http://127.0.0.1:8080 --gates 50 --rate 2 --duration 30`: registers a site, a zone and
 * N gates through the cloud API as an administrator (or takes a prepared list of logins with `--logins FILE`),
 * connects N light gates (the agent's GateLink each, on an in-memory store) in this process, scans a visitor stream through them for the duration and
 * prints what the broker acknowledged, then disconnects them cleanly.
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { Fleet, percentile } from './fleet.js';
import { CloudApi, type GateLogin, provisionFleet } from './provision.js';
import type { VisitorMix } from './visitors.js';

export const FLEET_HELP = `npm run fleet -- [options]

  --cloud URL          the cloud's HTTP address (default http://127.0.0.1:8080)
  --broker URL         the MQTT broker (default: the cloud's host, port 1883)
  --username, --password
                       an administrator (default env FLEET_ADMIN_USERNAME / FLEET_ADMIN_PASSWORD)
  --logins FILE        a prepared JSON list [{siteId, gateId, username, password}] instead of registering
  --site ID            site to register the gates in (default fleet)
  --zone ID            zone of the gates (default main)
  --gate-prefix P      gate ids P0001, P0002, … (default F)
  --gates N            how many gates (default 50, at most 5000)
  --rate R             scans per second per gate (default 2)
  --duration S         seconds of traffic (default 30, at most 86400)
  --mix A,E,D          shares of admitted entries, exits and refusals (default 8,1,1)
  --validate SHARE     share of entries that ask the cloud online first, 0–1 (default 0)
  --seed N             visitor stream seed (default 1)
`;

export class FleetUsageError extends Error {}

export interface FleetCliOptions {
  readonly cloud: string;
  readonly broker: string;
  readonly username: string | undefined;
  readonly password: string | undefined;
  readonly loginsFile: string | undefined;
  readonly siteId: string;
  readonly zoneId: string;
  readonly gatePrefix: string;
  readonly gates: number;
  readonly rate: number;
  readonly durationSec: number;
  readonly mix: VisitorMix;
  readonly validateShare: number;
  readonly seed: number;
}

function numberIn(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new FleetUsageError(`--${name} must be a number from ${min} to ${max}`);
  }
  return value;
}

export function parseFleetArgs(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): FleetCliOptions {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        cloud: { type: 'string' },
        broker: { type: 'string' },
        username: { type: 'string' },
        password: { type: 'string' },
        logins: { type: 'string' },
        site: { type: 'string' },
        zone: { type: 'string' },
        'gate-prefix': { type: 'string' },
        gates: { type: 'string' },
        rate: { type: 'string' },
        duration: { type: 'string' },
        mix: { type: 'string' },
        validate: { type: 'string' },
        seed: { type: 'string' },
      },
      strict: true,
    }));
  } catch (error) {
    throw new FleetUsageError((error as Error).message);
  }
  const str = (key: string) => values[key] as string | undefined;
  const cloud = str('cloud') ?? 'http://127.0.0.1:8080';
  if (!URL.canParse(cloud)) throw new FleetUsageError('--cloud must be a URL');
  const broker = str('broker') ?? `mqtt://${new URL(cloud).hostname}:1883`;
  const mixParts = (str('mix') ?? '8,1,1').split(',').map(Number);
  if (
    mixParts.length !== 3 ||
    mixParts.some((n) => !Number.isFinite(n) || n < 0) ||
    mixParts.every((n) => n === 0)
  ) {
    throw new FleetUsageError('--mix must be three non-negative shares, e.g. 8,1,1');
  }
  return {
    cloud,
    broker,
    username: str('username') ?? env.FLEET_ADMIN_USERNAME,
    password: str('password') ?? env.FLEET_ADMIN_PASSWORD,
    loginsFile: str('logins'),
    siteId: str('site') ?? 'fleet',
    zoneId: str('zone') ?? 'main',
    gatePrefix: str('gate-prefix') ?? 'F',
    gates: Math.floor(numberIn('gates', str('gates'), 50, 1, 5_000)),
    rate: numberIn('rate', str('rate'), 2, 0, 1_000),
    durationSec: numberIn('duration', str('duration'), 30, 0, 86_400),
    mix: { admits: mixParts[0]!, exits: mixParts[1]!, denials: mixParts[2]! },
    validateShare: numberIn('validate', str('validate'), 0, 0, 1),
    seed: Math.floor(numberIn('seed', str('seed'), 1, 0, 2 ** 31)),
  };
}

async function loginsFor(options: FleetCliOptions): Promise<GateLogin[]> {
  if (options.loginsFile) {
    const list = JSON.parse(readFileSync(options.loginsFile, 'utf8')) as GateLogin[];
    if (!Array.isArray(list) || list.length === 0)
      throw new FleetUsageError('--logins must list gate logins');
    return list.slice(0, options.gates);
  }
  if (!options.username || !options.password) {
    throw new FleetUsageError('an administrator is needed to register gates: --username and --password');
  }
  const api = await CloudApi.login(options.cloud, options.username, options.password);
  return provisionFleet(api, {
    siteId: options.siteId,
    zoneId: options.zoneId,
    gates: options.gates,
    gatePrefix: options.gatePrefix,
  });
}

export async function runFleet(argv: readonly string[]): Promise<number> {
  let options: FleetCliOptions;
  try {
    options = parseFleetArgs(argv);
  } catch (error) {
    if (!(error instanceof FleetUsageError)) throw error;
    process.stderr.write(`${error.message}\n\n${FLEET_HELP}`);
    return 2;
  }
  const logins = await loginsFor(options);
  process.stdout.write(`registered ${logins.length} gates; connecting to ${options.broker}\n`);
  let problems = 0;
  const connectStarted = performance.now();
  const fleet = await Fleet.start(logins, {
    brokerUrl: options.broker,
    onProblem: (gate, error) => {
      if (problems++ < 20) process.stderr.write(`${gate.gateId}: ${error.message}\n`);
    },
  });
  process.stdout.write(
    `${fleet.size} gates connected in ${Math.round(performance.now() - connectStarted)} ms; ` +
      `${options.rate} scans/s per gate for ${options.durationSec} s\n`,
  );
  // Ctrl-C ends the traffic early; the gates still publish their offline state on the way out.
  const interrupt = new AbortController();
  const stop = () => interrupt.abort();
  process.once('SIGINT', stop);
  try {
    const report = await fleet.runTraffic({
      ratePerGate: options.rate,
      durationMs: options.durationSec * 1_000,
      mix: options.mix,
      seed: options.seed,
      validateShare: options.validateShare,
      drainMs: 30_000,
      signal: interrupt.signal,
    });
    const rtt = report.validation.rttMs;
    process.stdout.write(
      [
        `scans=${report.scans} passages=${report.passages} denials=${report.denials}`,
        `acknowledged=${report.acknowledged} failed=${report.failed} unacknowledged=${report.unacknowledged}`,
        `offered=${((report.scans * 1_000) / report.elapsedMs).toFixed(0)}/s`,
        report.validation.sent > 0
          ? `validation sent=${report.validation.sent} answered=${report.validation.answered} timeout=${report.validation.timedOut} p50=${percentile(rtt, 50).toFixed(1)}ms p99=${percentile(rtt, 99).toFixed(1)}ms`
          : '',
        `problems=${problems}${interrupt.signal.aborted ? ' (interrupted)' : ''}`,
      ]
        .filter(Boolean)
        .join(' ')
        .concat('\n'),
    );
    return report.failed === 0 && report.unacknowledged === 0 ? 0 : 1;
  } finally {
    process.off('SIGINT', stop);
    await fleet.stop();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runFleet(process.argv.slice(2))
    .then((code) => process.exit(code))
    .catch((err: unknown) => {
      console.error(`fleet: ${err instanceof Error ? err.message : String(err)}`);
      process.exit(1);
    });
}
