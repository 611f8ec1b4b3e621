/**
 * A barcode or QR scanner plugged in as a keyboard types a code as a burst of keys, usually ended by Enter. This
 * hook tells such bursts from a person typing (the approach of Odoo's barcode service): every keydown of the page
 * is watched; a burst starts with two keys within `maxGapMs`, goes on while keys follow within `idleMs` (a busy PC or
 * a wireless scanner may stall for a moment), and is a scan when it has at least `minLength` characters typed fast —
 * most gaps within `maxGapMs` — and ends with Enter or Tab, or, typed at the page rather than into a field, after
 * `idleMs` without a key. Times are the events' own (`timeStamp`), so a busy page does not split a burst.
 *
 * - Keys aimed at the page itself (not at a text field) are held back until it is clear they are not a scan: a scan
 *   never reaches the page's own shortcuts, and a person's key reaches them `maxGapMs` late (`onKey`, `released`).
 * - Keys aimed at a text field are left alone: the field gets them as typed. Only a burst that ends with Enter or Tab
 *   is taken as a scan, and then the field gets back the text it had before the burst.
 * - An element inside `[data-scanner="off"]` (a field for an ID card reader that types the number) is never watched.
 *
 * The detection itself is pure (`pressKey`, `idleTick`) and unit-tested; the hook only wires it to the document.
 */
import { useEffect, useRef } from 'react';

export interface ScannerOptions {
  /** "Typed fast": a scanner types a key every few ms, a person every 100 or so. A burst's usual gap is within this. */
  readonly maxGapMs: number;
  /** The longest pause inside a burst; a burst without Enter/Tab ends after this long without a key. */
  readonly idleMs: number;
  /** Shortest code. */
  readonly minLength: number;
}

export const SCANNER_DEFAULTS: ScannerOptions = { maxGapMs: 30, idleMs: 100, minLength: 3 };

export type KeyKind = 'char' | 'end' | 'other' | 'ignore';

/** Printable characters are `char`; Enter and Tab end a burst; modifiers alone (Shift for capitals) do nothing. */
export function keyKind(event: {
  key: string;
  ctrlKey?: boolean;
  altKey?: boolean;
  metaKey?: boolean;
  isComposing?: boolean;
}): KeyKind {
  const { key } = event;
  if (event.isComposing || key === 'Process' || key === 'Unidentified' || key === 'Dead') return 'ignore';
  if (['Shift', 'Control', 'Alt', 'Meta', 'CapsLock', 'AltGraph'].includes(key)) return 'ignore';
  if (event.ctrlKey || event.altKey || event.metaKey) return 'other';
  if (key === 'Enter' || key === 'Tab') return 'end';
  return [...key].length === 1 ? 'char' : 'other';
}

export interface ScannerState {
  readonly keys: readonly string[];
  /** When the last key of the buffer came. */
  readonly lastAt: number;
  /** The pauses between the buffer's keys. */
  readonly gaps: readonly number[];
  /** The buffer was typed into a text field (left there) rather than at the page (held back). */
  readonly editable: boolean;
}

export const NO_BURST: ScannerState = { keys: [], lastAt: 0, gaps: [], editable: false };

/** Long enough and typed fast: at least half the pauses (and, for a short code, every one) within maxGapMs. */
export function isBurst(state: ScannerState, options: ScannerOptions): boolean {
  if (state.keys.length < options.minLength) return false;
  const sorted = [...state.gaps].sort((a, b) => a - b);
  return (sorted[Math.floor(sorted.length / 2)] ?? 0) <= options.maxGapMs;
}

export type ScannerEffect =
  | { readonly type: 'scan'; readonly code: string; readonly editable: boolean }
  /** Held keys that turned out to be a person's: deliver them to the page, in order. */
  | { readonly type: 'release'; readonly keys: readonly string[] };

export interface ScannerStep {
  readonly state: ScannerState;
  readonly effects: readonly ScannerEffect[];
  /** preventDefault this key: held back (a character at the page) or the end of a scan. */
  readonly consume: boolean;
  /** Run `idleTick` after this many ms (null: nothing pending). */
  readonly wakeInMs: number | null;
}

export interface KeyPress {
  readonly key: string;
  readonly kind: KeyKind;
  readonly at: number;
  readonly editable: boolean;
}

