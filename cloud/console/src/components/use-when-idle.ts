/**
 * True once the browser has had an idle moment after `after` became true, set as a transition. For what a page can open
 * without (the side menu): the page the operator came for renders first, and the rest renders in small slices that
 * a key press interrupts, so a till opened cold takes the keyboard without waiting for the menu.
 */
import { startTransition, useEffect, useState } from 'react';

/** Longest wait for an idle moment on a busy machine. */
const AT_LATEST_MS = 1_500;

export function useWhenIdle(after = true): boolean {
  const [idle, setIdle] = useState(false);
  useEffect(() => {
    if (!after) return;
    const ready = () => startTransition(() => setIdle(true));
    if (typeof window.requestIdleCallback === 'function') {
      const id = window.requestIdleCallback(ready, { timeout: AT_LATEST_MS });
      return () => window.cancelIdleCallback(id);
    }
    const id = window.setTimeout(ready, 0);
    return () => window.clearTimeout(id);
  }, [after]);
  return idle;
}
