/**
 * The libraries only pages use (tables, date pickers, selects…) travel as one file, `libs`: a page then loads in a
 * few requests instead of twenty small ones queued on the browser's six connections to the cloud.
 *
 * Which libraries the shell (sign-in, menu, header) needs cannot be read off the module graph: every page imports
 * `antd`'s index, which imports every component, and tree-shaking decides later. So the build runs twice
 * (scripts/build.ts): a scan build, not written, records the library modules that land in the entry's chunks
 * (CONSOLE_SHELL_SCAN names the file); the real build (CONSOLE_SHELL_MODULES names it) groups the others (libsGroups). Without those variables (a plain `vite build`, the dev server) nothing is grouped.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { Plugin } from 'vite';
import { type Bundle, type Chunk, chunksOf, closure } from './chunk-graph.js';

const LIBRARY = /node_modules[\\/]/;
/** Pages loaded on demand that still belong to the shell: every operator sees them before any other page. */
const SHELL_PAGES = /[\\/]src[\\/]pages[\\/](sign-in|password)[\\/]/;
/**
 * The ticket window: the page a cashier opens cold at the start of a shift, with a queue waiting. Its libraries
 * travel apart from the rest (`till`), so opening it does not download and compile the tables, date pickers and
 * trees of every back-office page.
 */
const TILL_PAGE = /[\\/]src[\\/]pages[\\/]window[\\/]index\.tsx$/;

/**
 * In a scan build: writes the library module ids of the entry chunk, of the sign-in and password pages' chunks, and
 * of every chunk those import statically.
 */
export function recordShellModules(file = process.env.CONSOLE_SHELL_SCAN): Plugin {
  return {
    name: 'console-shell-modules',
    apply: 'build',
    generateBundle(_options, bundle) {
      if (!file) return;
      const chunks = bundle as unknown as Bundle;
      const reached = (start: (chunk: Chunk) => boolean): string[] => {
        const starts = chunksOf(chunks)
          .filter(start)
          .map((chunk) => chunk.fileName);
        const modules = new Set<string>();
        for (const name of closure(chunks, starts)) {
          const chunk = chunks[name] as Chunk;
          for (const id of Object.keys(chunk.modules)) if (LIBRARY.test(id)) modules.add(id);
        }
        return [...modules].sort();
      };
      const recorded: ShellModules = {
        entry: reached((chunk) => chunk.isEntry),
        pages: reached((chunk) => chunk.isDynamicEntry && SHELL_PAGES.test(chunk.facadeModuleId ?? '')),
        till: reached((chunk) => chunk.isDynamicEntry && TILL_PAGE.test(chunk.facadeModuleId ?? '')),
      };
      writeFileSync(file, JSON.stringify(recorded));
    },
  };
}

/**
 * Library modules by where the scan build found them: with the entry, with the sign-in and password pages, with the
 * ticket window (statically: what its first screen loads).
 */
interface ShellModules {
  entry: string[];
  pages: string[];
  till: string[];
}

/**
 * The chunk groups, when a scan build has recorded the shell's libraries: `forms` for what sign-in and password
 * add to the entry (otherwise eight small files every page then asks for again), `till` for what the ticket window
 * adds to those, `libs` for all the rest.
 */
export function libsGroups(file = process.env.CONSOLE_SHELL_MODULES) {
  if (!file || !existsSync(file)) return [];
  const recorded = JSON.parse(readFileSync(file, 'utf8')) as ShellModules;
  const entry = new Set(recorded.entry);
  const pages = new Set(recorded.pages.filter((id) => !entry.has(id)));
  const till = new Set(recorded.till.filter((id) => !entry.has(id) && !pages.has(id)));
  // Only the captured modules: following their imports would pull the entry's own libraries (React) in too.
  return [
    {
      name: 'forms',
      test: (id: string) => pages.has(id),
      priority: 1,
      includeDependenciesRecursively: false,
    },
    {
      name: 'till',
      test: (id: string) => till.has(id),
      priority: 1,
      includeDependenciesRecursively: false,
    },
    {
      name: 'libs',
      test: (id: string) => LIBRARY.test(id) && !entry.has(id) && !pages.has(id) && !till.has(id),
      priority: 1,
      includeDependenciesRecursively: false,
    },
  ];
}
