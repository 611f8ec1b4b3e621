/** The written bundle as a graph of chunks, for the build's own plugins (shell-modules.ts, page-preload.ts). */

export interface Chunk {
  type: 'chunk';
  fileName: string;
  isEntry: boolean;
  isDynamicEntry: boolean;
  facadeModuleId: string | null;
  imports: string[];
  modules: Record<string, unknown>;
}
export type Bundle = Record<string, Chunk | { type: 'asset' }>;

/** The named chunks and every chunk they import statically, by file name. */
export function closure(bundle: Bundle, starts: Iterable<string>): Set<string> {
  const seen = new Set<string>();
  const queue = [...starts];
  while (queue.length > 0) {
    const name = queue.pop()!;
    const chunk = bundle[name];
    if (seen.has(name) || chunk?.type !== 'chunk') continue;
    seen.add(name);
    queue.push(...chunk.imports);
  }
  return seen;
}

export function chunksOf(bundle: Bundle): Chunk[] {
  return Object.values(bundle).filter((chunk): chunk is Chunk => chunk.type === 'chunk');
}
