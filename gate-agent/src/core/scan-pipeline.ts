import { randomUUID } from 'node:crypto';
import {
  admitTexts,
  type CredentialKind,
  type CredentialRecord,
  type CredentialRef,
  type Decision,
  type DecisionReason,
  type Direction,
  decide,
  type GateTexts,
  GROUP_IDLE_DEFAULT_MS,
  type LedLines,
  type PassageEvent,
  reasonTexts,
  type TicketTypeRules,
  type ValidateResponse,
} from '@scenic/protocol';
import { crashPoint } from '../crash-points.js';
import type { PassageSensor } from '../drivers/index.js';
import type { GateModes } from './gate-modes.js';
import { countPassages } from './group-pass.js';
import type { LaneOutputs } from './lane-outputs.js';
import { idleLed, staffCheckLed } from './mode-texts.js';
import type { CredentialCache, Log, OnlineValidator, ScanJournal, UsageHistory } from './ports.js';
import type { Resolved } from './resolve-credential.js';

/** How one scan ended, for the log, the simulator UI and tests. */
export interface ScanOutcome {
  readonly admit: boolean;
  readonly reason: DecisionReason;
  readonly kind: CredentialKind | null;
  readonly ticketId: number | null;
  /** For admits: whether the person went through (false = NO_PASSAGE); null for denials. */
  readonly passed: boolean | null;
  /** For admits that passed: the headcount (a group pass may count fewer than it admitted); null otherwise. */
  readonly persons: number | null;
  readonly entriesLeft: number | null;
  readonly decidedOffline: boolean;
  readonly correlationId: string | null;
}

export interface ScanPipelineOptions {
  readonly store: CredentialCache & UsageHistory & ScanJournal;
  readonly modes: GateModes;
  readonly outputs: LaneOutputs;
  readonly passage: PassageSensor;
  readonly online: OnlineValidator | undefined;
  readonly gateId: string;
  /** The way this lane's scanner and card reader face. */
  readonly scanDirection: Direction;
  readonly log: Log;
  readonly now: () => number;
  /** Local overrides of the config's turnstile timing. */
  readonly relayPulseMs: number | undefined;
  readonly passageTimeoutMs: number | undefined;
  /** Local override of the config's group idle timeout (a group pass ends after this long without a person). */
  readonly groupIdleMs: number | undefined;
  /** Admits and refusals are counted here (the heartbeat reports them). */
  readonly counters: { admits: number; denies: number };
  /** An event was written to the outbox. */
  readonly onEvent: () => void;
}

/** Reasons that mean "this credential has no permission at this gate" (deny-unauthorized switches their handling). */
const UNAUTHORIZED: ReadonlySet<DecisionReason> = new Set(['WRONG_ZONE', 'WRONG_GATE']);

/** How a credential was decided: the decision, the record it was made on, and whether the cloud made it. */
interface Verdict {
  readonly decision: Decision;
  readonly record: CredentialRecord | null;
  readonly decidedOffline: boolean;
  readonly correlationId: string | null;
}

interface Refusal {
  readonly ticketId: number | null;
  readonly reason: DecisionReason;
  /** Instead of the reason's own texts (a staff check). */
  readonly texts?: { readonly led: LedLines; readonly voice: string };
  readonly entriesLeft?: number | null;
  /** The visitor was admitted but did not pass (NO_PASSAGE). */
  readonly admitted?: boolean;
  /** The admit intent this NO_PASSAGE settles. */
  readonly settlesIntent?: string;
}

/**
 * One scan or card read, start to end, after the credential was resolved: the mode, the lane's stuck input, the
 * credential itself; then online for stateful credentials when it can, else locally; release the turnstile, wait
 * for the person, record the passage and its event in one transaction, announce. Refusals are shown, spoken and
 * recorded as denial events.
 *
 * A group code (persons > 1) is a group pass: admitted for up to Decision.persons persons, released once per person
 * (a released turnstile lets one through, so the count is exact), ended by the last of them or by the group idle
 * timeout, and reported as ONE passage whose `persons` is the headcount. Its entries count in persons, so only the
 * persons counted are used and the rest stay on the code for its next scan. Crash safety: before each further
 * release the admit intent is rewritten with the headcount so far, so a restart reports exactly the persons counted
 * plus the one release nobody saw through (which uses an entry per the type's `unconfirmedUsesEntry`) — no person
 * counted is lost and none is invented beyond the one uncertain release.
 */
