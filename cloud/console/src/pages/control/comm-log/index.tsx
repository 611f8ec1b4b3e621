/**
 * 通信日志: every MQTT message to and from the gates (newest first, paged on the server, filtered by site, gate,
 * direction, message type, result, reason and time), and per-gate daily totals over a range of business days
 * (messages and bytes each way, rejections, latency). Filters live in the URL.
 */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Card, DatePicker, Flex, Select, Space, Table, Tabs, Tag, Tooltip, Typography } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/client';
import type { CommLogDay, CommLogEntry } from '../../../api/types';
import { ErrorAlert } from '../../../components/feedback';
import { formatDateTime, today } from '../../../format/time';
import { control } from '../../../i18n/areas/control';
import { SiteFilter } from '../site-filter';
import { type FilterPatch, numberParam, useUrlFilters } from '../url-filters';
import { localName, nameWithId, siteZone, useRegistryGates, useSitesInView } from '../venues';
import { WallTimeRange } from '../wall-time-range';

const MESSAGE_TYPES = Object.keys(control['zh-CN'].messageTypes);
const REASONS = Object.keys(control['zh-CN'].commLog.reasons);
const PAGE_SIZES = [20, 50, 100];
const MAX_DAYS = 93;

export default function CommLogPage() {
  const { t } = useTranslation('control');
  const { params, setParam } = useUrlFilters();
  const siteId = params.get('site') || undefined;
  const gateId = params.get('gate') || undefined;
  const tab = params.get('tab') === 'daily' ? 'daily' : 'entries';
  const { sites, siteIds } = useSitesInView(siteId);
  const registry = useRegistryGates(siteIds);

  const gateName = (id: string | null) =>
    id === null ? '—' : nameWithId(localName(registry.gates.find((gate) => gate.id === id)?.name, id), id);

  return (
    <Flex vertical gap={16}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('commLog.title')}
      </Typography.Title>
      <Space wrap>
        <SiteFilter
          sites={sites.data}
          value={siteId}
          onChange={(value) => setParam({ site: value, gate: undefined, page: undefined })}
        />
        <Select
          aria-label={t('filters.gate')}
          placeholder={t('filters.allGates')}
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          style={{ width: 210 }}
          value={gateId}
          onChange={(value?: string) => setParam({ gate: value, page: undefined })}
          options={registry.gates.map((gate) => ({ value: gate.id, label: gateName(gate.id) }))}
          data-testid="comm-log-gate"
        />
      </Space>
      <Card size="small">
        <Tabs
          activeKey={tab}
          onChange={(key) => setParam({ tab: key === 'daily' ? 'daily' : undefined })}
          items={[
            {
              key: 'entries',
              label: t('commLog.entries'),
              children: (
                <Entries
                  params={params}
                  setParam={setParam}
                  siteId={siteId}
                  gateId={gateId}
                  timeZone={(id) => siteZone(sites.data, id ?? siteId)}
                  gateName={gateName}
                />
              ),
            },
            {
              key: 'daily',
              label: t('commLog.daily'),
              children: (
                <Daily
                  params={params}
                  setParam={setParam}
                  siteId={siteId}
                  gateId={gateId}
                  timeZone={siteZone(sites.data, siteId)}
                  gateName={gateName}
                />
              ),
            },
          ]}
        />
      </Card>
    </Flex>
  );
}

interface TabProps {
  params: URLSearchParams;
  setParam: (patch: FilterPatch) => void;
  siteId: string | undefined;
  gateId: string | undefined;
  gateName: (id: string | null) => string;
}

