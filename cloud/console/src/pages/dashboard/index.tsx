/**
 * 总览: what is true right now — persons in the park against capacity, today's entries and exits per site, and how
 * many gates answer. Each block appears only with the permission its API needs (occupancy: reports.read; gate
 * status: gates.read).
 */
import { useQuery } from '@tanstack/react-query';
import { Card, Col, Progress, Row, Statistic, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { GateStatus, SiteOccupancy } from '../../api/types';
import { allows } from '../../auth/access';
import { useMe } from '../../auth/session';
import { QueryView } from '../../components/feedback';

function Occupancy() {
  const { t } = useTranslation('dashboard');
  const query = useQuery({
    queryKey: ['occupancy', 'list'],
    queryFn: () => api.get<{ items: SiteOccupancy[] }>('/occupancy'),
    refetchInterval: 5_000,
  });
  return (
    <QueryView query={query} empty={(data) => data.items.length === 0}>
      {(data) => (
        <Row gutter={[16, 16]}>
          {data.items.map(({ siteId, site }) => (
            <Col key={siteId} xs={24} md={12} xl={8}>
              <Card title={t('site', { site: siteId })} data-testid={`occupancy-${siteId}`}>
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
  const query = useQuery({
    queryKey: ['gate-status', 'list'],
    queryFn: () => api.get<{ items: GateStatus[] }>('/gates/status'),
    refetchInterval: 5_000,
  });
  return (
    <QueryView query={query}>
      {(data) => {
        const online = data.items.filter((gate) => gate.online).length;
        return (
          <Row gutter={16}>
            <Col span={12}>
              <Card>
                <Statistic title={t('gatesOnline')} value={online} data-testid="gates-online" />
              </Card>
            </Col>
            <Col span={12}>
              <Card>
                <Statistic title={t('gatesOffline')} value={data.items.length - online} />
              </Card>
            </Col>
          </Row>
        );
      }}
    </QueryView>
  );
}

export default function DashboardPage() {
  const { t } = useTranslation('dashboard');
  const me = useMe().data ?? undefined;
  return (
    <>
      <Typography.Title level={3}>{t('title')}</Typography.Title>
      <Row gutter={[16, 16]}>
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
      </Row>
    </>
  );
}
