/**
 * bench:protocol — how much the gate's credential check costs on top of the Ed25519 signature itself, and how fast the
 * rules engine decides. Everything runs on the main thread (one core). Raw crypto.verify and full verification are
 * measured in alternating rounds in the same process, so machine noise hits both alike; medians are reported.
 *
 * Prints one final line: RESULT verify_per_s=… raw_verify_per_s=… ratio=… decisions_per_s=…
 */
import { verify } from 'node:crypto';
import {
  base45Decode,
  checkQrCredential,
  createVenueClock,
  type DecideInput,
  decide,
  encodeQrCredential,
  generateSigningKey,
  type PassageRecord,
  PublicKeyring,
  QR_PAYLOAD_BYTES,
} from '../src/index.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const ROUND_MS = Number(process.env.BENCH_ROUND_MS ?? 600);
const CODES = 1024;

const signer = generateSigningKey(7);
const ring = new PublicKeyring();
ring.add(3, generateSigningKey(3).publicKey); // a retiring key beside the current one, as during a rotation
ring.add(7, signer.publicKey);

const now = Date.UTC(2026, 10, 25, 2, 0); // 10:00 Asia/Shanghai
const validFrom = Date.UTC(2026, 10, 25, 0, 0);
const validTo = Date.UTC(2026, 10, 26, 0, 0);
const codes: string[] = [];
const raw: { payload: Buffer; signature: Buffer }[] = [];
for (let i = 0; i < CODES; i++) {
  const text = encodeQrCredential(
    { ticketId: 1_000_000 + i, typeId: 12, validFrom, validTo, entries: 1, flags: 0 },
    signer,
  );
  codes.push(text);
  const bytes = base45Decode(text);
  raw.push({ payload: bytes.subarray(0, QR_PAYLOAD_BYTES), signature: bytes.subarray(QR_PAYLOAD_BYTES) });
}

/** Runs `op` in batches until `ms` elapse; returns operations per second. */
function rate(ms: number, op: (i: number) => boolean): number {
  let n = 0;
  let ok = 0;
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(ms) * 1_000_000n;
  let t = start;
  while (t < deadline) {
    for (let j = 0; j < 256; j++, n++) if (op(n)) ok++;
    t = process.hrtime.bigint();
  }
  if (ok !== n) throw new Error(`benchmark operation failed ${n - ok} of ${n} times`);
  return n / (Number(t - start) / 1e9);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const fullOp = (i: number) => checkQrCredential(codes[i & (CODES - 1)]!, ring, now).ok;
const rawOp = (i: number) => {
  const c = raw[i & (CODES - 1)]!;
  return verify(null, c.payload, signer.publicKey, c.signature);
};

// Warm both paths (JIT, key caches) before measuring.
rate(300, fullOp);
rate(300, rawOp);
const fullRates: number[] = [];
const rawRates: number[] = [];
for (let r = 0; r < ROUNDS; r++) {
  rawRates.push(rate(ROUND_MS, rawOp));
  fullRates.push(rate(ROUND_MS, fullOp));
}
const full = median(fullRates);
const rawRate = median(rawRates);

// A typical admit: a day ticket with hours, a daily limit and anti-passback, four earlier passages today.
const clock = createVenueClock('Asia/Shanghai');
const recent: PassageRecord[] = [
  { at: now - 3 * 3600_000, direction: 'in', gateId: 'g1' },
  { at: now - 2 * 3600_000, direction: 'out', gateId: 'g2' },
  { at: now - 1 * 3600_000, direction: 'in', gateId: 'g1' },
  { at: now - 1800_000, direction: 'out', gateId: 'g2' },
];
const input: DecideInput = {
  record: {
    ticketId: 42,
    typeId: 5,
    barcode: null,
    cardUid: null,
    status: 'active',
    validFrom,
    validTo,
    entriesTotal: 10,
    entriesUsed: 2,
    slot: null,
    persons: 1,
  },
  rules: {
    typeId: 5,
    name: { zh: '次卡', en: 'Count card' },
    weekdays: 0x7f,
    hours: [{ from: 8 * 60, to: 18 * 60 }],
    entriesPerDay: 5,
    antiPassbackSec: 60,
    strictAlternation: true,
    zones: ['main'],
    gates: [],
    slotEarlyMin: 0,
    slotLateMin: 0,
    exitFree: true,
  },
  gate: { siteId: 'site1', gateId: 'g1', zoneId: 'main', direction: 'in' },
  direction: 'in',
  now,
  clock,
  recent,
};
if (!decide(input).admit) throw new Error('benchmark decision should admit');
rate(300, () => decide(input).admit);
const decisionRates: number[] = [];
for (let r = 0; r < ROUNDS; r++) decisionRates.push(rate(ROUND_MS, () => decide(input).admit));
const decisions = median(decisionRates);

const fmt = (x: number) => Math.round(x).toString();
console.log(`full verifications/s (decode + signature + checks), median of ${ROUNDS}: ${fmt(full)}`);
console.log(`raw crypto.verify/s, same data, same run:                median of ${ROUNDS}: ${fmt(rawRate)}`);
console.log(
  `rules decisions/s (typical admit, 4 recent passages):     median of ${ROUNDS}: ${fmt(decisions)}`,
);
console.log(
  `RESULT verify_per_s=${fmt(full)} raw_verify_per_s=${fmt(rawRate)} ratio=${(full / rawRate).toFixed(3)} decisions_per_s=${fmt(decisions)} node=${process.version}`,
);
