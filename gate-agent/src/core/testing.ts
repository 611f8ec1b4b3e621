import {
  encodeQrCredential,
  exportPublicKey,
  type GateConfig,
  generateSigningKey,
  type QrCredentialFields,
  type SigningKeyPair,
  type TicketTypeRules,
  ticketTypeRulesSchema,
} from '@scenic/protocol';
import type { Log } from './ports.js';

/** Fixtures shared by the gate agent's tests: a signing key, configs, QR codes, a quiet logger. */
export const TEST_KEY: SigningKeyPair = generateSigningKey(1);

export const SILENT_LOG: Log = { debug() {}, info() {}, warn() {}, error() {} };

/** Plain ticket type 1 (single tickets), count-card type 3, and whatever the test adds. */
export function testConfig(
  fields: Partial<GateConfig> = {},
  extraTypes: Partial<TicketTypeRules>[] = [],
): GateConfig {
  const types = [
    { typeId: 1, name: { zh: '成人票', en: 'Adult' } },
    { typeId: 3, name: { zh: '十次卡', en: '10-visit card' } },
    ...extraTypes,
  ].map((t) => ticketTypeRulesSchema.parse(t));
  return {
    type: 'gate_config',
    v: 1,
    version: 1,
    gateId: 'G01',
    zoneId: 'north',
    direction: 'both',
    timeZone: 'Asia/Shanghai',
    defaultMode: 'normal',
    denyUnauthorized: true,
    relayPulseMs: 50,
    passageTimeoutMs: 1000,
    ledLanguage: 'zh',
    voiceLanguage: 'zh',
    voiceVolume: 80,
    heartbeatSec: 30,
    onlineValidation: { enabled: false, deadlineMs: 300 },
    ticketTypes: types,
    signingKeys: [{ keyId: TEST_KEY.keyId, publicKey: exportPublicKey(TEST_KEY.publicKey) }],
    ...fields,
  };
}

/** A signed QR ticket valid through 2029 unless the fields say otherwise. */
export function testQr(fields: Partial<QrCredentialFields> = {}, key: SigningKeyPair = TEST_KEY): string {
  return encodeQrCredential(
    {
      ticketId: 100234,
      typeId: 1,
      validFrom: Date.UTC(2024, 0, 1),
      validTo: Date.UTC(2030, 0, 1),
      entries: 1,
      flags: 0,
      ...fields,
    },
    key,
  );
}
