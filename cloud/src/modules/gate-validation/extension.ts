/**
 * The online-validation extension: each `validate_request` is answered on the gate's `validate/res` topic. Requests
 * are worked on concurrently (the service serialises what must be serialised in the database), so one slow answer
 * never delays another gate's; a request received after its deadline is not worked on at all (`DEADLINE_PASSED`).
 */
import type { Logger } from 'pino';
import type { MqttBus } from '../../mqtt/bus.js';
import type { MqttExtension } from '../../mqtt/extensions/types.js';
import type { ValidationService } from './service.js';

export interface ValidationExtension extends MqttExtension {
  /** Waits for the validations in progress (shutdown, tests). */
  idle(): Promise<void>;
}

export function validationExtension(
  service: ValidationService,
  bus: MqttBus,
  logger: Logger,
): ValidationExtension {
  const inProgress = new Set<Promise<void>>();
  return {
    name: 'online-validation',
    channels: ['validate/req'],
    handle(inbound) {
      const request = inbound.message;
      if (request.type !== 'validate_request') return undefined;
      if (inbound.receivedAt > request.deadlineAt) return { refused: 'DEADLINE_PASSED' };
      const work = (async () => {
        try {
          const response = await service.validate(inbound.siteId, inbound.gateId, request);
          if (response)
            await bus.publish(
              { siteId: inbound.siteId, gateId: inbound.gateId, channel: 'validate/res' },
              response,
            );
        } catch (error) {
          // No answer: the gate decides locally at its deadline.
          logger.error({ err: error, correlationId: request.correlationId }, 'online validation failed');
        }
      })();
      inProgress.add(work);
      void work.finally(() => inProgress.delete(work));
      return undefined;
    },
    async idle() {
      await Promise.all([...inProgress]);
    },
  };
}