function Entries({
  params,
  setParam,
  siteId,
  gateId,
  timeZone,
  gateName,
}: TabProps & { timeZone: (siteId: string | null) => string }) {
  const { t } = useTranslation('control');
  const directionParam = params.get('direction');
  const resultParam = params.get('result');
  const filter = {
    siteId,
    gateId,
    direction: directionParam === 'in' || directionParam === 'out' ? directionParam : undefined,
    messageType: params.get('type') || undefined,
    result: resultParam === 'ok' || resultParam === 'rejected' ? resultParam : undefined,
    reason: params.get('reason') || undefined,
    from: numberParam(params.get('from')),
    to: numberParam(params.get('to')),
  };
  const pageSize = PAGE_SIZES.includes(Number(params.get('size')))
    ? Number(params.get('size'))
    : PAGE_SIZES[0]!;
  const page = Math.max(1, numberParam(params.get('page')) ?? 1);
  const query = useQuery({
    queryKey: ['comm-log', 'list', { ...filter, page, pageSize }],
    queryFn: ({ signal }) =>
      api.get<{ items: CommLogEntry[]; total: number }>(
        '/comm-log',
        { ...filter, limit: pageSize, offset: (page - 1) * pageSize },
        signal,
      ),
    placeholderData: keepPreviousData,
  });
  const zone = timeZone(siteId ?? null);
  const reset = { page: undefined };

  return (
    <Flex vertical gap={12}>
      <Space wrap>
        <Select
          aria-label={t('commLog.direction')}
          placeholder={t('commLog.allDirections')}
          allowClear
          style={{ width: 150 }}
          value={filter.direction}
          onChange={(value?: string) => setParam({ direction: value, ...reset })}
          options={(['in', 'out'] as const).map((value) => ({
            value,
            label: t(`commLog.directions.${value}`),
          }))}
        />
        <Select
          aria-label={t('commLog.messageType')}
          placeholder={t('commLog.allTypes')}
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          style={{ width: 170 }}
          value={filter.messageType}
          onChange={(value?: string) => setParam({ type: value, ...reset })}
          options={MESSAGE_TYPES.map((value) => ({
            value,
            label: t(`messageTypes.${value}` as 'messageTypes.heartbeat'),
          }))}
          data-testid="comm-log-type"
        />
        <Select
          aria-label={t('commLog.result')}
          placeholder={t('commLog.allResults')}
          allowClear
          style={{ width: 130 }}
          value={filter.result}
          onChange={(value?: string) => setParam({ result: value, ...reset })}
          options={(['ok', 'rejected'] as const).map((value) => ({
            value,
            label: t(`commLog.results.${value}`),
          }))}
        />
        <Select
          aria-label={t('commLog.reason')}
          placeholder={t('filters.allReasons')}
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          style={{ width: 190 }}
          value={filter.reason}
          onChange={(value?: string) => setParam({ reason: value, ...reset })}
          options={REASONS.map((value) => ({
            value,
            label: t(`commLog.reasons.${value}` as 'commLog.reasons.BAD_TOPIC'),
          }))}
        />
        <WallTimeRange
          from={filter.from}
          to={filter.to}
          timeZone={zone}
          onChange={(range) => setParam({ ...range, ...reset })}
        />
      </Space>
      <ErrorAlert error={query.error} />
      <Table<CommLogEntry>
        size="small"
        rowKey="id"
        loading={query.isFetching}
        dataSource={query.data?.items ?? []}
        data-testid="comm-log-entries"
        scroll={{ x: 1240 }}
        pagination={{
          current: page,
          pageSize,
          total: query.data?.total ?? 0,
          pageSizeOptions: PAGE_SIZES,
          showSizeChanger: true,
          showTotal: (total) => t('commLog.total', { total }),
          onChange: (next, size) =>
            setParam({
              page: next === 1 ? undefined : next,
              size: size === PAGE_SIZES[0] ? undefined : size,
            }),
        }}
        columns={[
          {
            title: t('commLog.at'),
            width: 170,
            render: (_, entry) => formatDateTime(entry.at, timeZone(entry.siteId)),
          },
          {
            title: t('commLog.direction'),
            width: 120,
            render: (_, entry) => t(`commLog.directions.${entry.direction}`),
          },
          { title: t('commLog.gate'), width: 190, render: (_, entry) => gateName(entry.gateId) },
          {
            title: t('commLog.messageType'),
            width: 130,
            render: (_, entry) =>
              entry.messageType === null
                ? '—'
                : t(`messageTypes.${entry.messageType}` as 'messageTypes.heartbeat', {
                    defaultValue: entry.messageType,
                  }),
          },
          {
            title: t('commLog.size'),
            width: 100,
            align: 'right',
            render: (_, entry) => t('commLog.bytes', { count: entry.size }),
          },
          {
            title: t('commLog.result'),
            width: 150,
            render: (_, entry) => (
              <>
                <Tag color={entry.result === 'ok' ? 'success' : 'error'}>
                  {t(`commLog.results.${entry.result}`)}
                </Tag>
                {/* A rejection a gate repeated within a minute is one entry with its count. */}
                {entry.count > 1 ? (
                  <Typography.Text type="secondary">
                    {t('commLog.repeated', { count: entry.count })}
                  </Typography.Text>
                ) : null}
              </>
            ),
          },
          {
            title: t('commLog.reason'),
            width: 150,
            render: (_, entry) =>
              entry.reason ? (
                <Tooltip title={entry.reason}>
                  <span>
                    {t(`commLog.reasons.${entry.reason}` as 'commLog.reasons.BAD_TOPIC', {
                      defaultValue: entry.reason,
                    })}
                  </span>
                </Tooltip>
              ) : null,
          },
          {
            title: t('commLog.latency'),
            width: 100,
            align: 'right',
            render: (_, entry) => (entry.latencyMs === null ? '—' : t('commLog.ms', { ms: entry.latencyMs })),
          },
          {
            title: t('commLog.topic'),
            ellipsis: { showTitle: true },
            render: (_, entry) => <Typography.Text code>{entry.topic}</Typography.Text>,
          },
        ]}
      />
    </Flex>
  );
}

