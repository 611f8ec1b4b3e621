/**
 * 售票窗口: the cashier's till. The terminal's window is chosen once (site and window, kept in this browser); then
 * the desk sells by keyboard, with a barcode scanner as a keyboard, against POST /api/v1/sales.
 */
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Result } from 'antd';
import { Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/errors';
import { ErrorState, Loading } from '../../components/feedback';
import { lazyPart } from '../../components/lazy-part';
import { Desk } from './desk';
import { siteQuery, windowQuery } from './queries';
import { forgetTerminal, loadTerminal, saveTerminal, type Terminal } from './terminal';

/** Chosen once per terminal: its selectors load only when a terminal has no window yet (or changes it). */
const TerminalSetup = lazyPart(
  () => import('./setup'),
  (module) => module.TerminalSetup,
);

function isNotFound(error: unknown): boolean {
  return error instanceof ApiError && error.status === 404;
}

/** The remembered window, read again from the API: it may have been removed or deactivated since. */
function TerminalDesk({ terminal, onChange }: { terminal: Terminal; onChange: (reason?: 'gone') => void }) {
  const { t } = useTranslation('window');
  const site = useQuery(siteQuery(terminal.siteId));
  const window = useQuery(windowQuery(terminal.siteId, terminal.windowId));
  if (site.isPending || window.isPending) return <Loading />;
  if (isNotFound(site.error) || isNotFound(window.error)) {
    return (
      <Result
        status="warning"
        title={t('setup.goneTitle')}
        subTitle={
          <span data-testid="window-gone">
            {t('setup.gone', { siteId: terminal.siteId, windowId: terminal.windowId })}
          </span>
        }
        extra={
          <Button type="primary" onClick={() => onChange('gone')}>
            {t('setup.chooseAgain')}
          </Button>
        }
      />
    );
  }
  if (site.error || !site.data) return <ErrorState error={site.error} onRetry={() => site.refetch()} />;
  if (window.error || !window.data)
    return <ErrorState error={window.error} onRetry={() => window.refetch()} />;
  if (!window.data.active) {
    return (
      <Result
        status="warning"
        title={t('setup.inactiveTitle')}
        subTitle={
          <span data-testid="window-inactive">
            {t('setup.inactive', { window: window.data.name.zh, id: window.data.id })}
          </span>
        }
        extra={
          <Button type="primary" onClick={() => onChange()}>
            {t('setup.chooseAgain')}
          </Button>
        }
      />
    );
  }
  return <Desk site={site.data} window={window.data} onChangeWindow={() => onChange()} />;
}

export default function WindowPage() {
  const { t } = useTranslation('window');
  const [terminal, setTerminal] = useState<Terminal | null>(() => loadTerminal());
  const [choosing, setChoosing] = useState(false);
  const [gone, setGone] = useState(false);

  if (!terminal || choosing) {
    return (
      <>
        {gone ? (
          <Alert type="warning" showIcon title={t('setup.goneChosen')} style={{ marginBottom: 16 }} />
        ) : null}
        <Suspense fallback={<Loading />}>
          <TerminalSetup
            current={terminal}
            onChosen={(chosen) => {
              saveTerminal(chosen);
              setTerminal(chosen);
              setChoosing(false);
              setGone(false);
            }}
            onCancel={terminal && !gone ? () => setChoosing(false) : undefined}
          />
        </Suspense>
      </>
    );
  }
  return (
    <TerminalDesk
      key={`${terminal.siteId}/${terminal.windowId}`}
      terminal={terminal}
      onChange={(reason) => {
        if (reason === 'gone') {
          forgetTerminal();
          setGone(true);
        }
        setChoosing(true);
      }}
    />
  );
}
