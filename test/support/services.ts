/**
 * The policy for tests that need a real service (PostgreSQL, an MQTT broker): they run when the service's URL is
 * given, are skipped with one visible line when it is not, and in CI (CI=true) a missing URL is an error, because a
 * skipped suite in CI would pass without testing anything.
 *
 *   const url = serviceUrl('TEST_MQTT_URL');
 *   describe.skipIf(!url)('with a broker', () => { … });
 */

export type ServiceVariable = 'TEST_DATABASE_URL' | 'TEST_MQTT_URL';

const SERVICE_NAMES: Record<ServiceVariable, string> = {
  TEST_DATABASE_URL: 'PostgreSQL',
  TEST_MQTT_URL: 'MQTT',
};

const announced = new Set<ServiceVariable>();

export function isCi(env: NodeJS.ProcessEnv = process.env): boolean {
  return /^(true|1)$/i.test(env.CI ?? '');
}

export function serviceUrl(
  variable: ServiceVariable,
  env: NodeJS.ProcessEnv = process.env,
  announce: (line: string) => void = console.log,
): string | undefined {
  const url = env[variable]?.trim();
  if (url) return url;
  const name = SERVICE_NAMES[variable];
  if (isCi(env)) {
    throw new Error(`${variable} is not set: CI must run the ${name} tests, not skip them (see .ci/run)`);
  }
  if (!announced.has(variable)) {
    announced.add(variable);
    announce(`SKIPPED: ${name} tests (set ${variable})`);
  }
  return undefined;
}