export class ScanPipeline {
  readonly #o: ScanPipelineOptions;

  constructor(options: ScanPipelineOptions) {
    this.#o = options;
  }

  async run(resolved: Resolved): Promise<ScanOutcome> {
    const { modes, outputs } = this.#o;
    const mode = modes.scanMode;
    const ticketId = resolved.ok ? (resolved.record?.ticketId ?? null) : resolved.ticketId;
    if (mode === 'locked' || mode === 'always_closed') {
      return this.#deny(resolved, { ticketId, reason: mode === 'locked' ? 'GATE_LOCKED' : 'GATE_CLOSED' });
    }
    if (mode === 'always_open' || mode === 'emergency_open') {
      // The turnstile is held open: nobody needs a credential, and nothing is counted.
      outputs.show(idleLed(mode, outputs.ledLanguage()), mode === 'emergency_open' ? 'red' : 'green');
      if (resolved.kind === 'card') await outputs.returnCard();
      return outcome({ admit: true, reason: 'OK', kind: resolved.kind, ticketId });
    }
    if (outputs.laneStuck()) return this.#deny(resolved, { ticketId, reason: 'OUT_OF_SERVICE' });
    if (!resolved.ok) {
      this.#o.log.info({ reason: resolved.reason, detail: resolved.detail }, 'scan not a valid credential');
      return this.#deny(resolved, { ticketId, reason: resolved.reason });
    }
    const rules = resolved.record ? (modes.active!.rules.get(resolved.record.typeId) ?? null) : null;
    const verdict = await this.#decide(resolved, rules);
    const { decision } = verdict;
    if (decision.admit) return this.#admit(resolved, verdict, rules);
    if (!UNAUTHORIZED.has(decision.reason)) {
      return this.#deny(resolved, { ticketId, reason: decision.reason, entriesLeft: decision.entriesLeft });
    }
    if (modes.denyUnauthorized) return this.#deny(resolved, { ticketId, reason: 'UNAUTHORIZED_DENIED' });
    // Not refused outright: the LED names the ticket type and staff decide whether to let the visitor in.
    const led = staffCheckLed(rules?.name ?? null, outputs.ledLanguage());
    const voice = reasonTexts(decision.reason).voice[outputs.voiceLanguage()];
    return this.#deny(resolved, { ticketId, reason: decision.reason, texts: { led, voice } });
  }

