/**
 * 通信日志: every MQTT message to and from the gates (newest first, paged on the server, filtered by site, gate,
 * direction, message type, result, reason and time), and per-gate daily totals over a range of business days
 * (messages and bytes each way, rejections, latency) with their totals row. Filters live in the URL.
 *
 * The same page is the 数据管理 group's 终端通信报表 (pages/reports/comm.tsx): there it reads the reports' routes
 * (reports.read, so finance needs no gates.read), and whoever holds reports.read gets the CSV / Excel / PDF
 * exports of what the tab shows, under its filters.
 */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Card, DatePicker, Flex, Select, Space, Table, Tabs, Tag, Tooltip, Typography } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/client';
import type { CommLogDay, CommLogEntry } from '../../../api/types';
import { allows } from '../../../auth/access';
import { useMe } from '../../../auth/session';
import { ExportButtons } from '../../../components/export-buttons';
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

/** Where the page reads: the control room's log (gates.read) or the reports' (reports.read). */
export type CommLogSource = 'control' | 'reports';

export default function CommLogPage() {
  return <CommLogView source="control" />;
}

export function CommLogView({ source }: { source: CommLogSource }) {
  const { t } = useTranslation('control');
  const { t: tr } = useTranslation('common');
  const canExport = allows(useMe().data ?? undefined, 'reports.read');
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
        {source === 'reports' ? tr('nav.commReports') : t('commLog.title')}
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
                  source={source}
                  canExport={canExport}
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
                  source={source}
                  canExport={canExport}
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
  source: CommLogSource;
  canExport: boolean;
  params: URLSearchParams;
  setParam: (patch: FilterPatch) => void;
  siteId: string | undefined;
  gateId: string | undefined;
  gateName: (id: string | null) => string;
}

function Entries({
  source,
  canExport,
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
    queryKey: ['comm-log', source, 'list', { ...filter, page, pageSize }],
    queryFn: async ({ signal }) => {
      const paging = { ...filter, limit: pageSize, offset: (page - 1) * pageSize };
      if (source === 'control')
        return api.get<{ items: CommLogEntry[]; total: number }>('/comm-log', paging, signal);
      const answer = await api.get<{ items: CommLogEntry[]; totals: { entries: number } }>(
        '/reports/comm-log/detail',
        paging,
        signal,
      );
      return { items: answer.items, total: answer.totals.entries };
    },
    placeholderData: keepPreviousData,
  });
  const zone = timeZone(siteId ?? null);
  const reset = { page: undefined };

  return (
    <Flex vertical gap={12}>
      <Flex justify="space-between" align="start" gap={8}>
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
        {canExport ? <ExportButtons path="/reports/comm-log/detail" query={filter} /> : null}
      </Flex>
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
            render: (_, entry) => t('commLog.bytes', { size: entry.size.toLocaleString('en-US') }),
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

function Daily({
  source,
  canExport,
  params,
  setParam,
  siteId,
  gateId,
  timeZone,
  gateName,
}: TabProps & { timeZone: string }) {
  const { t } = useTranslation('control');
  const day = today(timeZone);
  const from = params.get('from_date') || day;
  const to = params.get('to_date') || day;
  const query = useQuery({
    queryKey: ['comm-log', source, 'summary', { from, to, siteId, gateId }],
    queryFn: async ({ signal }) => {
      const range = { from, to, siteId, gateId };
      if (source === 'control')
        return api.get<{ timeZone: string; days: CommLogDay[] }>('/comm-log/summary', range, signal);
      const answer = await api.get<{ timeZone: string; rows: CommLogDay[] }>(
        '/reports/comm-log/summary',
        range,
        signal,
      );
      return { timeZone: answer.timeZone, days: answer.rows };
    },
    placeholderData: keepPreviousData,
  });
  return (
    <Flex vertical gap={12}>
      <Flex justify="space-between" align="start" gap={8}>
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
        {canExport ? (
          <ExportButtons path="/reports/comm-log/summary" query={{ from, to, siteId, gateId }} />
        ) : null}
      </Flex>
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
          {
            title: t('commLog.messagesIn'),
            align: 'right',
            render: (_, row) => row.messagesIn.toLocaleString('en-US'),
          },
          {
            title: t('commLog.messagesOut'),
            align: 'right',
            render: (_, row) => row.messagesOut.toLocaleString('en-US'),
          },
          {
            title: t('commLog.rejected'),
            align: 'right',
            render: (_, row) => (row.rejected > 0 ? <Tag color="error">{row.rejected}</Tag> : 0),
          },
          {
            title: t('commLog.bytesIn'),
            align: 'right',
            render: (_, row) => t('commLog.bytes', { size: row.bytesIn.toLocaleString('en-US') }),
          },
          {
            title: t('commLog.bytesOut'),
            align: 'right',
            render: (_, row) => t('commLog.bytes', { size: row.bytesOut.toLocaleString('en-US') }),
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
        summary={(shown) => {
          const days = query.data?.days ?? [];
          if (shown.length === 0) return null;
          // Over every day of the range, not the page of the table shown.
          const sum = (pick: (day: CommLogDay) => number) => days.reduce((n, day) => n + pick(day), 0);
          const maxLatency = Math.max(-1, ...days.map((day) => day.maxLatencyMs ?? -1));
          const cells: [string, string | number][] = [
            ['in', sum((d) => d.messagesIn).toLocaleString('en-US')],
            ['out', sum((d) => d.messagesOut).toLocaleString('en-US')],
            ['rejected', sum((d) => d.rejected).toLocaleString('en-US')],
            ['bytesIn', t('commLog.bytes', { size: sum((d) => d.bytesIn).toLocaleString('en-US') })],
            ['bytesOut', t('commLog.bytes', { size: sum((d) => d.bytesOut).toLocaleString('en-US') })],
            ['avgLatency', ''],
            ['maxLatency', maxLatency < 0 ? '—' : t('commLog.ms', { ms: maxLatency })],
          ];
          return (
            <Table.Summary.Row data-testid="comm-log-daily-totals">
              <Table.Summary.Cell index={0} colSpan={2}>
                <Typography.Text strong>{t('commLog.totals')}</Typography.Text>
              </Table.Summary.Cell>
              {cells.map(([key, cell], i) => (
                <Table.Summary.Cell key={key} index={i + 2} align="right">
                  <Typography.Text strong>{cell}</Typography.Text>
                </Table.Summary.Cell>
              ))}
            </Table.Summary.Row>
          );
        }}
      />
    </Flex>
  );
}
