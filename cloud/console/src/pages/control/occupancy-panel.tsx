/**
 * 在园人数 for the control room: a gauge per site and a bar per zone from the occupancy stream, a banner for every
 * place at or above an alert level (80 / 90 / 95 % of its capacity), and a tone when a level rises, unless muted.
 * Capacities are set in the administration pages.
 */
import { MutedOutlined, SoundOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Col, Flex, Progress, Row, Space, Statistic, Tag, Typography } from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { OccupancyFigure, SiteOccupancy } from '../../api/types';
import { QueryView } from '../../components/feedback';
import { StreamStatusBadge } from '../../components/stream-status';
import { beep, isMuted, setMuted } from './beep';
import { figureKey, risenLevels } from './live';
import { useLiveOccupancy } from './streams';
import { localName, useSites, useZonesOf } from './venues';

const LEVEL_COLORS: Record<number, string> = { 0: '#0f766e', 80: '#d97706', 90: '#dc2626', 95: '#991b1b' };

function levelColor(level: number): string {
  return LEVEL_COLORS[level] ?? LEVEL_COLORS[0]!;
}

function percentOf(figure: OccupancyFigure): number {
  return Math.round(figure.percent ?? 0);
}

export function OccupancyPanel({ siteId, zoneId }: { siteId?: string; zoneId?: string }) {
  const { t } = useTranslation('control');
  const { query, stream } = useLiveOccupancy();
  const sites = useSites().data;
  const zones = useZonesOf(useMemo(() => (sites ?? []).map((site) => site.id), [sites]));
  const [muted, setMutedState] = useState(isMuted);
  const levels = useRef<Map<string, number> | undefined>(undefined);

  const all = query.data?.items;
  useEffect(() => {
    if (!all) return;
    const { risen, levels: now } = risenLevels(levels.current, all);
    levels.current = now;
    if (risen.length > 0 && !isMuted()) beep(Math.max(...risen.map((figure) => figure.level)));
  }, [all]);

  const shown = (all ?? []).filter((site) => siteId === undefined || site.siteId === siteId);
  const siteName = (id: string) => localName(sites?.find((site) => site.id === id)?.name, id);
  const zoneName = (site: string, id: string) =>
    localName(zones.find((zone) => zone.siteId === site && zone.id === id)?.name, id);
  const placeOf = (figure: OccupancyFigure) =>
    figure.zoneId === null
      ? siteName(figure.siteId)
      : `${siteName(figure.siteId)} · ${zoneName(figure.siteId, figure.zoneId)}`;

  const alerting = shown
    .flatMap((site) => [site.site, ...site.zones])
    .filter(
      (figure) =>
        figure.level > 0 && (zoneId === undefined || figure.zoneId === null || figure.zoneId === zoneId),
    )
    .sort((a, b) => b.level - a.level);

  const toggle = () => {
    setMuted(!muted);
    setMutedState(!muted);
  };

  return (
    <Card
      size="small"
      title={
        <Space size="middle">
          <span>{t('occupancy.title')}</span>
          <StreamStatusBadge status={stream} testId="occupancy-stream" />
        </Space>
      }
      extra={
        <Button
          size="small"
          icon={muted ? <MutedOutlined /> : <SoundOutlined />}
          onClick={toggle}
          aria-pressed={muted}
          // The visible state leads the name, the purpose follows (the name must contain what is shown).
          aria-label={`${muted ? t('occupancy.soundOff') : t('occupancy.soundOn')} · ${t('occupancy.sound')}`}
          data-testid="mute-toggle"
        >
          {muted ? t('occupancy.soundOff') : t('occupancy.soundOn')}
        </Button>
      }
    >
      <Flex vertical gap={8}>
        {alerting.map((figure) => (
          <Alert
            key={figureKey(figure)}
            type={figure.level >= 90 ? 'error' : 'warning'}
            showIcon
            role="alert"
            data-testid="occupancy-banner"
            data-level={figure.level}
            title={t('occupancy.banner', {
              word: t(`occupancy.bannerLevel.${figure.level}` as 'occupancy.bannerLevel.80'),
              place: placeOf(figure),
              level: figure.level,
              inside: figure.inside,
              capacity: figure.capacity ?? 0,
            })}
          />
        ))}
        <QueryView query={query} empty={() => shown.length === 0}>
          {() => (
            <Row gutter={[12, 12]}>
              {shown.map((site) => (
                <Col key={site.siteId} xs={24} lg={12} xxl={8}>
                  <SiteGauge
                    site={site}
                    name={siteName(site.siteId)}
                    zoneName={(id) => zoneName(site.siteId, id)}
                    zoneId={zoneId}
                  />
                </Col>
              ))}
            </Row>
          )}
        </QueryView>
      </Flex>
    </Card>
  );
}

function SiteGauge({
  site,
  name,
  zoneName,
  zoneId,
}: {
  site: SiteOccupancy;
  name: string;
  zoneName: (zoneId: string) => string;
  zoneId: string | undefined;
}) {
  const { t } = useTranslation('control');
  const figure = site.site;
  const zones = site.zones.filter((zone) => zoneId === undefined || zone.zoneId === zoneId);
  return (
    <Card size="small" type="inner" title={name} data-testid={`occupancy-${site.siteId}`}>
      <Flex gap={16} align="center" wrap>
        {figure.capacity === null ? null : (
          <Progress
            type="dashboard"
            size={88}
            percent={Math.min(100, percentOf(figure))}
            strokeColor={levelColor(figure.level)}
            status={figure.level >= 90 ? 'exception' : 'normal'}
            format={() => `${percentOf(figure)}%`}
            aria-label={t('occupancy.capacity', { capacity: figure.capacity })}
          />
        )}
        <Statistic
          title={t('occupancy.inside')}
          value={figure.inside}
          suffix={figure.capacity === null ? undefined : `/ ${figure.capacity}`}
          data-testid={`inside-${site.siteId}`}
        />
        <Flex vertical gap={2}>
          <Typography.Text type="secondary">
            {t('occupancy.entries', { count: figure.entries })}
          </Typography.Text>
          <Typography.Text type="secondary">{t('occupancy.exits', { count: figure.exits })}</Typography.Text>
          {figure.capacity === null ? (
            <Typography.Text type="secondary">{t('occupancy.noCapacity')}</Typography.Text>
          ) : null}
        </Flex>
        {figure.level > 0 ? <Tag color="red">{`${figure.level}%`}</Tag> : null}
      </Flex>
      {zones.length > 0 ? (
        <Flex vertical gap={4} style={{ marginTop: 8 }}>
          {zones.map((zone) => (
            <Flex key={zone.zoneId} gap={8} align="center">
              <Typography.Text style={{ width: 96, flex: 'none' }} ellipsis>
                {zoneName(zone.zoneId ?? '')}
              </Typography.Text>
              {zone.capacity === null ? (
                <Typography.Text type="secondary" style={{ flex: 1 }}>
                  {`${t('occupancy.inside')} ${zone.inside} · ${t('occupancy.noCapacity')}`}
                </Typography.Text>
              ) : (
                <Progress
                  style={{ flex: 1, margin: 0 }}
                  percent={Math.min(100, percentOf(zone))}
                  strokeColor={levelColor(zone.level)}
                  status={zone.level >= 90 ? 'exception' : 'normal'}
                  format={() => `${zone.inside} / ${zone.capacity}`}
                  aria-label={zoneName(zone.zoneId ?? '')}
                />
              )}
            </Flex>
          ))}
        </Flex>
      ) : null}
    </Card>
  );
}
