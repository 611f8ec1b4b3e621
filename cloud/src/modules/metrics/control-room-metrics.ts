/**
 * In-process counters of the control room's own work, for /metrics: events ingested (applied, duplicate, refused),
 * persons through the gates per site and direction, denials per reason, a one-minute scan rate, commands issued and their per-gate outcomes, and
 * the command acknowledgement latency as a histogram. Like all Prometheus counters they restart with the process;
 * with several cloud instances, each reports what it handled.
 */

/** Upper bounds (seconds) of the ack-latency histogram buckets. */
const LATENCY_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60] as const;
const RATE_WINDOW_SEC = 60;

export type EventResult = 'applied' | 'duplicate' | 'unknown_gate' | 'failed';

export class ControlRoomMetrics {
  private readonly events = new Map<string, number>();
  private readonly admits = new Map<string, number>();
  private readonly denials = new Map<string, number>();
  private readonly commands = new Map<string, number>();
  private readonly commandResults = new Map<string, number>();
  private readonly latencyBuckets: number[] = LATENCY_BUCKETS.map(() => 0);
  private latencyCount = 0;
  private latencySum = 0;
  /** Scans per second over the last minute: one slot per second, tagged with the second it counts. */
  private readonly scanSlots = new Array<{ second: number; scans: number }>(RATE_WINDOW_SEC);

  constructor(private readonly now: () => number = Date.now) {}

  event(kind: 'passage' | 'denial', result: EventResult): void {
    bump(this.events, `${kind}|${result}`);
  }

  /** An applied (first-time) scan outcome. */
  scan(
    siteId: string,
    outcome:
      | { admitted: true; direction: 'in' | 'out'; persons: number }
      | { admitted: false; reason: string },
  ): void {
    if (outcome.admitted) bump(this.admits, `${siteId}|${outcome.direction}`, outcome.persons);
    else bump(this.denials, `${siteId}|${outcome.reason}`);
    const second = Math.floor(this.now() / 1000);
    const index = second % RATE_WINDOW_SEC;
    const slot = this.scanSlots[index];
    if (slot?.second === second) slot.scans++;
    else this.scanSlots[index] = { second, scans: 1 };
  }

  commandIssued(action: string, gates: number): void {
    bump(this.commands, action);
    bump(this.commandResults, 'issued', gates);
  }

  commandResult(result: string, latencyMs: number | null): void {
    bump(this.commandResults, result);
    if (latencyMs === null) return;
    const seconds = Math.max(0, latencyMs) / 1000;
    this.latencyCount++;
    this.latencySum += seconds;
    LATENCY_BUCKETS.forEach((bound, i) => {
      if (seconds <= bound) this.latencyBuckets[i] = (this.latencyBuckets[i] ?? 0) + 1;
    });
  }

  /** Mean scans per second over the last full minute. */
  scansPerSecond(): number {
    const current = Math.floor(this.now() / 1000);
    let scans = 0;
    for (const slot of this.scanSlots) {
      if (slot && slot.second < current && slot.second >= current - RATE_WINDOW_SEC) scans += slot.scans;
    }
    return scans / RATE_WINDOW_SEC;
  }

  prometheus(): string {
    const lines: string[] = [];
    const family = (name: string, type: string, help: string) =>
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    family('sg_events_ingested_total', 'counter', 'Passage and denial events from gates by outcome.');
    for (const [key, n] of this.events) {
      const [kind, result] = key.split('|');
      lines.push(`sg_events_ingested_total{kind="${kind}",result="${result}"} ${n}`);
    }
    family(
      'sg_passage_persons_total',
      'counter',
      'Persons who went through gates, by direction (first-time passage events).',
    );
    for (const [key, n] of this.admits) {
      const [site = '', direction = ''] = key.split('|');
      lines.push(`sg_passage_persons_total{site="${label(site)}",direction="${direction}"} ${n}`);
    }
    family('sg_denials_total', 'counter', 'Refused scans by reason code.');
    for (const [key, n] of this.denials) {
      const [site = '', reason = ''] = key.split('|');
      lines.push(`sg_denials_total{site="${label(site)}",reason="${label(reason)}"} ${n}`);
    }
    family('sg_scans_per_second', 'gauge', 'Passages plus denials per second, mean over the last minute.');
    lines.push(`sg_scans_per_second ${round(this.scansPerSecond())}`);
    family('sg_commands_total', 'counter', 'Gate commands issued by action.');
    for (const [action, n] of this.commands) lines.push(`sg_commands_total{action="${label(action)}"} ${n}`);
    family(
      'sg_command_gate_results_total',
      'counter',
      'Per-gate command outcomes (issued counts targeted gates).',
    );
    for (const [result, n] of this.commandResults)
      lines.push(`sg_command_gate_results_total{result="${label(result)}"} ${n}`);
    family(
      'sg_command_ack_seconds',
      'histogram',
      'Time from issuing a command to the gate acknowledging it.',
    );
    for (const [i, bound] of LATENCY_BUCKETS.entries()) {
      lines.push(`sg_command_ack_seconds_bucket{le="${bound}"} ${this.latencyBuckets[i] ?? 0}`);
    }
    lines.push(`sg_command_ack_seconds_bucket{le="+Inf"} ${this.latencyCount}`);
    lines.push(`sg_command_ack_seconds_sum ${round(this.latencySum)}`);
    lines.push(`sg_command_ack_seconds_count ${this.latencyCount}`);
    return `${lines.join('\n')}\n`;
  }
}

function bump(map: Map<string, number>, key: string, by = 1): void {
  map.set(key, (map.get(key) ?? 0) + by);
}

export function label(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
