/**
 * 初始设置: the first-run wizard — site, zones, ticket windows, ticket types from templates, the first gate with its
 * credential and the simulator command, then the dashboard. Every step saves at once, so the administrator may
 * leave and come back: with a site already there the wizard continues with it.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Result, Space, Steps, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api } from '../../../api/client';
import type { Site } from '../../../api/types';
import { QueryView } from '../../../components/feedback';
import { venueName } from '../shared/venue-fields';
import { GateStep } from './gate-step';
import { ListStep, useListCount } from './list-step';
import { SiteStep } from './site-step';
import { TypesStep } from './types-step';

const STEPS = ['site', 'zones', 'windows', 'types', 'gate', 'done'] as const;

export default function SetupPage() {
  const { t } = useTranslation('admin');
  const first = useQuery({
    queryKey: ['sites', 'list', { limit: 1 }],
    queryFn: () => api.get<{ sites: Site[] }>('/sites', { limit: 1 }),
    // The answer decides where the wizard starts; a site created in a step must not move it.
    staleTime: Number.POSITIVE_INFINITY,
  });
  return (
    <>
      <Typography.Title level={3}>{t('setup.title')}</Typography.Title>
      <QueryView query={first}>{(data) => <Wizard existing={data.sites[0]} />}</QueryView>
    </>
  );
}

function Wizard({ existing }: { existing: Site | undefined }) {
  const { t } = useTranslation('admin');
  const navigate = useNavigate();
  const client = useQueryClient();
  // Captured once: a site created in step 1 must not turn the wizard into "continuing".
  const [resumed] = useState(existing);
  const [siteId, setSiteId] = useState(existing?.id);
  const [step, setStep] = useState(existing ? 1 : 0);
  const zoneCount = useListCount('zones', siteId);
  const current = STEPS[step]!;

  const go = (to: number) => setStep(Math.max(0, Math.min(STEPS.length - 1, to)));
  const finish = () => {
    void client.invalidateQueries({ queryKey: ['sites'] });
    navigate('/dashboard');
  };

  return (
    <Card>
      <Steps
        current={step}
        size="small"
        style={{ marginBottom: 24 }}
        items={STEPS.map((key) => ({ key, title: t(`setup.steps.${key}`) }))}
        data-testid="setup-steps"
      />
      {resumed && step > 0 && step < 5 ? (
        <Alert
          type="info"
          showIcon
          title={t('setup.resume', { site: `${venueName(resumed.name)} (${resumed.id})` })}
          style={{ marginBottom: 16 }}
        />
      ) : null}
      <Typography.Paragraph type="secondary">{t(`setup.intro.${current}`)}</Typography.Paragraph>
      {current === 'site' ? (
        <SiteStep
          siteId={siteId}
          onSaved={(site) => {
            setSiteId(site.id);
            go(1);
          }}
        />
      ) : null}
      {current === 'zones' && siteId ? <ListStep kind="zones" siteId={siteId} /> : null}
      {current === 'windows' && siteId ? <ListStep kind="windows" siteId={siteId} /> : null}
      {current === 'types' && siteId ? <TypesStep siteId={siteId} /> : null}
      {current === 'gate' && siteId ? <GateStep siteId={siteId} onDone={() => go(5)} /> : null}
      {current === 'done' ? (
        <Result
          status="success"
          title={t('setup.doneTitle')}
          subTitle={t('setup.doneText')}
          extra={[
            <Button type="primary" key="dashboard" onClick={finish} data-testid="setup-dashboard">
              {t('setup.toDashboard')}
            </Button>,
            <Button key="operators" onClick={() => navigate('/operators')}>
              {t('setup.toOperators')}
            </Button>,
          ]}
        />
      ) : null}
      {step > 0 && step < 5 ? (
        <Space style={{ marginTop: 24 }}>
          <Button onClick={() => go(step - 1)}>{t('setup.previous')}</Button>
          {current !== 'gate' ? (
            <Button
              type="primary"
              disabled={current === 'zones' && zoneCount === 0}
              onClick={() => go(step + 1)}
              data-testid="setup-next"
            >
              {t('setup.next')}
            </Button>
          ) : (
            <Button onClick={() => go(step + 1)}>{t('setup.skipGate')}</Button>
          )}
        </Space>
      ) : null}
    </Card>
  );
}
