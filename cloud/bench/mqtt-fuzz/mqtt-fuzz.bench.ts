/**
 * The large bounded version of mqtt/fuzz.test.ts: `npm run bench:mqtt-fuzz` sends 100,000 hostile frames through the
 * embedded broker and 100,000 through Mosquitto (a private instance with the exported passwd and acl when the
 * binary is installed, else TEST_MQTT_URL), each to a fresh cloud: invalid payloads on every gate → cloud topic of a
 * logged-in gate, then raw malformed packets on new sockets (cloud/src/mqtt/testing/fuzz-run.ts), while /healthz is
 * polled every 50 ms. One line per broker, then a last line starting with RESULT; exit code 1 when an invariant
 * broke (a /healthz failure, a row stored from invalid input, the well-behaved gate dropped or not heard, an
 * unauthorised login let in, heap growth past 64 MB).
 *
 *   npm run bench:mqtt-fuzz                                   # SQLite, 100,000 frames per broker
 *   npm run bench:mqtt-fuzz -- --frames 20000 --database postgres   # needs TEST_DATABASE_URL
 *   npm run bench:mqtt-fuzz -- --broker embedded --seed 7
 */
import { cpus, loadavg, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { databaseBackends } from '../../src/db/testing.js';
import {
  type FuzzBroker,
  type FuzzFigures,
  figuresLine,
  mosquittoAvailable,
  runMqttFuzz,
  startFuzzEnvironment,
} from '../../src/mqtt/testing/fuzz-run.js';

const { values } = parseArgs({
  options: {
    frames: { type: 'string', default: '100000' },
    /** Share of the frames sent as raw packets; the rest are payloads through a gate's client. */
    'raw-share': { type: 'string', default: '0.2' },
    broker: { type: 'string', default: 'both' },
    database: { type: 'string', default: 'sqlite' },
    seed: { type: 'string', default: '20261207' },
  },
});
const frames = Number(values.frames);
const rawFrames = Math.round(frames * Number(values['raw-share']));
const seed = Number(values.seed);
const HEAP_GROWTH_LIMIT_MB = 64;

const backend = databaseBackends().find((b) => b.name === values.database);
if (!backend) throw new Error(`no ${values.database} database (PostgreSQL needs TEST_DATABASE_URL)`);
const brokers: FuzzBroker[] =
  values.broker === 'both' ? ['embedded', 'mosquitto'] : [values.broker as FuzzBroker];
if (brokers.includes('mosquitto') && !mosquittoAvailable()) {
  throw new Error('Mosquitto is neither installed nor given as TEST_MQTT_URL');
}

console.log(
  `node=${process.version} cores=${cpus().length} cpu="${cpus()[0]?.model.trim()}" ram_gb=${Math.round(
    totalmem() / 2 ** 30,
  )} load1=${loadavg()[0]?.toFixed(2)} database=${backend.name} frames_per_broker=${frames} seed=${seed} at=${new Date().toISOString()}`,
);

function problemsOf(f: FuzzFigures): string[] {
  const problems: string[] = [];
  if (f.healthFailures > 0) problems.push(`${f.broker}: ${f.healthFailures} /healthz failures`);
  if (f.rowsStoredFromInvalid > 0) {
    problems.push(
      `${f.broker}: ${f.rowsStoredFromInvalid} rows stored from invalid input ${JSON.stringify(f.writesOutsideLog)}`,
    );
  }
  if (f.bystanderDrops > 0 || !f.bystanderHeard) problems.push(`${f.broker}: the well-behaved gate suffered`);
  if (f.unauthorisedRefused !== f.unauthorisedTried)
    problems.push(`${f.broker}: an unauthorised login got in`);
  if (f.heapAfterMb - f.heapBeforeMb > HEAP_GROWTH_LIMIT_MB) problems.push(`${f.broker}: heap grew`);
  return problems;
}

const results: FuzzFigures[] = [];
const problems: string[] = [];
for (const broker of brokers) {
  const test = await backend.create();
  const env = await startFuzzEnvironment(broker, test);
  try {
    const figures = await runMqttFuzz(env, { payloadFrames: frames - rawFrames, rawFrames, seed });
    results.push(figures);
    problems.push(...problemsOf(figures));
    console.log(figuresLine(figures));
  } finally {
    await env.close();
    await test.dispose();
  }
}
for (const problem of problems) console.log(`PROBLEM ${problem}`);

const short = (f: FuzzFigures) => {
  const p = f.broker === 'embedded' ? 'embedded' : 'mosquitto';
  return [
    `${p}_frames=${f.framesSent}`,
    `${p}_frames_per_s=${f.framesPerSecond}`,
    `${p}_payload_per_s=${f.payloadPerSecond}`,
    `${p}_raw_per_s=${f.rawPerSecond}`,
    `${p}_heap_before_mb=${f.heapBeforeMb}`,
    `${p}_heap_after_mb=${f.heapAfterMb}`,
    `${p}_rss_before_mb=${f.rssBeforeMb}`,
    `${p}_rss_after_mb=${f.rssAfterMb}`,
    ...(f.brokerRssBeforeMb !== undefined
      ? [`${p}_broker_rss_before_mb=${f.brokerRssBeforeMb}`, `${p}_broker_rss_after_mb=${f.brokerRssAfterMb}`]
      : []),
    `${p}_healthz_p50_ms=${f.healthP50Ms}`,
    `${p}_healthz_p99_ms=${f.healthP99Ms}`,
    `${p}_healthz_max_ms=${f.healthMaxMs}`,
    `${p}_healthz_failures=${f.healthFailures}`,
    `${p}_reached_bus=${f.reachedBus}`,
    `${p}_rows_stored_from_invalid=${f.rowsStoredFromInvalid}`,
  ].join(' ');
};
console.log(
  `RESULT database=${backend.name} ${results.map(short).join(' ')} problems=${problems.length} load1=${loadavg()[0]?.toFixed(2)}`,
);
process.exitCode = problems.length > 0 ? 1 : 0;