function Daily({ params, setParam, siteId, gateId, timeZone, gateName }: TabProps & { timeZone: string }) {
  const { t } = useTranslation('control');
  const day = today(timeZone);
  const from = params.get('from_date') || day;
  const to = params.get('to_date') || day;
  const query = useQuery({
    queryKey: ['comm-log', 'summary', { from, to, siteId, gateId }],
    queryFn: ({ signal }) =>
      api.get<{ timeZone: string; days: CommLogDay[] }>(
        '/comm-log/summary',
        { from, to, siteId, gateId },
        signal,
      ),
    placeholderData: keepPreviousData,
  });
  return (
    <Flex vertical gap={12}>
      <Space wrap>
        <DatePicker.RangePicker
          aria-label={t('filters.dateRange')}
          allowClear={false}
          value={[dayjs(from), dayjs(to)]}
          disabledDate={(current, info) =>
            Boolean(info.from && Math.abs(current.diff(info.from, 'day')) >= MAX_DAYS)
          }
          onChange={(value) => {
            const [start, end] = value ?? [];
            setParam({
              from_date: start ? start.format('YYYY-MM-DD') : undefined,
              to_date: end ? end.format('YYYY-MM-DD') : undefined,
            });
          }}
        />
        <Typography.Text type="secondary">
          {t('commLog.timeZone', { zone: query.data?.timeZone ?? timeZone })}
        </Typography.Text>
      </Space>
      <ErrorAlert error={query.error} />
      <Table<CommLogDay>
        size="small"
        rowKey={(row) => `${row.date}|${row.siteId}|${row.gateId}`}
        loading={query.isFetching}
        dataSource={query.data?.days ?? []}
        data-testid="comm-log-daily"
        pagination={{ pageSize: 50, showSizeChanger: false, hideOnSinglePage: true }}
        scroll={{ x: 900 }}
        columns={[
          { title: t('commLog.date'), dataIndex: 'date', width: 110 },
          { title: t('commLog.gate'), render: (_, row) => gateName(row.gateId) },
          { title: t('commLog.messagesIn'), dataIndex: 'messagesIn', align: 'right' },
          { title: t('commLog.messagesOut'), dataIndex: 'messagesOut', align: 'right' },
          {
            title: t('commLog.rejected'),
            align: 'right',
            render: (_, row) => (row.rejected > 0 ? <Tag color="error">{row.rejected}</Tag> : 0),
          },
          {
            title: t('commLog.bytesIn'),
            align: 'right',
            render: (_, row) => t('commLog.bytes', { count: row.bytesIn }),
          },
          {
            title: t('commLog.bytesOut'),
            align: 'right',
            render: (_, row) => t('commLog.bytes', { count: row.bytesOut }),
          },
          {
            title: t('commLog.avgLatency'),
            align: 'right',
            render: (_, row) => (row.avgLatencyMs === null ? '—' : t('commLog.ms', { ms: row.avgLatencyMs })),
          },
          {
            title: t('commLog.maxLatency'),
            align: 'right',
            render: (_, row) => (row.maxLatencyMs === null ? '—' : t('commLog.ms', { ms: row.maxLatencyMs })),
          },
        ]}
      />
    </Flex>
  );
}
