/**
 * How gate → cloud messages reach the bus. The bus and its extensions are the same whichever broker carries them;
 * only the intake differs, and both keep the same rule: a gate's QoS 1 message is acknowledged only once every
 * extension has processed it (a passage event is stored), a message that failed is delivered again, and one that
 * failed MAX_FAILED_DELIVERIES times is acknowledged anyway and logged as GIVEN_UP.
 *
 * - Broker intake (embedded aedes): the broker hands each message a gate publishes to the bus before it
 *   acknowledges it to the gate (aedes runs `authorizePublish` before it writes the PUBACK). Until the PUBACK the
 *   message stays in the gate's own outbox, the broker keeps no copy, and aedes reads the sockets of many gates at
 *   once, so events of many gates reach the passages extension together and share a transaction. On a failure the
 *   gate's connection is dropped (MQTT 3.1.1 has no negative acknowledgement); the gate reconnects and sends the
 *   message again. A last will has nobody to send it again, so it is tried again here.
 * - Client intake (external broker, MQTT_URL): the cloud's mqtt.js client subscribes to the gate → cloud channels
 *   with a persistent session. The broker acknowledges the gate on receipt and keeps the message for the cloud until
 *   the cloud's PUBACK, sent after processing. mqtt.js handles one packet at a time, so events arrive one by one.
 */
import { createHash } from 'node:crypto';
import { CHANNELS, parseTopic } from '@scenic/protocol';
import type { MqttClient } from 'mqtt';
import type { Logger } from 'pino';
import type { GateAdmission, GateRef } from './admission.js';
import type { MqttBus } from './bus.js';

/** Deliveries of one message whose processing failed before the cloud acknowledges it anyway (a poison message). */
export const MAX_FAILED_DELIVERIES = 5;
/** Wait after a failure before having the message delivered again (storage may be down). */
export const REDELIVERY_DELAY_MS = 1_000;

/** Failed deliveries per message (topic and payload), across redeliveries. */
class FailedDeliveries {
  private readonly counts = new Map<string, number>();

  /** Counts one more failure; true when the message is to be given up. */
  failed(topic: string, payload: Buffer): boolean {
    const key = FailedDeliveries.key(topic, payload);
    const failed = (this.counts.get(key) ?? 0) + 1;
    if (failed >= MAX_FAILED_DELIVERIES) {
      this.counts.delete(key);
      return true;
    }
    if (this.counts.size >= 10_000) this.counts.clear();
    this.counts.set(key, failed);
    return false;
  }

  count(topic: string, payload: Buffer): number {
    return this.counts.get(FailedDeliveries.key(topic, payload)) ?? 0;
  }

  succeeded(topic: string, payload: Buffer): void {
    if (this.counts.size > 0) this.counts.delete(FailedDeliveries.key(topic, payload));
  }

  private static key(topic: string, payload: Buffer): string {
    return `${topic}\n${createHash('sha256').update(payload).digest('base64')}`;
  }
}

export interface IntakeMessage {
  readonly topic: string;
  readonly payload: Buffer;
  readonly qos: 0 | 1 | 2;
  readonly retain: boolean;
  /** The last will of a gate that is gone: nobody will send it again. */
  readonly will: boolean;
}

export interface BrokerIntake {
  /** Resolves when the broker may acknowledge (and route) the message; to an error when it must not. */
  receive(message: IntakeMessage): Promise<Error | null>;
  /** Refuses messages from now on (shutdown): gates keep them and send them to the next cloud. */
  stop(): void;
}