/** What a finished buffer was: a scan, keys to hand to the page, or (typed into a field) nothing to do. */
function finish(state: ScannerState, options: ScannerOptions, ended: boolean): ScannerEffect[] {
  if (state.keys.length === 0) return [];
  // A text field's burst is a scan only when the scanner ended it; otherwise it was typing, already in the field.
  if (isBurst(state, options) && (ended || !state.editable))
    return [{ type: 'scan', code: state.keys.join(''), editable: state.editable }];
  return state.editable ? [] : [{ type: 'release', keys: state.keys }];
}

/** How long the buffer waits for its next key: a lone key briefly (a burst starts fast), a burst up to idleMs. */
function waitFor(state: ScannerState, options: ScannerOptions): number | null {
  if (state.keys.length === 0) return null;
  return state.keys.length === 1 ? options.maxGapMs : options.idleMs;
}

export function pressKey(state: ScannerState, press: KeyPress, options = SCANNER_DEFAULTS): ScannerStep {
  if (press.kind === 'ignore')
    return { state, effects: [], consume: false, wakeInMs: waitFor(state, options) };
  const effects: ScannerEffect[] = [];
  let current = state;
  if (current.keys.length > 0) {
    const gap = press.at - current.lastAt;
    const limit = press.kind === 'char' ? waitFor(current, options)! : options.idleMs;
    const continues = press.kind !== 'other' && current.editable === press.editable && gap <= limit;
    if (!continues) {
      effects.push(...finish(current, options, false));
      current = NO_BURST;
    }
  }
  if (press.kind === 'char') {
    // A space never starts a burst (it presses the focused button; no code of ours starts with one).
    if (current.keys.length === 0 && press.key === ' ')
      return { state: current, effects, consume: false, wakeInMs: null };
    const next: ScannerState = {
      keys: [...current.keys, press.key],
      lastAt: press.at,
      gaps: current.keys.length === 0 ? [] : [...current.gaps, press.at - current.lastAt],
      editable: press.editable,
    };
    return { state: next, effects, consume: !press.editable, wakeInMs: waitFor(next, options) };
  }
  if (press.kind === 'end' && current.keys.length > 0) {
    const ended = finish(current, options, true);
    const scanned = ended.some((effect) => effect.type === 'scan');
    return { state: NO_BURST, effects: [...effects, ...ended], consume: scanned, wakeInMs: null };
  }
  return { state: NO_BURST, effects, consume: false, wakeInMs: null };
}

/** Time passes without a key: a person's held keys go to the page, a burst at the page ends as a scan. */
export function idleTick(state: ScannerState, now: number, options = SCANNER_DEFAULTS): ScannerStep {
  if (state.keys.length === 0) return { state, effects: [], consume: false, wakeInMs: null };
  const idle = now - state.lastAt;
  const wait = (waitFor(state, options) ?? 0) - idle;
  if (wait > 0) return { state, effects: [], consume: false, wakeInMs: wait };
  return { state: NO_BURST, effects: finish(state, options, false), consume: false, wakeInMs: null };
}

/** A key as the page's handler sees it: the event itself, or a held one handed over a little later. */
export interface ScannerKey {
  readonly key: string;
  readonly ctrlKey: boolean;
  readonly altKey: boolean;
  readonly shiftKey: boolean;
  readonly metaKey: boolean;
  readonly target: EventTarget | null;
  /** Aimed at a text field (the field has it already). */
  readonly editable: boolean;
  /** Held back and handed over after the fact (preventDefault does nothing then). */
  readonly released: boolean;
  preventDefault(): void;
}

export interface Scan {
  readonly code: string;
  /** The text field the burst was typed into (its text already restored), or null at the page. */
  readonly field: HTMLInputElement | HTMLTextAreaElement | null;
}

export interface UseScannerOptions extends Partial<ScannerOptions> {
  readonly onScan: (scan: Scan) => void;
  /** Every key that is not part of a scan, exactly once. */
  readonly onKey?: (key: ScannerKey) => void;
  readonly enabled?: boolean;
}

type TextField = HTMLInputElement | HTMLTextAreaElement;

