/**
 * Where the per-gate message budget (budget.ts) meets the bus: the verdict on each message of a gate, the record of
 * each message refused for it (a communication-log line with reason OVER_BUDGET, which the writer folds into one
 * row per gate and minute, and the `sg_mqtt_messages_total{reason="OVER_BUDGET"}` count), and one alert per flood.
 * The broker (broker.ts) and the client intake (intake.ts) act on the verdicts.
 */
import type { Logger } from 'pino';
import type { BudgetVerdict, GateBudget } from './budget.js';
import type { MqttBus } from './bus.js';

export interface GateRef {
  readonly siteId: string;
  readonly gateId: string;
}

/** A gate cut off for flooding, until `until` (epoch ms): the control room's alert. */
export interface GateFlood extends GateRef {
  readonly until: number;
}

export interface GateAdmission {
  /** Charges one message; a `flood` verdict has raised the alert already. */
  take(gate: GateRef, qos: 0 | 1 | 2): BudgetVerdict;
  /** Records a message refused for the budget. */
  refused(gate: GateRef, topic: string, size: number): void;
  /** When the gate's back-off ends, while it is cut off. */
  backedOffUntil(gate: GateRef): number | undefined;
}

export function gateAdmission(
  budget: GateBudget,
  bus: MqttBus,
  onFlood: (flood: GateFlood) => void,
  log: Logger,
): GateAdmission {
  const keyOf = (gate: GateRef) => `${gate.siteId}/${gate.gateId}`;
  return {
    take(gate, qos) {
      const verdict = budget.take(keyOf(gate), qos);
      if (verdict.verdict === 'flood') {
        log.warn(
          { siteId: gate.siteId, gateId: gate.gateId, until: new Date(verdict.until).toISOString() },
          'gate flooding: over its message budget, cut off for the back-off period',
        );
        try {
          onFlood({ siteId: gate.siteId, gateId: gate.gateId, until: verdict.until });
        } catch (error) {
          log.error({ err: error }, 'gate flood alert failed');
        }
      }
      return verdict;
    },
    refused: (gate, topic, size) => bus.reportOverBudget(gate, topic, size),
    backedOffUntil: (gate) => budget.backedOffUntil(keyOf(gate)),
  };
}
