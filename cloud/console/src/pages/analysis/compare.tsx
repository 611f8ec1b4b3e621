/**
 * 同期对比: sales ¥ or visitors by day, month or holiday, this period against last year (同比) or the period before
 * (环比) on the basis the manager picks (same date, same weekday, same holiday day). The chart's title says what is
 * compared and on which basis, in the words of the API's answer; bars by month and holiday carry the change as a
 * line, days draw the two periods as lines. The table lists each period with its base dates, so a figure can be
 * checked against the day it was compared with.
 */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Alert, Card, Flex, Segmented, Space, Statistic, Table, Tag, Typography } from 'antd';
import type { EChartsCoreOption, EChartsType } from 'echarts/core';
import type { TFunction } from 'i18next';
import { Suspense, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { ReportBasis, ReportComparison, ReportComparisonKind } from '../../api/types';
import { ErrorAlert, Loading } from '../../components/feedback';
import { formatFen } from '../../format/money';
import { currentLanguage } from '../../i18n';
import { Chart, ExportButtons, percent, usePeriod } from './shared';

type Metric = ReportComparison['metric'];
type Granularity = ReportComparison['granularity'];
const METRICS: Metric[] = ['sales', 'visitors'];
const GRANULARITIES: Granularity[] = ['day', 'month', 'holiday'];
const COMPARES: ReportComparisonKind[] = ['yoy', 'pop'];
const BASES: ReportBasis[] = ['same_date', 'same_weekday', 'same_holiday_day'];

const pick = <T extends string>(value: string | null, options: readonly T[]): T =>
  options.includes(value as T) ? (value as T) : options[0]!;

const CURRENT = '#1677ff';
const BASE = '#a3a3a3';
const CHANGE = '#d97706';

export function CompareTab() {
  const { t } = useTranslation('analysis');
  const { params, setParam, from, to, siteId } = usePeriod();
  const metric = pick(params.get('metric'), METRICS);
  const granularity = pick(params.get('by'), GRANULARITIES);
  const compare = pick(params.get('compare'), COMPARES);
  const basis = pick(params.get('basis'), BASES);
  const [chart, setChart] = useState<EChartsType>();
  const query = { from, to, siteId, metric, granularity, compare, basis };
  const series = useQuery({
    queryKey: ['reports', 'analysis', 'compare', query],
    queryFn: ({ signal }) => api.get<ReportComparison>('/reports/analysis/compare', query, signal),
    placeholderData: keepPreviousData,
  });
  const language = currentLanguage();
  const data = series.data;
  const money = metric === 'sales';
  const show = (value: number | null) => (value === null ? '—' : money ? formatFen(value) : String(value));
  const option = useMemo(() => (data ? compareOption(data, language, t) : undefined), [data, language, t]);
  const title = data ? `${t(`metrics.${data.metric}`)} · ${data.basis.label[language]}` : '';

  return (
    <Flex vertical gap={12}>
      <Space wrap size="middle">
        <Segmented
          aria-label={t('filters.metric')}
          value={metric}
          onChange={(value) => setParam({ metric: value })}
          options={METRICS.map((m) => ({ value: m, label: t(`metrics.${m}`) }))}
          data-testid="compare-metric"
        />
        <Segmented
          aria-label={t('filters.granularity')}
          value={granularity}
          onChange={(value) => setParam({ by: value })}
          options={GRANULARITIES.map((g) => ({ value: g, label: t(`granularities.${g}`) }))}
          data-testid="compare-granularity"
        />
        <Segmented
          aria-label={t('filters.compare')}
          value={compare}
          onChange={(value) => setParam({ compare: value })}
          options={COMPARES.map((c) => ({ value: c, label: t(`compares.${c}`) }))}
          data-testid="compare-kind"
        />
        <Space>
          <Typography.Text type="secondary">{t('filters.basis')}</Typography.Text>
          <Segmented
            aria-label={t('filters.basis')}
            value={basis}
            onChange={(value) => setParam({ basis: value })}
            options={BASES.map((b) => ({ value: b, label: t(`bases.${b}`) }))}
            data-testid="compare-basis"
          />
        </Space>
      </Space>
      <ErrorAlert error={series.error} />
      {!data ? (
        series.isLoading ? (
          <Loading />
        ) : null
      ) : (
        <>
          <Typography.Text type="secondary" data-testid="compare-basis-label">
            {data.basis.label[language]}
            {data.base ? ` · ${t('totals.basePeriod', { from: data.base.from, to: data.base.to })}` : ''}
          </Typography.Text>
          <Flex wrap gap={32} align="end" data-testid="compare-totals">
            <Statistic title={t('totals.value')} value={show(data.totals.value)} />
            <Statistic title={t('totals.base')} value={show(data.totals.baseValue)} />
            <Statistic
              title={t('totals.changeRate')}
              value={data.totals.changeBp === null ? t('totals.noFigure') : percent(data.totals.changeBp)}
              valueStyle={{ color: colourOf(data.totals.changeBp) }}
              data-testid="compare-total-change"
            />
            <div style={{ marginLeft: 'auto' }}>
              <ExportButtons
                chart={chart}
                name={`${title} ${from}~${to}`}
                path="/reports/analysis/compare/export"
                query={query}
                testId="compare"
              />
            </div>
          </Flex>
          {data.points.length === 0 ? (
            <Alert
              type="info"
              showIcon
              title={granularity === 'holiday' ? t('noHolidays') : t('empty')}
              data-testid="compare-empty"
            />
          ) : (
            <>
              {data.points.every((p) => p.value === 0 && !p.baseValue) ? (
                <Alert type="info" showIcon title={t('empty')} data-testid="compare-empty" />
              ) : (
                <Card size="small">
                  <Suspense fallback={<Loading />}>
                    {option ? (
                      <Chart
                        option={option}
                        label={title}
                        testId="compare-chart"
                        height={380}
                        onInstance={setChart}
                      />
                    ) : null}
                  </Suspense>
                </Card>
              )}
              <Table
                size="small"
                rowKey={(p) => p.period.from}
                dataSource={data.points}
                pagination={data.points.length > 31 ? { pageSize: 31, showSizeChanger: false } : false}
                data-testid="compare-table"
                columns={[
                  {
                    key: 'period',
                    title: t('series.current'),
                    render: (_, p) => (
                      <span>
                        {p.period.label[language]}
                        {granularity !== 'day' ? (
                          <Typography.Text type="secondary">{` (${span(p.period)})`}</Typography.Text>
                        ) : null}
                      </span>
                    ),
                  },
                  {
                    key: 'base',
                    title: t('series.base'),
                    render: (_, p) =>
                      p.base ? (
                        <span>
                          {span(p.base)}
                          {p.baseBasis && p.baseBasis !== data.basis.code ? (
                            <Tag style={{ marginInlineStart: 8 }} data-testid="compare-fallback">
                              {t(`bases.${p.baseBasis}`)}
                            </Tag>
                          ) : null}
                        </span>
                      ) : (
                        '—'
                      ),
                  },
                  {
                    key: 'value',
                    title: t(`metrics.${metric}`),
                    align: 'right',
                    render: (_, p) => show(p.value),
                  },
                  {
                    key: 'baseValue',
                    title: `${t('series.base')} ${t(`metrics.${metric}`)}`,
                    align: 'right',
                    render: (_, p) => show(p.baseValue),
                  },
                  {
                    key: 'changeBp',
                    title: t('series.change'),
                    align: 'right',
                    render: (_, p) => (
                      <span style={{ color: colourOf(p.changeBp) }} data-testid="compare-change">
                        {percent(p.changeBp)}
                      </span>
                    ),
                  },
                ]}
              />
            </>
          )}
        </>
      )}
    </Flex>
  );
}

const span = (p: { from: string; to: string }) => (p.from === p.to ? p.from : `${p.from} ~ ${p.to}`);

/** Rises green, falls red (the manager's reading of a change, not a market's). */
function colourOf(bp: number | null): string | undefined {
  if (bp === null || bp === 0) return undefined;
  return bp > 0 ? '#15803d' : '#b91c1c';
}

type T = TFunction<'analysis'>;

function compareOption(data: ReportComparison, language: 'zh-CN' | 'en', t: T): EChartsCoreOption {
  const money = data.unit === 'fen';
  const scale = (v: number | null) => (v === null ? null : money ? v / 100 : v);
  const day = data.granularity === 'day';
  const categories = data.points.map((p) => (day ? p.period.from.slice(5) : p.period.label[language]));
  const current = `${t('series.current')} ${data.from} ~ ${data.to}`;
  const base = data.base ? `${t('series.base')} ${data.base.from} ~ ${data.base.to}` : t('series.base');
  const kind = day ? 'line' : 'bar';
  const unit = money ? t('axis.yuan') : t('axis.persons');
  const valueText = (v: number | null) =>
    v === null ? '—' : money ? formatFen(Math.round(v * 100)) : v.toLocaleString();
  return {
    title: {
      text: t(`metrics.${data.metric}`),
      subtext: data.basis.label[language],
      left: 8,
      top: 0,
      textStyle: { fontSize: 15 },
    },
    legend: { bottom: 0, data: day ? [current, base] : [current, base, t('series.change')] },
    grid: { left: 16, right: day ? 24 : 56, top: 64, bottom: 40, containLabel: true },
    tooltip: {
      trigger: 'axis',
      formatter: (items: { dataIndex: number }[]) => {
        const p = data.points[items[0]?.dataIndex ?? 0];
        if (!p) return '';
        const line = (label: string, value: string) => `${label}: <b>${value}</b>`;
        return [
          line(`${p.period.label[language]} (${span(p.period)})`, valueText(scale(p.value))),
          line(
            `${t('series.base')} ${p.base ? span(p.base) : '—'}${
              p.baseBasis && p.baseBasis !== data.basis.code ? ` (${t(`bases.${p.baseBasis}`)})` : ''
            }`,
            valueText(scale(p.baseValue)),
          ),
          line(t('series.change'), percent(p.changeBp)),
        ].join('<br/>');
      },
    },
    xAxis: {
      type: 'category',
      data: categories,
      axisLabel: { hideOverlap: true },
      axisTick: { alignWithLabel: true },
    },
    yAxis: [
      {
        type: 'value',
        name: unit,
        nameTextStyle: { align: 'right' },
        minInterval: money ? 0 : 1,
        splitLine: { lineStyle: { color: '#f0f0f0' } },
      },
      ...(day
        ? []
        : [
            {
              type: 'value',
              name: t('axis.percent'),
              position: 'right',
              splitLine: { show: false },
              axisLabel: { formatter: '{value}%' },
            },
          ]),
    ],
    series: [
      {
        name: current,
        type: kind,
        data: data.points.map((p) => scale(p.value)),
        itemStyle: { color: CURRENT },
        barMaxWidth: 28,
        symbolSize: 5,
      },
      {
        name: base,
        type: kind,
        data: data.points.map((p) => scale(p.baseValue)),
        itemStyle: { color: BASE },
        lineStyle: { type: 'dashed' },
        barMaxWidth: 28,
        symbolSize: 5,
      },
      ...(day
        ? []
        : [
            {
              name: t('series.change'),
              type: 'line',
              yAxisIndex: 1,
              data: data.points.map((p) => (p.changeBp === null ? null : p.changeBp / 100)),
              itemStyle: { color: CHANGE },
              label: {
                show: data.points.length <= 12,
                position: 'top',
                formatter: (item: { value: number | null }) =>
                  item.value === null ? '' : `${item.value.toFixed(1)}%`,
              },
            },
          ]),
    ],
  };
}
