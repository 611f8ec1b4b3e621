import { QueryClient } from '@tanstack/react-query';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_ZONE, today } from '../format/time';
import { prefetchWindow } from '../pages/window/prefetch';
import { TERMINAL_KEY } from '../pages/window/terminal';
import { startEarlyReads } from './early-reads';

/** The few parts of a document the script touches. */
function fakeDocument() {
  const head: { rel: string; as: string; crossOrigin: string | null; href: string }[] = [];
  const document = {
    head: { appendChild: (link: (typeof head)[number]) => head.push(link) },
    createElement: () => ({
      rel: '',
      as: '',
      crossOrigin: null,
      href: '',
      getAttribute(this: { href: string }, name: string) {
        return name === 'href' ? this.href : null;
      },
    }),
  };
  return { document: document as unknown as Document, head };
}

function storageWith(entries: Record<string, string>): Storage {
  return { getItem: (key: string) => entries[key] ?? null } as Storage;
}

describe('startEarlyReads', () => {
  beforeEach(() => {
    vi.stubGlobal('window', { location: { origin: 'http://till.example' } });
  });
  afterEach(() => vi.unstubAllGlobals());

  it('preloads, as fetches with the session cookie, exactly what the till’s boot preload then fetches', async () => {
    vi.stubGlobal(
      'localStorage',
      storageWith({ [TERMINAL_KEY]: JSON.stringify({ siteId: 'park & lake', windowId: 'W/1' }) }),
    );
    const { document, head } = fakeDocument();
    const preloaded = startEarlyReads('/window', document);
    expect(head.map(({ rel, as, crossOrigin }) => ({ rel, as, crossOrigin }))).toEqual(
      preloaded.map(() => ({ rel: 'preload', as: 'fetch', crossOrigin: 'anonymous' })),
    );

    const fetched: string[] = [];
    vi.stubGlobal('fetch', async (url: string) => {
      fetched.push(url);
      const site = url.startsWith('/api/v1/sites/') && !url.includes('/windows/');
      const body = site ? { id: 'park & lake', timezone: DEFAULT_ZONE } : {};
      return new Response(JSON.stringify(body), { status: 200 });
    });
    await prefetchWindow(new QueryClient());
    expect([...preloaded].sort()).toEqual([...fetched].sort());
    expect(preloaded).toContain(
      `/api/v1/capacity/availability?siteId=park+%26+lake&date=${today(DEFAULT_ZONE)}`,
    );
    expect(preloaded).toContain('/api/v1/sites/park%20%26%20lake/windows/W%2F1');
  });

  it('asks for nothing on a page without early reads, on a terminal not set up, or with a damaged entry', () => {
    vi.stubGlobal(
      'localStorage',
      storageWith({ [TERMINAL_KEY]: JSON.stringify({ siteId: 'park', windowId: 'W01' }) }),
    );
    expect(startEarlyReads('/sales', fakeDocument().document)).toEqual([]);
    expect(startEarlyReads('/', fakeDocument().document)).toEqual([]);
    vi.stubGlobal('localStorage', storageWith({}));
    expect(startEarlyReads('/window', fakeDocument().document)).toEqual([]);
    vi.stubGlobal('localStorage', storageWith({ [TERMINAL_KEY]: '{not json' }));
    expect(startEarlyReads('/window', fakeDocument().document)).toEqual([]);
    vi.stubGlobal('localStorage', {
      getItem: () => {
        throw new Error('storage refused');
      },
    });
    expect(startEarlyReads('/window', fakeDocument().document)).toEqual([]);
  });
});
