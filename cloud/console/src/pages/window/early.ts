/**
 * The till's first reads for this terminal, asked for by the script inlined in index.html while the console's code
 * is still on its way (shell/early-reads.ts). The visit day is today in the venue's usual zone, as prefetch.ts asks.
 */
import { DEFAULT_ZONE, today } from '../../format/time';
import { firstReads, type Read } from './reads';
import { loadTerminal } from './terminal';

export function windowEarlyReads(): Read[] {
  const terminal = loadTerminal();
  return terminal ? firstReads(terminal, today(DEFAULT_ZONE)) : [];
}
