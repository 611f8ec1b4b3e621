/**
 * bench:gate — the gate's hot path at full scale: a 1,000,000-entry whitelist loaded as a chunked snapshot, then
 * scans through the real core on the agent's in-memory devices (drivers/testing.ts), measuring scan → relay-release
 * latency for admits and scan → LED latency for refusals, and the process's peak RSS. Run with `npm run bench:gate`
 * (same V8 flags as the service).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { barcodeCheckDigit } from '@scenic/protocol';
import { GateCore } from '../src/core/gate-core.js';
import { SILENT_LOG, testConfig, testQr } from '../src/core/testing.js';
import { startGateHardware, stopGateHardware } from '../src/drivers/index.js';
import { fakeHardware } from '../src/drivers/testing.js';
import { WhitelistSync } from '../src/link/whitelist-sync.js';
import { GateStore } from '../src/store/gate-store.js';
import { testRecord } from '../src/store/testing.js';

const RECORDS = Number(process.env.BENCH_RECORDS ?? 1_000_000);
const CHUNK = 2_000;
const ADMITS = 400;
const DENIALS = 400;

const dir = mkdtempSync(join(tmpdir(), 'bench-gate-'));
const store = new GateStore(join(dir, 'gate.db'));
store.saveConfig(testConfig({ relayPulseMs: 50 }));

/** Derived from the id rather than kept in an array, so the bench holds no per-record memory of its own. */
function barcodeOf(id: number): string {
  const digits = String(10_000_000_000 + id);
  return `${digits}${barcodeCheckDigit(digits)}`;
}

// Every other record has a barcode, every third a card: the index mix of a real venue.
const sync = new WhitelistSync({
  whitelist: store.whitelist,
  request: () => {},
  log: SILENT_LOG,
  now: Date.now,
});
const loadStart = performance.now();
const chunks = RECORDS / CHUNK;
for (let c = 0; c < chunks; c++) {
  const records = [];
  for (let i = 0; i < CHUNK; i++) {
    const id = c * CHUNK + i + 1;
    records.push(
      testRecord(id, {
        typeId: id % 4 === 0 ? 3 : 1,
        barcode: id % 2 === 0 ? barcodeOf(id) : null,
        cardUid: id % 3 === 0 ? `04${id.toString(16).toUpperCase().padStart(12, '0')}` : null,
        entriesTotal: id % 4 === 0 ? 10 : 1,
      }),
    );
  }
  sync.onSnapshotChunk({
    type: 'whitelist_snapshot',
    v: 1,
    snapshotId: 'bench',
    version: 1,
    chunk: c,
    chunks,
    records,
  });
}
const loadSeconds = (performance.now() - loadStart) / 1000;
sync.stop();
console.log(`snapshot: ${store.whitelist.count()} records in ${loadSeconds.toFixed(2)} s`);

const lookups = 100_000;
const lookupStart = performance.now();
for (let i = 0; i < lookups; i++)
  store.whitelist.byBarcode(barcodeOf(2 * (1 + ((i * 7919) % (RECORDS / 2)))));
const lookupUs = ((performance.now() - lookupStart) * 1000) / lookups;
console.log(`barcode lookup: ${lookupUs.toFixed(1)} µs each`);

const gate = fakeHardware({ autoPassAfterMs: 0, recycler: false });
await startGateHardware(gate.hardware);
const core = new GateCore({
  hardware: gate.hardware,
  store,
  siteId: 'park',
  gateId: 'G01',
  scanDirection: 'in',
  log: SILENT_LOG,
  voice: false,
});
await core.start();

async function timeScan(code: string, admit: boolean): Promise<number> {
  const start = performance.now();
  const reacted = new Promise<number>((resolve) => {
    if (admit) gate.relays.entry.once('change', () => resolve(performance.now()));
    else gate.led.once('shown', () => resolve(performance.now()));
  });
  const done = new Promise((resolve) => core.once('outcome', resolve));
  gate.scanner.scan(code);
  const at = await reacted;
  await done;
  // The virtual visitor only walks through a release that starts from closed.
  while (gate.relays.entry.state) await new Promise((resolve) => setTimeout(resolve, 1));
  return at - start;
}

const admitMs: number[] = [];
const denyMs: number[] = [];
for (let i = 0; i < ADMITS; i++) {
  const id = 2 * (1 + ((i * 104_729) % (RECORDS / 2))); // even ids have barcodes
  const code = i % 2 === 0 ? barcodeOf(id) : testQr({ ticketId: RECORDS + 1 + i });
  admitMs.push(await timeScan(code, true));
}
for (let i = 0; i < DENIALS; i++) {
  const code = i % 2 === 0 ? '407182539617' : `${testQr().slice(0, 60)}A${testQr().slice(61)}`;
  denyMs.push(await timeScan(code, false));
}
await core.stop();
await stopGateHardware(gate.hardware);
store.close();
rmSync(dir, { recursive: true, force: true });

const pct = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};
const peakRssMb = process.resourceUsage().maxRSS / 1024;
console.log(
  `admit  scan→relay: p50 ${pct(admitMs, 50).toFixed(2)} ms, p99 ${pct(admitMs, 99).toFixed(2)} ms`,
);
console.log(`refuse scan→LED:   p50 ${pct(denyMs, 50).toFixed(2)} ms, p99 ${pct(denyMs, 99).toFixed(2)} ms`);
console.log(`peak RSS ${peakRssMb.toFixed(0)} MB`);
console.log(
  `RESULT records=${RECORDS} snapshot_s=${loadSeconds.toFixed(2)} lookup_us=${lookupUs.toFixed(1)} ` +
    `admit_p50_ms=${pct(admitMs, 50).toFixed(2)} admit_p99_ms=${pct(admitMs, 99).toFixed(2)} ` +
    `deny_p50_ms=${pct(denyMs, 50).toFixed(2)} deny_p99_ms=${pct(denyMs, 99).toFixed(2)} peak_rss_mb=${peakRssMb.toFixed(0)}`,
);
