/**
 * 票型分析: each ticket type's share of the tickets, the amount or the visitors, this period against the base (同比
 * or 环比 on the picked basis), as two 100 % bars side by side, and each type's figures in a table.
 */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Alert, Card, Flex, Segmented, Space, Table, Typography } from 'antd';
import type { EChartsCoreOption, EChartsType } from 'echarts/core';
import type { TFunction } from 'i18next';
import { Suspense, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { ReportBasis, ReportComparisonKind, ReportTypeMix } from '../../api/types';
import { ErrorAlert, Loading } from '../../components/feedback';
import { formatFen } from '../../format/money';
import { currentLanguage } from '../../i18n';
import { Chart, ExportButtons, percent, usePeriod } from './shared';

type Measure = ReportTypeMix['measure'];
const MEASURES: Measure[] = ['tickets', 'amount', 'visitors'];
const COMPARES: ReportComparisonKind[] = ['yoy', 'pop'];
const BASES: ReportBasis[] = ['same_date', 'same_weekday', 'same_holiday_day'];
const PALETTE = ['#1677ff', '#16a34a', '#d97706', '#9333ea', '#dc2626', '#0891b2', '#65a30d', '#db2777'];

const pick = <T extends string>(value: string | null, options: readonly T[]): T =>
  options.includes(value as T) ? (value as T) : options[0]!;

const share = (bp: number | null) => (bp === null ? '—' : `${(bp / 100).toFixed(1)}%`);

export function MixTab() {
  const { t } = useTranslation('analysis');
  const { params, setParam, from, to, siteId } = usePeriod();
  const measure = pick(params.get('measure'), MEASURES);
  const compare = pick(params.get('compare'), COMPARES);
  const basis = pick(params.get('basis'), BASES);
  const [chart, setChart] = useState<EChartsType>();
  const query = { from, to, siteId, measure, compare, basis };
  const mix = useQuery({
    queryKey: ['reports', 'analysis', 'type-mix', query],
    queryFn: ({ signal }) => api.get<ReportTypeMix>('/reports/analysis/type-mix', query, signal),
    placeholderData: keepPreviousData,
  });
  const language = currentLanguage();
  const data = mix.data;
  const show = (v: number) => (measure === 'amount' ? formatFen(v) : v.toLocaleString());
  const option = useMemo(() => (data ? mixOption(data, language, t) : undefined), [data, language, t]);
  const title = t('mixTitle');

  return (
    <Flex vertical gap={12}>
      <Space wrap size="middle">
        <Segmented
          aria-label={t('filters.measure')}
          value={measure}
          onChange={(value) => setParam({ measure: value })}
          options={MEASURES.map((m) => ({ value: m, label: t(`measures.${m}`) }))}
        />
        <Segmented
          aria-label={t('filters.compare')}
          value={compare}
          onChange={(value) => setParam({ compare: value })}
          options={COMPARES.map((c) => ({ value: c, label: t(`compares.${c}`) }))}
        />
        <Space>
          <Typography.Text type="secondary">{t('filters.basis')}</Typography.Text>
          <Segmented
            aria-label={t('filters.basis')}
            value={basis}
            onChange={(value) => setParam({ basis: value })}
            options={BASES.map((b) => ({ value: b, label: t(`bases.${b}`) }))}
          />
        </Space>
        <ExportButtons
          chart={chart}
          name={`${title} ${from}~${to}`}
          path="/reports/analysis/type-mix/export"
          query={query}
          testId="mix"
        />
      </Space>
      <ErrorAlert error={mix.error} />
      {!data ? (
        mix.isLoading ? (
          <Loading />
        ) : null
      ) : data.rows.length === 0 ? (
        <Alert type="info" showIcon title={t('empty')} data-testid="mix-empty" />
      ) : (
        <>
          <Typography.Text type="secondary">
            {data.basis.label[language]}
            {data.base ? ` · ${t('totals.basePeriod', { from: data.base.from, to: data.base.to })}` : ''}
          </Typography.Text>
          <Card size="small">
            <Suspense fallback={<Loading />}>
              {option ? (
                <Chart
                  option={option}
                  label={title}
                  testId="mix-chart"
                  height={200 + Math.min(data.rows.length, 8) * 8}
                  onInstance={setChart}
                />
              ) : null}
            </Suspense>
          </Card>
          <Table
            size="small"
            rowKey={(r) => r.type.id}
            dataSource={data.rows}
            pagination={false}
            columns={[
              { key: 'type', title: t('typeColumn'), render: (_, r) => r.type.name[language] },
              { key: 'value', title: t('series.current'), align: 'right', render: (_, r) => show(r.value) },
              { key: 'share', title: t('share'), align: 'right', render: (_, r) => share(r.shareBp) },
              { key: 'base', title: t('series.base'), align: 'right', render: (_, r) => show(r.baseValue) },
              {
                key: 'baseShare',
                title: t('baseShare'),
                align: 'right',
                render: (_, r) => share(r.baseShareBp),
              },
              {
                key: 'change',
                title: t('series.change'),
                align: 'right',
                render: (_, r) => percent(r.changeBp),
              },
            ]}
          />
        </>
      )}
    </Flex>
  );
}

type T = TFunction<'analysis'>;

function mixOption(data: ReportTypeMix, language: 'zh-CN' | 'en', t: T): EChartsCoreOption {
  const bars = [t('series.current'), t('series.base')];
  return {
    title: {
      text: t('mixTitle'),
      subtext: data.basis.label[language],
      left: 8,
      top: 0,
      textStyle: { fontSize: 15 },
    },
    legend: { bottom: 0, type: 'scroll' },
    tooltip: {
      trigger: 'item',
      formatter: (item: { seriesName: string; name: string; value: number }) =>
        `${item.seriesName} · ${item.name}: <b>${item.value.toFixed(1)}%</b>`,
    },
    grid: { left: 16, right: 24, top: 60, bottom: 40, containLabel: true },
    xAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
    yAxis: { type: 'category', data: bars, inverse: true, axisTick: { show: false } },
    series: data.rows.map((r, i) => ({
      name: r.type.name[language],
      type: 'bar',
      stack: 'share',
      barMaxWidth: 36,
      itemStyle: { color: PALETTE[i % PALETTE.length] },
      label: {
        show: true,
        formatter: (item: { value: number }) => (item.value >= 8 ? `${item.value.toFixed(0)}%` : ''),
        color: '#fff',
      },
      data: [(r.shareBp ?? 0) / 100, (r.baseShareBp ?? 0) / 100],
    })),
  };
}
