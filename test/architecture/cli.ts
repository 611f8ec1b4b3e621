/** `npm run arch`: the architecture check on this checkout; exit code 1 when an import breaks a rule. */
import { checkArchitecture } from './check.js';
import { formatViolations } from './report.js';

const result = await checkArchitecture();
const text = formatViolations(result);
if (result.violations.length > 0) {
  console.error(text);
  process.exitCode = 1;
} else {
  console.log(text);
}
