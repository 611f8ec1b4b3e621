/**
 * A push stream's connection state, in words and colour: live, connecting, or lost with the seconds until the next
 * attempt. A control room must never mistake a frozen screen for a quiet park.
 */
import { Badge, Tooltip } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { StreamStatus } from './use-event-stream';

export function StreamStatusBadge({ status, testId }: { status: StreamStatus; testId?: string }) {
  const { t } = useTranslation();
  const [now, setNow] = useState(() => Date.now());
  const waiting = status.state === 'reconnecting' && status.retryAt !== null;
  useEffect(() => {
    if (!waiting) return;
    const timer = window.setInterval(() => setNow(Date.now()), 500);
    return () => window.clearInterval(timer);
  }, [waiting]);

  let badge: 'success' | 'processing' | 'error' | 'default';
  let text: string;
  switch (status.state) {
    case 'open':
      badge = 'success';
      text = t('stream.open');
      break;
    case 'connecting':
      badge = 'processing';
      text = t('stream.connecting');
      break;
    case 'reconnecting': {
      badge = 'error';
      const seconds = status.retryAt === null ? 0 : Math.ceil((status.retryAt - now) / 1000);
      text = seconds > 0 ? t('stream.reconnecting', { seconds }) : t('stream.retrying');
      break;
    }
    default:
      badge = 'default';
      text = t('stream.stopped');
  }
  return (
    <Tooltip title={t('stream.label')}>
      <span role="status" aria-live="polite" data-testid={testId} data-state={status.state}>
        <Badge status={badge} text={text} />
      </span>
    </Tooltip>
  );
}