export function brokerIntake(bus: MqttBus, log: Logger): BrokerIntake {
  const failures = new FailedDeliveries();
  let stopped = false;
  return {
    stop: () => {
      stopped = true;
    },
    async receive({ topic, payload, qos, retain, will }) {
      for (;;) {
        if (stopped) return new Error('cloud is shutting down');
        if ((await bus.receive(topic, payload, retain)) || qos === 0) {
          failures.succeeded(topic, payload);
          return null;
        }
        if (failures.failed(topic, payload)) {
          log.error(
            { topic, deliveries: MAX_FAILED_DELIVERIES },
            'message failed repeatedly; acknowledged and given up',
          );
          bus.reportGivenUp(topic, payload);
          return null;
        }
        log.warn(
          { topic, deliveries: failures.count(topic, payload) },
          'message not processed; not acknowledged',
        );
        // Not at once: a gate would reconnect and send it again straight into the same failure.
        await delay(REDELIVERY_DELAY_MS);
        if (!will) return new Error('message not processed');
      }
    },
  };
}

/**
 * The cloud acknowledges a gate's QoS 1 message only after every extension has processed it (mqtt.js sends the
 * PUBACK when `handleMessage` calls back without an error). Acknowledging on receipt would let a gate delete a
 * passage from its outbox that the cloud then failed to store. MQTT 3.1.1 brokers (aedes, Mosquitto) deliver an
 * unacknowledged message again only when the subscriber reconnects with its persistent session, so after a failure
 * the connection is dropped once, a moment later, and mqtt.js reconnects. mqtt.js handles one packet at a time, so
 * a failed message does not let later ones overtake it within the connection.
 */
export function clientIntake(client: MqttClient, bus: MqttBus, log: Logger, admission?: GateAdmission): void {
  const failures = new FailedDeliveries();
  let redelivery: NodeJS.Timeout | undefined;
  client.on('close', () => {
    clearTimeout(redelivery);
    redelivery = undefined;
  });
  client.handleMessage = (packet, callback) => {
    if (packet.cmd !== 'publish') {
      callback();
      return;
    }
    const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload;
    const topic = packet.topic;
    if (admission && overBudget(admission, topic, packet.qos, payload.length)) {
      callback();
      return;
    }
    bus.receive(topic, payload, packet.retain).then((processed) => {
      if (processed || packet.qos === 0) {
        failures.succeeded(topic, payload);
        callback();
        return;
      }
      if (failures.failed(topic, payload)) {
        log.error(
          { topic, deliveries: MAX_FAILED_DELIVERIES },
          'message failed repeatedly; acknowledged and given up',
        );
        bus.reportGivenUp(topic, payload);
        callback();
        return;
      }
      log.warn(
        { topic, deliveries: failures.count(topic, payload) },
        'message not processed; left unacknowledged for redelivery',
      );
      // An error makes mqtt.js skip the PUBACK and go on with the next packet.
      callback(new Error('not processed'));
      redelivery ??= setTimeout(() => {
        redelivery = undefined;
        client.stream?.destroy();
      }, REDELIVERY_DELAY_MS);
    }, callback);
  };
}

/**
 * The gate's message budget on the client intake, before any work: a QoS 0 message beyond it is dropped (and
 * recorded). A QoS 1 message is always taken: the broker acknowledged it to the gate already, so dropping it would
 * lose it, and holding it would hold every gate's messages behind it (this client takes one at a time). It still
 * charges the gate's budget, so its QoS 0 messages are dropped sooner, and a flood still raises the alert; cutting
 * the gate off is the broker's business (cloud/src/mqtt/README.md, Mosquitto).
 */
function overBudget(admission: GateAdmission, topic: string, qos: 0 | 1 | 2, size: number): boolean {
  const gate = gateOf(topic);
  if (!gate) return false;
  const { verdict } = admission.take(gate, qos);
  if (verdict === 'pass' || verdict === 'wait' || qos > 0) return false;
  admission.refused(gate, topic, size);
  return true;
}

function gateOf(topic: string): GateRef | undefined {
  try {
    const { siteId, gateId, channel } = parseTopic(topic);
    return gateId !== undefined && CHANNELS[channel].from === 'gate' ? { siteId, gateId } : undefined;
  } catch {
    return undefined;
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
