import { type Config, ConfigError, loadConfig } from '../config.js';

/**
 * The cloud's configuration for a command-line tool. An invalid one is explained on stderr (which variable, never
 * its value) and gives undefined: the tool then exits with code 2, as the cloud itself does.
 */
export function readCliConfig(): Config | undefined {
  try {
    return loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.describe()}\n`);
    return undefined;
  }
}
