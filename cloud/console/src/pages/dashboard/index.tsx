/**
 * 总览: what is true right now — today's business per site (sales, tickets, refunds, entries, in park, group visitors,
 * gates online: live-figures.tsx), persons in the park against capacity, how many gates answer, and today's passages
 * with the denials by reason. Each block appears only with the permission its API needs (live figures and occupancy:
 * reports.read; gate status and passages: gates.read). All but the passages come from push streams.
 */
import { useQuery } from '@tanstack/react-query';
import { Card, Col, Progress, Row, Skeleton, Statistic, Tag, Typography } from 'antd';
import { lazy, Suspense, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { PassageSummary } from '../../api/types';
import { allows } from '../../auth/access';
import { useMe } from '../../auth/session';
import { EmptyState, QueryView } from '../../components/feedback';
import { livenessOf } from '../control/gate-health';
import { reasonLabel, useNow } from '../control/labels';
import { useLiveGateStatus, useLiveOccupancy } from '../control/streams';
import { localName, useSites } from '../control/venues';
import { LiveFiguresPanel } from './live-figures';
import { useLiveStatus } from './live-status';

const DenialsChart = lazy(() => import('./denials-chart'));

function Occupancy() {
  const { t } = useTranslation('dashboard');
  const { query } = useLiveOccupancy();
  const sites = useSites().data;
  // The live figures carry each site's name: what an operator without venues.read sees the site called.
  const live = useLiveStatus().query.data?.items;
  const nameOf = (siteId: string) =>
    localName(
      sites?.find((s) => s.id === siteId)?.name ?? live?.find((f) => f.siteId === siteId)?.siteName,
      siteId,
    );
  return (
    <QueryView query={query} empty={(data) => data.items.length === 0}>
      {(data) => (
        <Row gutter={[16, 16]}>
          {data.items.map(({ siteId, site }) => (
            <Col key={siteId} xs={24} md={12} xl={8}>
              <Card title={t('site', { site: nameOf(siteId) })} data-testid={`occupancy-${siteId}`}>
                <Row gutter={16}>
                  <Col span={12}>
                    <Statistic title={t('inPark')} value={site.inside} />
                  </Col>
                  <Col span={12}>
                    {site.capacity === null ? (
                      <Typography.Text type="secondary">{t('noCapacity')}</Typography.Text>
                    ) : (
                      <Progress
                        type="dashboard"
                        size={96}
                        percent={Math.min(100, Math.round(site.percent ?? 0))}
                        status={site.level >= 90 ? 'exception' : 'normal'}
                        format={() => `${Math.round(site.percent ?? 0)}%`}
                        aria-label={t('capacity', { capacity: site.capacity })}
                      />
                    )}
                  </Col>
                  <Col span={12}>
                    <Statistic title={t('entries')} value={site.entries} />
                  </Col>
                  <Col span={12}>
                    <Statistic title={t('exits')} value={site.exits} />
                  </Col>
                </Row>
                {site.level > 0 ? <Tag color="red">{t('level', { level: site.level })}</Tag> : null}
              </Card>
            </Col>
          ))}
        </Row>
      )}
    </QueryView>
  );
}

function Gates() {
  const { t } = useTranslation('dashboard');
  const { query } = useLiveGateStatus();
  const now = useNow(5_000);
  return (
    <QueryView query={query}>
      {(data) => {
        const counts = { online: 0, stale: 0, offline: 0, unknown: 0 };
        for (const gate of data.items) counts[livenessOf(gate, now)] += 1;
        return (
          <Row gutter={16}>
            <Col span={8}>
              <Card>
                <Statistic title={t('gatesOnline')} value={counts.online} data-testid="gates-online" />
              </Card>
            </Col>
            <Col span={8}>
              <Card>
                <Statistic title={t('gatesStale')} value={counts.stale} />
              </Card>
            </Col>
            <Col span={8}>
              <Card>
                <Statistic title={t('gatesOffline')} value={counts.offline} />
              </Card>
            </Col>
          </Row>
        );
      }}
    </QueryView>
  );
}

function Passages() {
  const { t } = useTranslation('dashboard');
  const { t: tc } = useTranslation('control');
  const query = useQuery({
    queryKey: ['passages', 'summary', { siteId: undefined, date: undefined }],
    queryFn: ({ signal }) => api.get<PassageSummary>('/passages/summary', undefined, signal),
    refetchInterval: 10_000,
  });
  const bars = useMemo(
    () =>
      (query.data?.denialsByReason ?? []).map((item) => ({
        label: reasonLabel(tc, item.reason),
        count: item.count,
      })),
    [query.data, tc],
  );
  return (
    <Card title={t('passagesTitle')} data-testid="passage-summary">
      <QueryView query={query}>
        {(summary) => (
          <Row gutter={[16, 16]}>
            <Col xs={24} lg={8}>
              <Row gutter={16}>
                <Col span={8}>
                  <Statistic title={t('entries')} value={summary.entries} data-testid="dashboard-entries" />
                </Col>
                <Col span={8}>
                  <Statistic title={t('exits')} value={summary.exits} />
                </Col>
                <Col span={8}>
                  <Statistic title={t('denials')} value={summary.denials} data-testid="dashboard-denials" />
                </Col>
              </Row>
            </Col>
            <Col xs={24} lg={16}>
              <Typography.Text type="secondary">{t('denialsByReason')}</Typography.Text>
              {bars.length === 0 ? (
                <EmptyState>{t('noDenials')}</EmptyState>
              ) : (
                <Suspense fallback={<Skeleton active paragraph={{ rows: 2 }} />}>
                  <DenialsChart bars={bars} label={t('denialsByReason')} />
                </Suspense>
              )}
            </Col>
          </Row>
        )}
      </QueryView>
    </Card>
  );
}

export default function DashboardPage() {
  const { t } = useTranslation('dashboard');
  const me = useMe().data ?? undefined;
  return (
    <>
      <Typography.Title level={3}>{t('title')}</Typography.Title>
      <Row gutter={[16, 16]}>
        {allows(me, 'reports.read') ? (
          <Col span={24}>
            <LiveFiguresPanel />
          </Col>
        ) : null}
        {allows(me, 'gates.read') ? (
          <Col span={24}>
            <Gates />
          </Col>
        ) : null}
        {allows(me, 'reports.read') ? (
          <Col span={24}>
            <Occupancy />
          </Col>
        ) : null}
        {allows(me, 'gates.read') ? (
          <Col span={24}>
            <Passages />
          </Col>
        ) : null}
      </Row>
    </>
  );
}