const NOT_TEXT = new Set([
  'button',
  'checkbox',
  'radio',
  'submit',
  'reset',
  'file',
  'image',
  'color',
  'range',
  'hidden',
]);

/** Whether keys aimed at this element type into it. */
export function isEditable(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target instanceof HTMLInputElement) return !NOT_TEXT.has(target.type);
  return (
    target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement || target.isContentEditable
  );
}

/** Sets a field's text so React sees it (the native setter, then an input event). */
function restoreText(field: TextField, value: string): void {
  const prototype =
    field instanceof HTMLTextAreaElement ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype;
  Object.getOwnPropertyDescriptor(prototype, 'value')?.set?.call(field, value);
  field.dispatchEvent(new Event('input', { bubbles: true }));
}

export function useScanner(options: UseScannerOptions): void {
  const latest = useRef(options);
  latest.current = options;
  const enabled = options.enabled ?? true;

  useEffect(() => {
    if (!enabled) return;
    const tuning = (): ScannerOptions => ({
      maxGapMs: latest.current.maxGapMs ?? SCANNER_DEFAULTS.maxGapMs,
      idleMs: latest.current.idleMs ?? SCANNER_DEFAULTS.idleMs,
      minLength: latest.current.minLength ?? SCANNER_DEFAULTS.minLength,
    });
    let state = NO_BURST;
    let timer: ReturnType<typeof setTimeout> | undefined;
    /** The field a burst is typed into and its text before the burst. */
    let field: { element: TextField; value: string } | null = null;
    /** Where held keys were aimed, for the page's handler. */
    let heldTarget: EventTarget | null = null;

    const run = (effects: readonly ScannerEffect[]) => {
      for (const effect of effects) {
        if (effect.type === 'release') {
          for (const key of effect.keys)
            latest.current.onKey?.({
              key,
              ctrlKey: false,
              altKey: false,
              metaKey: false,
              shiftKey: key !== key.toLowerCase(),
              target: heldTarget,
              editable: false,
              released: true,
              preventDefault: () => {},
            });
        } else {
          const scannedField = effect.editable ? field : null;
          if (scannedField) restoreText(scannedField.element, scannedField.value);
          latest.current.onScan({ code: effect.code, field: scannedField?.element ?? null });
        }
      }
    };
    const schedule = (wakeInMs: number | null) => {
      clearTimeout(timer);
      if (wakeInMs === null) return;
      timer = setTimeout(() => {
        const step = idleTick(state, performance.now(), tuning());
        state = step.state;
        run(step.effects);
        schedule(step.wakeInMs);
      }, wakeInMs);
    };

    const onKeyDown = (event: KeyboardEvent) => {
      const target = event.target;
      if (target instanceof Element && target.closest('[data-scanner="off"]')) {
        latest.current.onKey?.(asScannerKey(event, true));
        return;
      }
      const kind = keyKind(event);
      const editable = isEditable(target);
      const step = pressKey(state, { key: event.key, kind, at: event.timeStamp, editable }, tuning());
      state = step.state;
      // The buffer this key could not continue is finished with what was noted when it began.
      run(step.effects);
      if (kind === 'char' && state.keys.length === 1) {
        // A new burst: note where it is aimed and, for a text field, its text before this key lands.
        field =
          editable && (target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement)
            ? { element: target, value: target.value }
            : null;
        heldTarget = target;
      }
      schedule(step.wakeInMs);
      if (step.consume) {
        // Held back or the end of a scan: nothing else on the page may act on it (Enter would press a button).
        event.preventDefault();
        event.stopImmediatePropagation();
        return;
      }
      if (kind !== 'ignore') latest.current.onKey?.(asScannerKey(event, editable));
    };

    document.addEventListener('keydown', onKeyDown, true);
    return () => {
      document.removeEventListener('keydown', onKeyDown, true);
      clearTimeout(timer);
    };
  }, [enabled]);
}

function asScannerKey(event: KeyboardEvent, editable: boolean): ScannerKey {
  return {
    key: event.key,
    ctrlKey: event.ctrlKey,
    altKey: event.altKey,
    shiftKey: event.shiftKey,
    metaKey: event.metaKey,
    target: event.target,
    editable,
    released: false,
    preventDefault: () => event.preventDefault(),
  };
}
