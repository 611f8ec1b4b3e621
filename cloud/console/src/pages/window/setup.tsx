/**
 * Choosing this terminal's ticket window: a site, then one of its active windows. Without any site or window the
 * cashier is told plainly that an administrator has to add one first.
 */
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Form, Result, Select, Space, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { SitePage, WindowPage } from '../../api/types';
import { ErrorAlert, Loading, QueryView } from '../../components/feedback';
import { nameIn } from './names';
import type { Terminal } from './terminal';

/** One page of the venue lists is plenty for a selector (the API allows up to 500 per page). */
const PAGE = 500;

function NoWindows({ what }: { what: 'sites' | 'windows' }) {
  const { t } = useTranslation('window');
  return (
    <Result
      status="info"
      title={t('setup.noWindowTitle')}
      subTitle={
        <span data-testid="no-window">{t(what === 'sites' ? 'setup.noSites' : 'setup.noWindows')}</span>
      }
    />
  );
}

export function TerminalSetup({
  current,
  onChosen,
  onCancel,
}: {
  current: Terminal | null;
  onChosen: (terminal: Terminal) => void;
  onCancel?: (() => void) | undefined;
}) {
  const { t } = useTranslation('window');
  const [siteId, setSiteId] = useState<string | undefined>(current?.siteId);
  const [windowId, setWindowId] = useState<string | undefined>(current?.windowId);
  const sites = useQuery({
    queryKey: ['sites', 'list', { limit: PAGE }],
    queryFn: () => api.get<SitePage>('/sites', { limit: PAGE }),
  });
  const onlySite = sites.data?.sites.length === 1 ? sites.data.sites[0]!.id : undefined;
  const chosenSite = siteId ?? onlySite;
  const windows = useQuery({
    queryKey: ['windows', 'list', chosenSite, { limit: PAGE }],
    queryFn: () => api.get<WindowPage>(`/sites/${encodeURIComponent(chosenSite!)}/windows`, { limit: PAGE }),
    enabled: chosenSite !== undefined,
  });
  const activeWindows = windows.data?.windows.filter((w) => w.active) ?? [];
  const chosenWindow =
    windowId && activeWindows.some((w) => w.id === windowId)
      ? windowId
      : activeWindows.length === 1
        ? activeWindows[0]!.id
        : undefined;

  // Once both are known (one site, one window: at once), Enter saves.
  const saveButton = useRef<HTMLButtonElement>(null);
  const ready = Boolean(chosenSite && chosenWindow);
  useEffect(() => {
    if (ready) saveButton.current?.focus();
  }, [ready]);

  const submit = () => {
    if (chosenSite && chosenWindow) onChosen({ siteId: chosenSite, windowId: chosenWindow });
  };

  return (
    <QueryView query={sites}>
      {(data) =>
        data.sites.length === 0 ? (
          <NoWindows what="sites" />
        ) : (
          <Card style={{ maxWidth: 560, margin: '24px auto' }} data-testid="window-setup">
            <Typography.Title level={3} style={{ marginTop: 0 }}>
              {t('setup.title')}
            </Typography.Title>
            <Typography.Paragraph type="secondary">{t('setup.intro')}</Typography.Paragraph>
            <Form layout="vertical" onFinish={submit}>
              <Form.Item label={t('setup.site')} required>
                <Select
                  autoFocus
                  showSearch={{ optionFilterProp: 'label' }}
                  value={chosenSite}
                  onChange={(value) => {
                    setSiteId(value);
                    setWindowId(undefined);
                  }}
                  options={data.sites.map((site) => ({
                    value: site.id,
                    label: `${nameIn(site.name)} (${site.id})`,
                  }))}
                  aria-label={t('setup.site')}
                  data-testid="setup-site"
                />
              </Form.Item>
              <Form.Item label={t('setup.window')} required>
                {chosenSite === undefined ? (
                  <Typography.Text type="secondary">{t('setup.siteFirst')}</Typography.Text>
                ) : windows.isPending ? (
                  <Loading />
                ) : windows.error ? (
                  <ErrorAlert error={windows.error} />
                ) : activeWindows.length === 0 ? (
                  <NoWindows what="windows" />
                ) : (
                  <Select
                    value={chosenWindow}
                    onChange={setWindowId}
                    options={activeWindows.map((w) => ({
                      value: w.id,
                      label: `${nameIn(w.name)} (${w.id})`,
                    }))}
                    aria-label={t('setup.window')}
                    data-testid="setup-window"
                  />
                )}
              </Form.Item>
              <Space>
                <Button
                  ref={saveButton}
                  type="primary"
                  htmlType="submit"
                  disabled={!chosenSite || !chosenWindow}
                  data-testid="setup-save"
                >
                  {t('setup.save')}
                </Button>
                {onCancel ? <Button onClick={onCancel}>{t('setup.cancel')}</Button> : null}
              </Space>
            </Form>
          </Card>
        )
      }
    </QueryView>
  );
}
