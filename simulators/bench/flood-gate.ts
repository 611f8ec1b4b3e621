/**
 * The flooding gate of bench:flood (flood.ts), as a process of its own so that it floods at full speed without
 * taking the measuring process's event loop: a registered gate's own login, publishing QoS 0 heartbeats on its
 * own topic as fast as its socket takes them, every other one garbage. When the cloud cuts it off it reconnects
 * at once (every 100 ms) and floods again as soon as it is let back in.
 *
 * Environment: FLOOD_URL, FLOOD_SITE, FLOOD_GATE, FLOOD_USERNAME, FLOOD_PASSWORD. Prints `flooding` once first
 * connected; on SIGTERM one JSON line (messages sent, connections made, logins refused) and exits.
 */
import { encodeMessage, gateTopic, type Heartbeat } from '@scenic/protocol';
import mqtt from 'mqtt';

const env = (name: string) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};
const site = env('FLOOD_SITE');
const gate = env('FLOOD_GATE');
const topic = gateTopic(site, gate, 'heartbeat');
const beat: Heartbeat = {
  type: 'heartbeat',
  v: 1,
  gateId: gate,
  at: Date.now(),
  uptimeSec: 1,
  counters: { scans: 0, admits: 0, denies: 0 },
  outboxDepth: 0,
  whitelistVersion: 1,
  configVersion: 1,
};
const valid = encodeMessage(beat, 'heartbeat');
const garbage = Buffer.from('{"type":"heartbeat","gateId":');

let sent = 0;
let connects = 0;
let refused = 0;

const client = mqtt.connect(env('FLOOD_URL'), {
  clientId: `sg-${site}-${gate}`,
  username: env('FLOOD_USERNAME'),
  password: env('FLOOD_PASSWORD'),
  clean: true,
  reconnectPeriod: 100,
  // Keeps trying while the cloud refuses it (mqtt.js gives up after a refused login by default).
  reconnectOnConnackError: true,
  connectTimeout: 5_000,
  // Offline messages are not queued: a flood only counts what reached a socket.
  queueQoSZero: false,
});
client.on('connect', () => {
  // The bench starts measuring once the flood runs.
  if (connects++ === 0) process.stdout.write('flooding\n');
  flood();
});
let errors = 0;
client.on('error', (error: Error & { code?: number }) => {
  if (error.code === 3) refused++;
  // A connection reset is the cloud cutting it off; anything else (a bad login) is the bench's mistake.
  else if (!/ECONNRESET|EPIPE/.test(error.message) && errors++ < 3)
    process.stderr.write(`flooding gate: ${error.message}\n`);
});

/** Publishes while connected, pausing only when the socket's buffer is full. */
function flood(): void {
  const stream = client.stream;
  const run = () => {
    if (!client.connected || client.stream !== stream) return;
    for (let i = 0; i < 256; i++) {
      client.publish(topic, sent % 2 === 0 ? valid : garbage, { qos: 0 });
      sent++;
    }
    if (stream.writableNeedDrain) stream.once('drain', run);
    else setImmediate(run);
  };
  run();
}

// Alive until told to stop, whatever the connection does.
const alive = setInterval(() => undefined, 60_000);
process.on('exit', (code) => {
  clearInterval(alive);
  if (code !== 0) process.stderr.write(`flooding gate: exit ${code}\n`);
});
process.on('uncaughtException', (error) => {
  process.stderr.write(`flooding gate: ${error.stack ?? error.message}\n`);
});

process.on('SIGTERM', () => {
  // A pipe's write is synchronous on Linux: the report is out before the exit.
  process.stdout.write(`${JSON.stringify({ sent, connects, refused })}\n`);
  process.exit(0);
});
