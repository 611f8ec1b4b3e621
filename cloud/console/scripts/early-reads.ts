/**
 * Inlines src/shell/early-reads.ts in index.html as a small classic script, run as the HTML is parsed: the page in
 * the address bar asks for its first reads before the console's code has arrived. Bundled on its own (one IIFE,
 * minified) because the entry's chunks are modules the browser only runs after downloading all of them.
 */
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'vite';

const ENTRY = fileURLToPath(new URL('../src/shell/early-reads.ts', import.meta.url));
const VIRTUAL = '\0console-early-reads';

/** The script's source: the module bundled with a call for the current address. */
export async function earlyReadsScript(): Promise<string> {
  const output = await build({
    configFile: false,
    logLevel: 'warn',
    plugins: [
      {
        name: 'console-early-reads-entry',
        resolveId: (id) => (id === VIRTUAL ? id : undefined),
        load: (id) =>
          id === VIRTUAL
            ? `import { startEarlyReads } from ${JSON.stringify(ENTRY)};\nstartEarlyReads(location.pathname, document);\n`
            : undefined,
      },
    ],
    build: {
      write: false,
      minify: true,
      target: 'es2022',
      rolldownOptions: { input: VIRTUAL, output: { format: 'iife' } },
    },
  });
  const bundles = Array.isArray(output) ? output : [output];
  const chunks = bundles.flatMap((bundle) => ('output' in bundle ? bundle.output : []));
  const chunk = chunks.find((item) => item.type === 'chunk');
  if (!chunk || chunks.length !== 1) throw new Error('the early reads script must bundle into one chunk');
  return chunk.code.trim();
}

/** Where index.html wants the script: after the session preload, before the stylesheet (a classic script placed
 * after a stylesheet waits for it). */
export const EARLY_READS_MARK = '<!-- early reads -->';

export function inlineEarlyReads(): Plugin {
  return {
    name: 'console-early-reads',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      async handler(html) {
        if (!html.includes(EARLY_READS_MARK)) throw new Error(`index.html has no ${EARLY_READS_MARK}`);
        return html.replace(EARLY_READS_MARK, `<script>${await earlyReadsScript()}</script>`);
      },
    },
  };
}