  /**
   * The record as this gate knows it (plus the entries it consumed that the cloud's copy may lack), then the
   * cloud's answer when the credential is stateful and the cloud answers in time, else the local rules.
   */
  async #decide(resolved: Extract<Resolved, { ok: true }>, rules: TicketTypeRules | null): Promise<Verdict> {
    const { store, modes, scanDirection: direction } = this.#o;
    const active = modes.active!;
    let record = resolved.record;
    if (record)
      record = { ...record, entriesUsed: record.entriesUsed + store.pendingEntries(record.ticketId) };
    const answer =
      record && rules && this.#asksCloud(record, rules) ? await this.#askCloud(resolved.ref) : null;
    if (answer) {
      if (answer.record) {
        store.refreshRecord(answer.record);
        record = answer.record;
      }
      const decision = cloudDecision(answer, { record, rules, direction });
      return { decision, record, decidedOffline: false, correlationId: answer.correlationId };
    }
    const now = this.#o.now();
    const decision = decide({
      record,
      rules,
      gate: active.gate,
      direction,
      now,
      clock: active.clock,
      recent: record ? store.recentPassages(record.ticketId, now) : [],
      // The site's automatic check-out, applied here at the same local instant as in the cloud (offline too).
      checkoutMinute: active.checkoutMinute,
    });
    return { decision, record, decidedOffline: true, correlationId: null };
  }

  #asksCloud(record: CredentialRecord, rules: TicketTypeRules): boolean {
    const online = this.#o.modes.active?.config.onlineValidation;
    if (!this.#o.online || !online?.enabled) return false;
    if (this.#o.scanDirection === 'out' && rules.exitFree) return false;
    return (
      record.entriesTotal !== null ||
      record.activation !== undefined ||
      rules.entriesPerDay !== null ||
      rules.visitDays !== undefined ||
      rules.reentry !== undefined ||
      rules.antiPassbackSec > 0 ||
      rules.strictAlternation
    );
  }

  async #askCloud(ref: CredentialRef): Promise<ValidateResponse | null> {
    const deadlineMs = this.#o.modes.active!.config.onlineValidation.deadlineMs;
    try {
      return await this.#o.online!.validate(ref, this.#o.scanDirection, deadlineMs);
    } catch (err) {
      this.#o.log.warn({ err }, 'online validation failed; deciding locally');
      return null;
    }
  }

  async #admit(
    resolved: Extract<Resolved, { ok: true }>,
    verdict: Verdict,
    rules: TicketTypeRules | null,
  ): Promise<ScanOutcome> {
    const { outputs, scanDirection: direction } = this.#o;
    const { decision, decidedOffline, correlationId } = verdict;
    const record = verdict.record!;
    const config = this.#o.modes.active!.config;
    // Entries are used on the way in of a limited credential: one per person of a group code (counted in persons),
    // one for anything else (which admits one person).
    const counted = direction === 'in' && record.entriesTotal !== null;
    const admitted = Math.max(1, decision.persons);
    const used = (persons: number) => (counted ? (record.persons > 1 ? persons : 1) : 0);
    const leftBefore = decision.entriesLeft === null ? null : decision.entriesLeft + used(admitted);
    // The release nobody saw through, if the agent dies before the sensor speaks: the type's policy.
    const uncertain = counted && (rules?.unconfirmedUsesEntry ?? true) ? 1 : 0;
    const eventId = randomUUID();
    const passageEvent = (at: number, persons: number, entries: number): PassageEvent => ({
      type: 'passage',
      v: 1,
      eventId,
      gateId: this.#o.gateId,
      at,
      ticketId: record.ticketId,
      credentialKind: resolved.kind,
      direction,
      persons,
      entriesLeft: leftBefore === null ? null : Math.max(0, leftBefore - entries),
      decidedOffline,
      correlationId,
    });
    const releasedAt = this.#o.now();
    // After `passed` persons were counted and the turnstile is released once more.
    const intent = (passed: number) => {
      const entries = (counted ? passed : 0) + uncertain;
      return { event: { ...passageEvent(releasedAt, passed + 1, entries), unconfirmed: true }, entries };
    };
    crashPoint('before-pulse');
    // Written down before the relay fires: a crash from here until the passage is settled leaves this row, and the
    // next start reports it as an unconfirmed passage — the visitor may be inside — instead of losing it.
    this.#o.store.recordAdmitIntent(intent(0));
    const pulseMs = this.#o.relayPulseMs ?? config.relayPulseMs;
    outputs.release(pulseMs);
    outputs.announce(decision, 'green');
    crashPoint('after-pulse');
    const swallow = direction === 'out' && resolved.kind === 'card' && record.entriesTotal === 1;
    // A reusable card (member, count, period) goes back before the visitor walks, or it would stay in the slot.
    if (resolved.kind === 'card' && !swallow) await outputs.returnCard();
    const pass = await countPassages(this.#o.passage, {
      direction,
      max: admitted,
      firstTimeoutMs: this.#o.passageTimeoutMs ?? config.passageTimeoutMs,
      idleMs: this.#o.groupIdleMs ?? config.groupIdleMs ?? GROUP_IDLE_DEFAULT_MS,
      onPerson: (passed) => {
        // The headcount on disk before the turnstile lets the next person through.
        this.#o.store.updateAdmitIntent(intent(passed));
        outputs.release(pulseMs);
      },
    });
    if (pass.count === 0) {
      this.#o.log.info({ ticketId: record.ticketId }, 'admitted but nobody passed');
      return this.#deny(resolved, {
        ticketId: record.ticketId,
        reason: 'NO_PASSAGE',
        entriesLeft: leftBefore,
        admitted: true,
        settlesIntent: eventId,
      });
    }
    crashPoint('after-sensor');
    const entries = used(pass.count);
    // The passage says the recycler kept the card, so the cloud frees it for another sale (protocol cardRecycled).
    const recycled = swallow && outputs.willKeepCard();
    const event: PassageEvent = {
      ...passageEvent(pass.lastAt!, pass.count, entries),
      ...(recycled && { cardRecycled: true }),
    };
    this.#o.store.recordPassage(event, { entries });
    crashPoint('after-store');
    this.#o.counters.admits++;
    this.#o.onEvent();
    if (pass.count < admitted)
      this.#o.log.info(
        { ticketId: record.ticketId, admitted, passed: pass.count },
        'group pass ended before all admitted persons passed',
      );
    // A single-use card has done its job once its holder is out: keep it for reissue.
    if (swallow) await outputs.keepCard();
    return outcome({
      admit: true,
      reason: 'OK',
      kind: resolved.kind,
      ticketId: record.ticketId,
      passed: true,
      persons: pass.count,
      entriesLeft: event.entriesLeft,
      decidedOffline,
      correlationId,
    });
  }

  async #deny(resolved: Resolved, refusal: Refusal): Promise<ScanOutcome> {
    const { outputs } = this.#o;
    const { ticketId, reason } = refusal;
    if (refusal.texts) {
      outputs.show(refusal.texts.led, 'red');
      outputs.say(refusal.texts.voice);
    } else {
      outputs.announce(reasonTexts(reason), 'red');
    }
    this.#o.counters.denies++;
    if (reason !== 'OK') {
      this.#o.store.recordDenial(
        {
          type: 'denial',
          v: 1,
          eventId: randomUUID(),
          gateId: this.#o.gateId,
          at: this.#o.now(),
          direction: this.#o.scanDirection,
          reason,
          credentialKind: resolved.kind,
          ticketId,
          codeHash: resolved.codeHash,
        },
        refusal.settlesIntent === undefined ? {} : { settlesIntent: refusal.settlesIntent },
      );
      this.#o.onEvent();
    }
    if (resolved.kind === 'card') await outputs.returnCard();
    return outcome({
      admit: false,
      reason,
      kind: resolved.kind,
      ticketId,
      passed: refusal.admitted ? false : null,
      entriesLeft: refusal.entriesLeft ?? null,
    });
  }
}

