/**
 * Keyboard plumbing of the till: state that key handlers read before React renders again, moving the focus to the
 * field a key asks for, and work put off until the browser is idle.
 */
import { useCallback, useRef, useState } from 'react';

/** State whose latest value key handlers read at once (several keys may arrive before React renders again). */
export function useLatest<T>(initial: T | (() => T)) {
  const [value, setValue] = useState(initial);
  const ref = useRef(value);
  const set = useCallback((next: T | ((previous: T) => T)) => {
    ref.current = typeof next === 'function' ? (next as (previous: T) => T)(ref.current) : next;
    setValue(ref.current);
  }, []);
  return [value, set, ref] as const;
}

/**
 * Focuses a field: at once when it is on the page (the next key goes there), else right after the render that brings
 * it. Selecting its text waits for the render that fills it: React commits a key's updates in a microtask, queued
 * before this one. A field that only appears later is focused after that render, unless the operator has typed
 * meanwhile (their keys are already somewhere; moving the caret under them would scatter the rest).
 */
export function focusSoon(id: string, select = false) {
  const focus = (andSelect: boolean) => {
    const element = document.getElementById(id);
    if (!element) return false;
    element.focus();
    if (andSelect && element instanceof HTMLInputElement) element.select();
    return true;
  };
  if (focus(false)) {
    if (select) queueMicrotask(() => focus(true));
    return;
  }
  let typed = false;
  const onKey = () => {
    typed = true;
  };
  document.addEventListener('keydown', onKey, { capture: true, once: true });
  setTimeout(() => {
    document.removeEventListener('keydown', onKey, { capture: true });
    if (!typed) focus(select);
  }, 0);
}

export function isPressable(target: EventTarget | null): boolean {
  return (
    target instanceof Element &&
    target.closest('button, a[href], [role="button"], [role="menuitem"]') !== null
  );
}

export const TYPE_LIST_ID = 'window-type-list';

/** Runs `work` when the browser has an idle moment (at the latest after two seconds), unless the desk goes first. */
export function whenIdle(work: () => void): () => void {
  if (typeof window.requestIdleCallback === 'function') {
    const id = window.requestIdleCallback(work, { timeout: 2_000 });
    return () => window.cancelIdleCallback(id);
  }
  const id = window.setTimeout(work, 0);
  return () => window.clearTimeout(id);
}
