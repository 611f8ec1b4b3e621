/**
 * For the simulator's tests: an in-process broker with the gate's config retained on it (as the cloud publishes
 * it), a signing key whose public half is in that config, and a running GateSim connected to the broker.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  encodeMessage,
  encodeQrCredential,
  exportPublicKey,
  type GateConfig,
  gateTopic,
  generateSigningKey,
  QR_FLAGS,
  ticketTypeRulesSchema,
} from '@scenic/protocol';
import { cloudClient, type Received, TestBroker } from '@scenic/testkit/mqtt-broker';
import mqtt from 'mqtt';
import { GateSim } from './gate-sim.js';
import { parseSimArgs } from './sim-options.js';

export const KEY = generateSigningKey(7);

export function simConfig(gateId: string): GateConfig {
  return {
    type: 'gate_config',
    v: 1,
    version: 1,
    gateId,
    zoneId: 'north',
    direction: 'both',
    timeZone: 'Asia/Shanghai',
    defaultMode: 'normal',
    denyUnauthorized: true,
    relayPulseMs: 300,
    passageTimeoutMs: 3000,
    groupIdleMs: 1000,
    ledLanguage: 'zh',
    voiceLanguage: 'zh',
    voiceVolume: 80,
    heartbeatSec: 30,
    onlineValidation: { enabled: false, deadlineMs: 300 },
    ticketTypes: [
      ticketTypeRulesSchema.parse({ typeId: 1, name: { zh: '成人票', en: 'Adult' } }),
      ticketTypeRulesSchema.parse({ typeId: 9, name: { zh: '团体票', en: 'Group ticket' } }),
    ],
    signingKeys: [{ keyId: KEY.keyId, publicKey: exportPublicKey(KEY.publicKey) }],
  };
}

/** A signed single-entry adult ticket, valid through 2029. */
export function adultQr(ticketId: number): string {
  return encodeQrCredential(
    {
      ticketId,
      typeId: 1,
      validFrom: Date.UTC(2024, 0, 1),
      validTo: Date.UTC(2030, 0, 1),
      entries: 1,
      flags: 0,
    },
    KEY,
  );
}

/** A signed group code for `persons` (its entries count in persons), valid through 2029. */
export function groupQr(ticketId: number, persons: number): string {
  return encodeQrCredential(
    {
      ticketId,
      typeId: 9,
      validFrom: Date.UTC(2024, 0, 1),
      validTo: Date.UTC(2030, 0, 1),
      entries: persons,
      flags: QR_FLAGS.GROUP,
    },
    KEY,
  );
}

export interface TestGate {
  readonly sim: GateSim;
  readonly broker: TestBroker;
  /** Everything the gate published, as the cloud sees it. */
  readonly received: Received[];
  close(): Promise<void>;
}

export async function startTestGate(gateId: string, extraArgs: string[] = []): Promise<TestGate> {
  const broker = new TestBroker();
  await broker.start();
  const publisher = await mqtt.connectAsync(broker.url, { clientId: `cloud-config-${gateId}` });
  await publisher.publishAsync(gateTopic('park', gateId, 'config'), encodeMessage(simConfig(gateId)), {
    qos: 1,
    retain: true,
  });
  await publisher.endAsync();
  const cloud = await cloudClient(broker.url, `sg/v1/park/gate/${gateId}/#`);
  const dir = mkdtempSync(join(tmpdir(), 'gate-sim-'));
  const options = parseSimArgs([
    '--site',
    'park',
    '--gate',
    gateId,
    '--broker',
    broker.url,
    '--data-dir',
    dir,
    '--auto-pass-ms',
    '50',
    ...extraArgs,
  ]);
  const sim = new GateSim(options.agent);
  await sim.start();
  return {
    sim,
    broker,
    received: cloud.received,
    async close() {
      await sim.stop();
      await cloud.client.endAsync();
      await broker.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
