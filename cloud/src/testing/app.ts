/**
 * Test helpers for the whole cloud: the HTTP app over a container of services (no MQTT side), and a container with
 * its MQTT side on free ports (embedded broker) or an external broker.
 */
import type { Logger } from 'pino';
import { pino } from 'pino';
import { type App, buildApp } from '../app.js';
import { type Config, loadConfig } from '../config.js';
import { type Container, createContainer } from '../container.js';
import type { MqttSideOptions } from '../container-mqtt.js';
import type { DatabaseHandle } from '../db/database.js';
import type { PassageHook } from '../modules/passages/service.js';

export const silentLogger = pino({ level: 'silent' });

/**
 * The app as main.ts builds it, without the MQTT side (commands answer 503 MQTT_UNAVAILABLE) and without the console's
 * pages (whether a console build exists must not change what an API test sees; console-pages.test.ts covers them).
 */
export async function testApp(options: {
  readonly config: Config;
  readonly database: DatabaseHandle;
  readonly logger?: Logger;
}): Promise<App> {
  return buildApp(await createContainer({ ...options, logger: options.logger ?? silentLogger }), {
    console: false,
  });
}

export interface TestCloudOptions extends Pick<MqttSideOptions, 'intake'> {
  readonly extraPassageHooks?: readonly PassageHook[];
  /** The services' clock (e.g. moved past a visit day to close a group order); default Date.now. */
  readonly now?: () => number;
}

/** A container with its MQTT side running: on a free port of the embedded broker unless `env` names MQTT_URL. */
export function startTestCloud(
  database: DatabaseHandle,
  env: Record<string, string> = {},
  options: TestCloudOptions = {},
): Promise<Container> {
  const config = loadConfig({
    MQTT_HOST: '127.0.0.1',
    MQTT_PORT: '0',
    MQTT_WS_PORT: 'off',
    MQTT_INSTANCE: `test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`,
    ...env,
  });
  return createContainer({
    config,
    database,
    logger: silentLogger,
    extraPassageHooks: options.extraPassageHooks,
    ...(options.now && { now: options.now }),
    mqtt: { commLogFlushMs: 20, externalConnectWaitMs: 3_000, intake: options.intake },
  });
}
