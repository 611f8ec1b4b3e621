/**
 * bench:flood — one registered gate floods the real cloud (embedded broker, SQLite) at full speed with QoS 0
 * heartbeats, every other one garbage, while BENCH_GATES (20) other gates send BENCH_PASSAGES_PER_GATE (5) passages
 * a second each (flood.ts). A baseline of BENCH_BASELINE_SEC (5) s without the flood, then BENCH_FLOOD_SEC (20) s
 * with it. The cloud runs its default message budget with a back-off of BENCH_BACKOFF_SEC (2) s instead of 60, so
 * the gate is let back in and floods again every few seconds. BENCH_GATE_RATE / BENCH_GATE_BURST set the cloud's
 * budget instead of its default (100000 / 1000000 compare with no budget in effect).
 *
 * Goal (issue #11): while the gate floods, `/healthz` p99 ≤ 50 ms and the other gates' passages stored with p99
 * delay ≤ 1 s. Prints a table and one `RESULT` line; exits 1 when the goal is missed.
 */
import { cpus, loadavg } from 'node:os';
import { type PhaseResult, runFlood } from './flood.js';

const GATES = Number(process.env.BENCH_GATES ?? 20);
const PASSAGES_PER_GATE = Number(process.env.BENCH_PASSAGES_PER_GATE ?? 5);
const BASELINE_SEC = Number(process.env.BENCH_BASELINE_SEC ?? 5);
const FLOOD_SEC = Number(process.env.BENCH_FLOOD_SEC ?? 20);
const BACKOFF_SEC = Number(process.env.BENCH_BACKOFF_SEC ?? 2);
/** For a comparison: the cloud's MQTT_GATE_RATE / MQTT_GATE_BURST (e.g. 100000 / 1000000: in effect no budget). */
const CLOUD_ENV = {
  ...(process.env.BENCH_GATE_RATE ? { MQTT_GATE_RATE: process.env.BENCH_GATE_RATE } : {}),
  ...(process.env.BENCH_GATE_BURST ? { MQTT_GATE_BURST: process.env.BENCH_GATE_BURST } : {}),
};
const HEALTHZ_P99_GOAL_MS = 50;
const PASSAGE_P99_GOAL_MS = 1_000;

const load = () =>
  loadavg()
    .map((n) => n.toFixed(2))
    .join(' ');

console.log(
  `bench:flood — ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, load ${load()}; ` +
    `${GATES} gates × ${PASSAGES_PER_GATE} passages/s, baseline ${BASELINE_SEC} s, flood ${FLOOD_SEC} s, ` +
    `back-off ${BACKOFF_SEC} s${Object.keys(CLOUD_ENV).length > 0 ? `, cloud ${JSON.stringify(CLOUD_ENV)}` : ''}`,
);
const result = await runFlood({
  gates: GATES,
  passagesPerGate: PASSAGES_PER_GATE,
  baselineMs: BASELINE_SEC * 1_000,
  floodMs: FLOOD_SEC * 1_000,
  backoffSec: BACKOFF_SEC,
  env: CLOUD_ENV,
});

const row = (name: string, phase: PhaseResult) =>
  `${name.padEnd(10)} cloud ${phase.cloudCores} cores | healthz p50 ${phase.healthz.p50} ms, p99 ${phase.healthz.p99} ms, max ${phase.healthz.max} ms ` +
  `(${phase.healthz.count}, failed ${phase.healthzFailed}) | passages p50 ${phase.passages.p50} ms, p99 ${phase.passages.p99} ms, ` +
  `max ${phase.passages.max} ms (${phase.passages.count}, not acknowledged ${phase.passagesLost})`;
console.log(row('baseline', result.baseline));
console.log(row('flood', result.flood));
const floodRate = Math.round(result.flooder.sent / FLOOD_SEC);
console.log(
  `flooding gate: ${result.flooder.sent} messages onto its socket (${floodRate}/s), ${result.flooder.connects} ` +
    `connections, ${result.flooder.refused} logins refused; cloud refused ${result.overBudget} for the budget, ` +
    `cut it off ${result.floods} times; its communication log: ${result.commLogRows} rows; load ${load()}`,
);
const met =
  result.flood.healthz.p99 <= HEALTHZ_P99_GOAL_MS &&
  result.flood.passages.p99 <= PASSAGE_P99_GOAL_MS &&
  result.flood.passagesLost === 0 &&
  result.flood.healthzFailed === 0;
console.log(
  [
    'RESULT',
    `healthz_p99_ms=${result.flood.healthz.p99}`,
    `passage_p99_ms=${result.flood.passages.p99}`,
    `passages=${result.flood.passages.count}`,
    `passages_lost=${result.flood.passagesLost}`,
    `baseline_healthz_p99_ms=${result.baseline.healthz.p99}`,
    `baseline_passage_p99_ms=${result.baseline.passages.p99}`,
    `cloud_cores=${result.flood.cloudCores}`,
    `baseline_cloud_cores=${result.baseline.cloudCores}`,
    `flood_msgs=${result.flooder.sent}`,
    `flood_msgs_per_s=${floodRate}`,
    `over_budget=${result.overBudget}`,
    `cut_offs=${result.floods}`,
    `logins_refused=${result.flooder.refused}`,
    `comm_log_rows=${result.commLogRows}`,
    `load1=${loadavg()[0]?.toFixed(2)}`,
    `goal=${met ? 'met' : 'missed'}`,
  ].join(' '),
);
process.exit(met ? 0 : 1);
