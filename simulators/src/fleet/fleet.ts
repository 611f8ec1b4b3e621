/**
 * A fleet of light gates in one process (the agent's GateLink each, on an in-memory store): start them (a bounded number connecting at once, since each
 * login costs the broker a password hash), drive a visitor stream through them at a given rate, and stop them
 * cleanly. Every loop here is bounded in count and in time, so a run always ends by itself.
 */
import { createHash } from 'node:crypto';
import type { CredentialRef } from '@scenic/protocol';
import { LightGate } from './light-gate.js';
import { type GateLogin, mapLimited } from './provision.js';
import { sharedSiteDecoder } from './shared-decode.js';
import { DEFAULT_MIX, type FleetEvent, seededRandom, type VisitorMix, VisitorStream } from './visitors.js';

export interface FleetOptions {
  readonly brokerUrl: string;
  /** Gates connecting at once. */
  readonly connectConcurrency?: number;
  readonly onProblem?: (gate: LightGate, error: Error) => void;
}

export interface TrafficOptions {
  /** Scans per second per gate. */
  readonly ratePerGate: number;
  readonly durationMs: number;
  readonly mix?: VisitorMix;
  readonly seed?: number;
  /**
   * Share of admitted entries (0–1) that ask the cloud first (online validation) and carry its correlationId; the
   * credential asked about is a QR ticket id from `ticketIds` (or the stream's own id when none are given).
   */
  readonly validateShare?: number;
  readonly ticketIds?: readonly number[];
  /** After the duration, wait at most this long for the last PUBACKs and answers. */
  readonly drainMs?: number;
  /** Ends the traffic early (the drain still runs). */
  readonly signal?: AbortSignal;
  /** Return every event id sent (a long command-line run does without, so memory stays flat). */
  readonly keepEventIds?: boolean;
  /** Called for each online validation when it ends: when it was asked (monotonic clock, µs) and its round trip. */
  readonly onValidation?: (askedAtUs: bigint, rttMs: number, answered: boolean) => void;
}

export interface TrafficReport {
  readonly elapsedMs: number;
  readonly scans: number;
  readonly passages: number;
  readonly denials: number;
  /** Events the broker acknowledged (PUBACK). */
  readonly acknowledged: number;
  readonly failed: number;
  /** Events still waiting for their PUBACK when the drain time ran out. */
  readonly unacknowledged: number;
  readonly validation: ValidationStats;
  /** Every event id sent, with `keepEventIds`, so a caller can look them up in the cloud. */
  readonly eventIds: string[];
}

export interface ValidationStats {
  readonly sent: number;
  readonly answered: number;
  readonly timedOut: number;
  /** Round-trip times of the answered requests, ms, ascending. */
  readonly rttMs: number[];
}

const TICK_MS = 10;
const MAX_RTT_SAMPLES = 1_000_000;

export class Fleet {
  private constructor(readonly gates: LightGate[]) {}

  /** Connects every gate; if any cannot connect, the ones already up are stopped and the error is thrown. */
  static async start(logins: readonly GateLogin[], options: FleetOptions): Promise<Fleet> {
    const decode = sharedSiteDecoder();
    const gates = logins.map((login) => new LightGate({ brokerUrl: options.brokerUrl, login, decode }));
    for (const gate of gates) {
      gate.on('problem', (error) => options.onProblem?.(gate, error));
    }
    try {
      await mapLimited(gates, options.connectConcurrency ?? 25, (gate) => gate.start());
    } catch (error) {
      await Promise.all(gates.map((gate) => gate.stop()));
      throw error;
    }
    return new Fleet(gates);
  }

  get size(): number {
    return this.gates.length;
  }

  /** Resolves true once `predicate` holds for every gate, false when `timeoutMs` passed first. */
  async waitForAll(predicate: (gate: LightGate) => boolean, timeoutMs: number): Promise<boolean> {
    const deadline = performance.now() + timeoutMs;
    while (performance.now() < deadline) {
      if (this.gates.every(predicate)) return true;
      await sleep(20);
    }
    return this.gates.every(predicate);
  }

  async stop(): Promise<void> {
    await mapLimited(this.gates, 50, (gate) => gate.stop());
  }

