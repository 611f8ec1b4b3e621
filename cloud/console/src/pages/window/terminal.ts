/**
 * Which ticket window this terminal is: chosen once (site and window) and remembered in the browser's localStorage,
 * so every cashier who signs in at this PC sells at the same window without choosing again.
 */
export interface Terminal {
  readonly siteId: string;
  readonly windowId: string;
}

export const TERMINAL_KEY = 'console.window.terminal';

type Store = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

function store(): Store | undefined {
  return globalThis.localStorage;
}

export function loadTerminal(storage: Store | undefined = store()): Terminal | null {
  const text = storage?.getItem(TERMINAL_KEY);
  if (!text) return null;
  try {
    const value = JSON.parse(text) as Partial<Terminal>;
    if (
      typeof value.siteId === 'string' &&
      typeof value.windowId === 'string' &&
      value.siteId &&
      value.windowId
    )
      return { siteId: value.siteId, windowId: value.windowId };
  } catch {
    // A damaged entry is the same as none: the cashier chooses again.
  }
  return null;
}

export function saveTerminal(terminal: Terminal, storage: Store | undefined = store()): void {
  storage?.setItem(TERMINAL_KEY, JSON.stringify({ siteId: terminal.siteId, windowId: terminal.windowId }));
}

export function forgetTerminal(storage: Store | undefined = store()): void {
  storage?.removeItem(TERMINAL_KEY);
}
