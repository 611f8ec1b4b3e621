/**
 * In-memory message counters by direction, channel, result and reason, fed from the bus's records, for a
 * Prometheus `/metrics` endpoint (text exposition format) and the console. Counters restart with the process, as
 * Prometheus counters are expected to.
 */
import type { CommRecord } from './extensions/types.js';

export interface MessageCount {
  readonly direction: 'in' | 'out';
  readonly channel: string;
  readonly result: 'ok' | 'rejected';
  readonly reason: string;
  readonly messages: number;
  readonly bytes: number;
}

export class MqttMetrics {
  private readonly counts = new Map<
    string,
    { key: Omit<MessageCount, 'messages' | 'bytes'>; messages: number; bytes: number }
  >();
  /** Gates cut off for flooding (admission.ts), since the start. */
  private floods = 0;

  flooded(): void {
    this.floods++;
  }

  observe(record: CommRecord): void {
    const key = {
      direction: record.direction,
      channel: record.channel ?? 'unknown',
      result: record.result,
      reason: record.reason ?? '',
    };
    const id = `${key.direction}|${key.channel}|${key.result}|${key.reason}`;
    const entry = this.counts.get(id) ?? { key, messages: 0, bytes: 0 };
    entry.messages++;
    entry.bytes += record.size;
    this.counts.set(id, entry);
  }

  snapshot(): MessageCount[] {
    return [...this.counts.values()].map(({ key, messages, bytes }) => ({ ...key, messages, bytes }));
  }

  /** Prometheus text exposition format. */
  prometheus(): string {
    const rows = this.snapshot();
    const labels = (c: MessageCount) =>
      `direction="${c.direction}",channel="${escapeLabel(c.channel)}",result="${c.result}",reason="${escapeLabel(c.reason)}"`;
    return [
      '# HELP sg_mqtt_messages_total MQTT messages to and from gates, by direction, channel and result.',
      '# TYPE sg_mqtt_messages_total counter',
      ...rows.map((c) => `sg_mqtt_messages_total{${labels(c)}} ${c.messages}`),
      '# HELP sg_mqtt_bytes_total MQTT payload bytes to and from gates.',
      '# TYPE sg_mqtt_bytes_total counter',
      ...rows.map((c) => `sg_mqtt_bytes_total{${labels(c)}} ${c.bytes}`),
      // Messages refused for a gate's budget are counted above, with reason OVER_BUDGET.
      '# HELP sg_mqtt_gate_floods_total Times a gate exceeded its message budget so far that it was cut off.',
      '# TYPE sg_mqtt_gate_floods_total counter',
      `sg_mqtt_gate_floods_total ${this.floods}`,
      '',
    ].join('\n');
  }
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}
