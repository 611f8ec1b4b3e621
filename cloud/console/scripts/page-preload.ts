/**
 * Lets the browser fetch the code of the page an address opens together with the shell's, instead of after the
 * shell has run: index.html gets a small inline script that maps each page (its route path, which is the name of
 * its folder under src/pages, see src/shell/routes.tsx) to its chunks, and adds `modulepreload` links for the
 * page in the address bar. The chunks the entry already loads are left out. A page missing from the map only loses
 * the head start.
 */
import type { Plugin } from 'vite';
import { type Bundle, chunksOf, closure } from './chunk-graph.js';

const PAGE_MODULE = /[\\/]src[\\/]pages[\\/](?:[^\\/]+[\\/])*([^\\/]+)[\\/]index\.tsx$/;

/** The page → chunks map, from the written bundle. */
export function pageChunks(bundle: Bundle, base = '/'): Record<string, string[]> {
  const chunks = chunksOf(bundle);
  const shell = closure(
    bundle,
    chunks.filter((chunk) => chunk.isEntry).map((chunk) => chunk.fileName),
  );
  const map: Record<string, string[]> = {};
  for (const chunk of chunks) {
    const page = chunk.isDynamicEntry ? PAGE_MODULE.exec(chunk.facadeModuleId ?? '')?.[1] : undefined;
    if (!page) continue;
    map[page] = [...closure(bundle, [chunk.fileName])]
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
