/**
 * Hostile frames at the cloud's MQTT side, on the embedded broker and on Mosquitto, on each database backend: invalid
 * payloads on every gate → cloud topic of a logged-in gate, and raw malformed packets on the broker's socket (see
 * testing/fuzz-run.ts). Whatever arrives: the cloud keeps running, /healthz answers 200 throughout, memory does not
 * grow with the frames, nothing is stored from an invalid message, logins without valid credentials are refused, and
 * a well-behaved gate stays connected and is still heard. A short run (a few thousand frames per combination); `npm
 * run bench:mqtt-fuzz` runs 100,000.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseBackends, type TestDatabase } from '../db/testing.js';
import { GATE_TO_CLOUD, payloadFuzzer, protocolGateToCloud } from './testing/fuzz-payloads.js';
import {
  type FuzzBroker,
  type FuzzEnvironment,
  type FuzzFigures,
  figuresLine,
  mosquittoAvailable,
  runMqttFuzz,
  startFuzzEnvironment,
} from './testing/fuzz-run.js';

const PAYLOAD_FRAMES = 3_000;
const RAW_FRAMES = 1_000;
/** Heap growth (after a full GC) tolerated over a run: far below what keeping anything per frame would cost. */
const HEAP_GROWTH_MB = 24;

const brokers: { broker: FuzzBroker; available: boolean }[] = [
  { broker: 'embedded', available: true },
  { broker: 'mosquitto', available: mosquittoAvailable() },
];

describe('the payload fuzzer', () => {
  it('hands out only payloads the protocol refuses on their topic, of every kind, on every gate → cloud topic', () => {
    const fuzzer = payloadFuzzer({ siteId: 'park', gateId: 'G01', otherGateId: 'G02', seed: 1 });
    const kinds = new Set<string>();
    const topics = new Set<string>();
    for (let i = 0; i < 3_000; i++) {
      const frame = fuzzer.next();
      kinds.add(frame.kind);
      topics.add(frame.topic);
    }
    expect(kinds.size).toBe(11);
    expect([...GATE_TO_CLOUD].sort()).toEqual(protocolGateToCloud().sort());
    expect(topics.size).toBe(GATE_TO_CLOUD.length);
  });
});

describe.each(databaseBackends())('MQTT fuzzing on $name', (backend) => {
  describe.each(brokers)('through the $broker broker', ({ broker, available }) => {
    let test: TestDatabase;
    let env: FuzzEnvironment;
    let figures: FuzzFigures;

    beforeAll(async () => {
      if (!available) return;
      test = await backend.create();
      env = await startFuzzEnvironment(broker, test);
      figures = await runMqttFuzz(env, {
        payloadFrames: PAYLOAD_FRAMES,
        rawFrames: RAW_FRAMES,
        seed: 20261207,
      });
      console.log(`mqtt fuzz ${backend.name}: ${figuresLine(figures)}`);
    }, 150_000);
    afterAll(async () => {
      await env?.close();
      await test?.dispose();
    });

    it.skipIf(!available)('stores nothing from invalid input', () => {
      expect(figures.writesOutsideLog).toEqual({});
      expect(figures.acceptedLogRows).toBe(0);
      expect(figures.rowsStoredFromInvalid).toBe(0);
      // The frames did reach the cloud (a broker's queue or a per-gate budget may drop some).
      expect(figures.reachedBus).toBeGreaterThan(PAYLOAD_FRAMES / 4);
    });

    it.skipIf(!available)('keeps /healthz answering, memory bounded and other clients working', () => {
      expect(figures.framesSent).toBeGreaterThanOrEqual(PAYLOAD_FRAMES + RAW_FRAMES);
      expect(figures.healthChecks).toBeGreaterThan(0);
      expect(figures.healthFailures).toBe(0);
      expect(figures.heapAfterMb - figures.heapBeforeMb).toBeLessThan(HEAP_GROWTH_MB);
      expect(figures.bystanderDrops).toBe(0);
      expect(figures.bystanderHeard).toBe(true);
      expect(figures.unauthorisedRefused).toBe(figures.unauthorisedTried);
    });
  });
});
