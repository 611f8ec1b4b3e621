/**
 * 实时状态: today's figures of each site as the push stream keeps them — sales total, net, tickets, refunds, entries,
 * persons in the park, group visitors and gates online, then the sales total by tender and by channel with each
 * one's share. What each figure counts is the API's (live-status/figures.ts); the hints under the titles say it.
 */
import { Card, Col, Divider, Flex, Progress, Row, Space, Statistic, Tooltip, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { LiveFigures } from '../../api/types';
import { QueryView } from '../../components/feedback';
import { StreamStatusBadge } from '../../components/stream-status';
import type { StreamStatus } from '../../components/use-event-stream';
import { formatFen } from '../../format/money';
import { formatTime } from '../../format/time';
import { localName } from '../control/venues';
import { useLiveStatus } from './live-status';

const METHODS = ['cash', 'bank_card', 'wechat', 'alipay', 'points', 'agency_account'] as const;
const CHANNELS = ['window', 'agency', 'channel_api'] as const;

function Figure({
  title,
  hint,
  value,
  suffix,
  note,
  testId,
}: {
  title: string;
  hint?: string;
  value: string | number;
  suffix?: string;
  note?: ReactNode;
  testId: string;
}) {
  return (
    <div data-testid={testId}>
      <Statistic
        title={hint ? <Tooltip title={hint}>{title}</Tooltip> : title}
        value={value}
        {...(suffix ? { suffix } : {})}
      />
      <Typography.Text type="secondary" style={{ fontSize: 12, minHeight: 20, display: 'block' }}>
        {note ?? '\u00a0'}
      </Typography.Text>
    </div>
  );
}

/** One line per tender or channel: its name, its amount and its share of the sales total as a bar. */
function Shares({
  title,
  rows,
  totalFen,
  testId,
}: {
  title: string;
  rows: { key: string; label: string; amountFen: number }[];
  totalFen: number;
  testId: string;
}) {
  const { t } = useTranslation('dashboard');
  return (
    <div data-testid={testId}>
      <Typography.Text strong>{title}</Typography.Text>
      {rows.length === 0 ? (
        <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
          {t('live.noSales')}
        </Typography.Paragraph>
      ) : (
        <Flex vertical gap={6} style={{ marginTop: 8 }}>
          {rows.map((row) => (
            <div key={row.key} data-testid={`${testId}-${row.key}`}>
              <Flex justify="space-between">
                <Typography.Text>{row.label}</Typography.Text>
                <Typography.Text strong>{formatFen(row.amountFen)}</Typography.Text>
              </Flex>
              <Progress
                percent={totalFen > 0 ? Math.max(0, Math.round((row.amountFen * 100) / totalFen)) : 0}
                showInfo={false}
                size="small"
                strokeColor="#0f766e"
                aria-label={row.label}
              />
            </div>
          ))}
        </Flex>
      )}
    </div>
  );
}

function SiteFigures({ figures, status }: { figures: LiveFigures; status: StreamStatus }) {
  const { t } = useTranslation('dashboard');
  const { sales, refunds, tickets, gates } = figures;
  const methodLabel = (method: string) =>
    (METHODS as readonly string[]).includes(method)
      ? t(`live.methods.${method as (typeof METHODS)[number]}`)
      : method;
  const channelLabel = (channel: string) =>
    (CHANNELS as readonly string[]).includes(channel)
      ? t(`live.channels.${channel as (typeof CHANNELS)[number]}`)
      : channel;
  return (
    <Card
      title={t('live.title', { site: localName(figures.siteName, figures.siteId) })}
      extra={
        <Space size="middle">
          <Typography.Text type="secondary">
            {figures.date} · {t('live.updated', { time: formatTime(figures.at, figures.timeZone) })}
          </Typography.Text>
          <StreamStatusBadge status={status} testId={`live-stream-${figures.siteId}`} />
        </Space>
      }
      data-testid={`live-${figures.siteId}`}
    >
      <Row gutter={[24, 16]}>
        <Col xs={12} lg={6}>
          <Figure
            title={t('live.salesTotal')}
            hint={t('live.salesHint')}
            value={formatFen(sales.totalFen)}
            testId="live-sales-total"
          />
        </Col>
        <Col xs={12} lg={6}>
          <Figure
            title={t('live.tickets')}
            value={tickets.sold}
            suffix={t('live.ticketsUnit')}
            note={t('live.persons', { persons: tickets.persons })}
            testId="live-tickets"
          />
        </Col>
        <Col xs={12} lg={6}>
          <Figure
            title={t('live.refunds')}
            value={formatFen(refunds.amountFen)}
            note={t('live.refundsDetail', {
              refunds: t('live.refundCount', { count: refunds.count }),
              tickets: t('live.refundTickets', { count: refunds.tickets }),
            })}
            testId="live-refunds"
          />
        </Col>
        <Col xs={12} lg={6}>
          <Figure
            title={t('live.net')}
            hint={t('live.netHint')}
            value={formatFen(figures.netFen)}
            testId="live-net"
          />
        </Col>
      </Row>
      <Divider style={{ margin: '16px 0' }} />
      <Row gutter={[24, 16]}>
        <Col xs={12} lg={6}>
          <Figure
            title={t('live.entries')}
            value={figures.entries}
            suffix={t('live.personsUnit')}
            testId="live-entries"
          />
        </Col>
        <Col xs={12} lg={6}>
          <Figure
            title={t('live.inPark')}
            value={figures.inPark}
            suffix={t('live.personsUnit')}
            testId="live-in-park"
          />
        </Col>
        <Col xs={12} lg={6}>
          <Figure
            title={t('live.groupPersons')}
            hint={t('live.groupHint')}
            value={figures.groupPersons}
            suffix={t('live.personsUnit')}
            testId="live-group"
          />
        </Col>
        <Col xs={12} lg={6}>
          <Figure
            title={t('live.gatesOnline')}
            value={`${gates.online} / ${gates.total}`}
            testId="live-gates"
          />
        </Col>
      </Row>
      <Divider style={{ margin: '16px 0' }} />
      <Row gutter={[48, 16]}>
        <Col xs={24} lg={12}>
          <Shares
            title={t('live.byMethod')}
            totalFen={sales.totalFen}
            rows={sales.byMethod.map((m) => ({
              key: m.method,
              label: methodLabel(m.method),
              amountFen: m.amountFen,
            }))}
            testId="live-method"
          />
        </Col>
        <Col xs={24} lg={12}>
          <Shares
            title={t('live.byChannel')}
            totalFen={sales.totalFen}
            rows={sales.byChannel.map((c) => ({
              key: c.channel,
              label: channelLabel(c.channel),
              amountFen: c.amountFen,
            }))}
            testId="live-channel"
          />
        </Col>
      </Row>
    </Card>
  );
}

/** Every visible site's figures, one card each (reports.read). */
export function LiveFiguresPanel() {
  const { query, stream } = useLiveStatus();
  return (
    <QueryView query={query} empty={(data) => data.items.length === 0}>
      {(data) => (
        <Flex vertical gap={16}>
          {data.items.map((figures) => (
            <SiteFigures key={figures.siteId} figures={figures} status={stream} />
          ))}
        </Flex>
      )}
    </QueryView>
  );
}
