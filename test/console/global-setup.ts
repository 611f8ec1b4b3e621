/**
 * vitest's global setup: builds the console once before any test runs when its build is missing or older than its
 * sources, so the browser tests (and the cloud processes they start) serve the console as it is now.
 */
import { buildConsole, consoleIsStale } from '../../cloud/console/scripts/build.js';

export default function setup(): void {
  if (consoleIsStale() && !buildConsole())
    throw new Error('the console build failed (npm run build:console)');
}