  /**
   * Scans at `ratePerGate` on every gate for `durationMs`: one shared clock hands out the scans due, round-robin
   * over the gates, so the offered load is steady whatever the fleet size. Publishing does not wait for PUBACKs,
   * as a gate's outbox does not; the report counts what the broker acknowledged.
   */
  async runTraffic(options: TrafficOptions): Promise<TrafficReport> {
    const mix = options.mix ?? DEFAULT_MIX;
    const seed = options.seed ?? 1;
    const streams = this.gates.map(
      (gate, i) => new VisitorStream(gate.gateId, mix, seed + i, 1_000_000, options.ticketIds ?? []),
    );
    const chooser = seededRandom(seed ^ 0x5eed);
    const validateShare = options.validateShare ?? 0;
    const totalRate = options.ratePerGate * this.gates.length;
    const eventIds: string[] = [];
    let passages = 0;
    let denials = 0;
    let acknowledged = 0;
    let failed = 0;
    let validationSent = 0;
    let timedOut = 0;
    let answered = 0;
    const rttMs: number[] = [];
    const inFlight = new Set<Promise<void>>();

    const scan = async (gate: LightGate, event: FleetEvent): Promise<void> => {
      let sent: FleetEvent = event;
      if (
        event.type === 'passage' &&
        event.direction === 'in' &&
        validateShare > 0 &&
        chooser() < validateShare &&
        gate.connected
      ) {
        const credential: CredentialRef = { kind: 'qr', ticketId: event.ticketId };
        validationSent++;
        const askedAt = options.onValidation ? process.hrtime.bigint() / 1000n : 0n;
        const outcome = await gate.validate(credential, 'in');
        const response = outcome.response;
        options.onValidation?.(askedAt, outcome.rttMs, response !== undefined);
        if (response) {
          // Enough samples for any percentile; a day-long run must not keep every one.
          if (rttMs.length < MAX_RTT_SAMPLES) rttMs.push(outcome.rttMs);
          answered++;
          // The gate follows the cloud: a refusal becomes a denial event, an admit a passage that names the answer.
          sent =
            response.decision === 'admit'
              ? { ...event, decidedOffline: false, correlationId: response.correlationId }
              : {
                  type: 'denial',
                  v: 1,
                  eventId: event.eventId,
                  gateId: event.gateId,
                  at: event.at,
                  direction: event.direction,
                  reason: response.reason === 'OK' ? 'UNKNOWN_CREDENTIAL' : response.reason,
                  credentialKind: event.credentialKind,
                  ticketId: event.ticketId,
                  codeHash: createHash('sha256').update(`qr:${event.ticketId}`).digest('hex'),
                };
        } else {
          timedOut++;
          sent = { ...event, decidedOffline: true };
        }
      }
      if (options.keepEventIds) eventIds.push(sent.eventId);
      if (sent.type === 'passage') passages++;
      else denials++;
      try {
        await gate.publishEvent(sent);
        acknowledged++;
      } catch {
        failed++;
      }
    };

    const started = performance.now();
    let issued = 0;
    let next = 0;
    while (performance.now() - started < options.durationMs && !options.signal?.aborted) {
      const due = Math.min(
        Math.floor((totalRate * (performance.now() - started)) / 1_000),
        Math.ceil((totalRate * options.durationMs) / 1_000),
      );
      for (; issued < due; issued++) {
        const index = next++ % this.gates.length;
        const gate = this.gates[index]!;
        if (!gate.connected) continue;
        const job = scan(gate, streams[index]!.next(Date.now()));
        inFlight.add(job);
        void job.finally(() => inFlight.delete(job));
      }
      await sleep(TICK_MS);
    }
    const drainUntil = performance.now() + (options.drainMs ?? 30_000);
    while (inFlight.size > 0 && performance.now() < drainUntil) await sleep(20);
    rttMs.sort((a, b) => a - b);
    return {
      elapsedMs: performance.now() - started,
      scans: passages + denials,
      passages,
      denials,
      acknowledged,
      failed,
      unacknowledged: inFlight.size,
      validation: { sent: validationSent, answered, timedOut, rttMs },
      eventIds,
    };
  }
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
