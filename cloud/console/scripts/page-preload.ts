/**
 * Lets the browser fetch the code of the page an address opens together with the shell's, instead of after the
 * shell has run: index.html gets a small inline script that maps each page (its route path, which is the name of
 * its folder under src/pages, see src/shell/routes.tsx) to its chunks, and adds `modulepreload` links for the
 * page in the address bar. The chunks the entry already loads are left out. A page missing from the map only loses
 * the head start.
 */
import type { Plugin } from 'vite';

const PAGE_MODULE = /[\\/]src[\\/]pages[\\/](?:[^\\/]+[\\/])*([^\\/]+)[\\/]index\.tsx$/;

interface Chunk {
  type: 'chunk';
  fileName: string;
  isEntry: boolean;
  isDynamicEntry: boolean;
  facadeModuleId: string | null;
  imports: string[];
}
type Bundle = Record<string, Chunk | { type: 'asset' }>;

/** The chunk and every chunk it imports statically, by file name. */
function closure(bundle: Bundle, start: string): Set<string> {
  const seen = new Set<string>();
  const queue = [start];
  while (queue.length > 0) {
    const name = queue.pop()!;
    const chunk = bundle[name];
    if (seen.has(name) || chunk?.type !== 'chunk') continue;
    seen.add(name);
    queue.push(...chunk.imports);
  }
  return seen;
}

/** The page → chunks map, from the written bundle. */
export function pageChunks(bundle: Bundle, base = '/'): Record<string, string[]> {
  const chunks = Object.values(bundle).filter((chunk): chunk is Chunk => chunk.type === 'chunk');
  const shell = new Set(
    chunks.filter((chunk) => chunk.isEntry).flatMap((chunk) => [...closure(bundle, chunk.fileName)]),
  );
  const map: Record<string, string[]> = {};
  for (const chunk of chunks) {
    const page = chunk.isDynamicEntry ? PAGE_MODULE.exec(chunk.facadeModuleId ?? '')?.[1] : undefined;
    if (!page) continue;
    map[page] = [...closure(bundle, chunk.fileName)]
      .filter((name) => !shell.has(name))
      .map((name) => base + name);
  }
  return map;
}

/** The inline script: a few hundred bytes, run before the entry's own script is even fetched. */
function preloadScript(map: Record<string, string[]>): string {
  return (
    `(function(m){var p=location.pathname.split('/')[1]||'';(m[p]||[]).forEach(function(h){` +
    `var l=document.createElement('link');l.rel='modulepreload';l.crossOrigin='';l.href=h;document.head.appendChild(l)})})(` +
    `${JSON.stringify(map)})`
  );
}

export function preloadPageChunks(): Plugin {
  return {
    name: 'console-page-preload',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(_html, context) {
        if (!context.bundle) return [];
        const map = pageChunks(context.bundle as unknown as Bundle);
        return [{ tag: 'script', children: preloadScript(map), injectTo: 'head-prepend' }];
      },
    },
  };
}