/** The cloud's online answer as a Decision, with the same LED and voice texts a local decision would have. */
function cloudDecision(
  answer: ValidateResponse,
  on: {
    readonly record: CredentialRecord | null;
    readonly rules: TicketTypeRules | null;
    readonly direction: Direction;
  },
): Decision {
  if (answer.decision === 'deny') {
    const texts = reasonTexts(answer.reason);
    return { admit: false, reason: answer.reason, entriesLeft: answer.entriesLeft, persons: 0, ...texts };
  }
  // A group code: the persons the cloud holds for this gate (an older cloud does not say: the record's persons).
  const persons = answer.persons ?? on.record?.persons ?? 1;
  const group = (on.record?.persons ?? 1) > 1;
  const total = on.record?.entriesTotal ?? null;
  const countLeft =
    !group && total !== null && total > 1 && answer.entriesLeft !== null ? answer.entriesLeft : -1;
  const texts: GateTexts = on.rules
    ? admitTexts(on.rules, on.direction, countLeft, persons)
    : reasonTexts('OK');
  return {
    admit: true,
    reason: 'OK',
    entriesLeft: answer.entriesLeft,
    persons,
    led: texts.led,
    voice: texts.voice,
  };
}

/** A ScanOutcome; what is left out was not decided online and says nothing about a passage or a count. */
function outcome(
  fields: Pick<ScanOutcome, 'admit' | 'reason' | 'kind' | 'ticketId'> & Partial<ScanOutcome>,
): ScanOutcome {
  return {
    admit: fields.admit,
    reason: fields.reason,
    kind: fields.kind,
    ticketId: fields.ticketId,
    passed: fields.passed ?? null,
    persons: fields.persons ?? null,
    entriesLeft: fields.entriesLeft ?? null,
    decidedOffline: fields.decidedOffline ?? true,
    correlationId: fields.correlationId ?? null,
  };
}
