/**
 * 入园时段: the mean visitors per day in each site-local hour of each weekday over the period, Monday at the top;
 * the hours nobody came are left blank so the busy ones stand out.
 */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Alert, Card, Flex, Space, Typography } from 'antd';
import type { EChartsCoreOption, EChartsType } from 'echarts/core';
import type { TFunction } from 'i18next';
import { Suspense, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { ReportHeatmap } from '../../api/types';
import { ErrorAlert, Loading } from '../../components/feedback';
import { Chart, ExportButtons, usePeriod } from './shared';

/** ISO order: Monday first. */
const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const HOURS = Array.from({ length: 24 }, (_, h) => `${String(h).padStart(2, '0')}:00`);

export function HeatmapTab() {
  const { t } = useTranslation('analysis');
  const { from, to, siteId } = usePeriod();
  const [chart, setChart] = useState<EChartsType>();
  const query = { from, to, siteId };
  const map = useQuery({
    queryKey: ['reports', 'analysis', 'heatmap', query],
    queryFn: ({ signal }) => api.get<ReportHeatmap>('/reports/analysis/heatmap', query, signal),
    placeholderData: keepPreviousData,
  });
  const data = map.data;
  const option = useMemo(() => (data ? heatmapOption(data, t) : undefined), [data, t]);
  const title = t('heatmapTitle');

  return (
    <Flex vertical gap={12}>
      <Space wrap size="middle">
        {data ? (
          <Typography.Text type="secondary" data-testid="heatmap-totals">
            {t('heatmapTotals', {
              persons: data.totals.persons.toLocaleString(),
              entries: data.totals.entries.toLocaleString(),
            })}
          </Typography.Text>
        ) : null}
        <ExportButtons
          chart={chart}
          name={`${title} ${from}~${to}`}
          path="/reports/analysis/heatmap/export"
          query={query}
          testId="heatmap"
        />
      </Space>
      <ErrorAlert error={map.error} />
      {!data ? (
        map.isLoading ? (
          <Loading />
        ) : null
      ) : data.totals.persons === 0 ? (
        // An empty grid says nothing the notice does not: no chart (and no picture to save).
        <Alert type="info" showIcon title={t('empty')} data-testid="heatmap-empty" />
      ) : (
        <Card size="small">
          <Suspense fallback={<Loading />}>
            {option ? (
              <Chart
                option={option}
                label={title}
                testId="heatmap-chart"
                height={360}
                onInstance={setChart}
              />
            ) : null}
          </Suspense>
        </Card>
      )}
    </Flex>
  );
}

type T = TFunction<'analysis'>;

function heatmapOption(data: ReportHeatmap, t: T): EChartsCoreOption {
  const weekdays = WEEKDAYS.map((d) => t(`weekdays.${d}`));
  const cells = data.cells
    .filter((c) => c.persons > 0)
    .map((c) => [c.hour, c.weekday - 1, c.averagePersons ?? 0, c.persons, c.entries]);
  const max = Math.max(1, ...cells.map((c) => c[2]!));
  return {
    title: {
      text: t('heatmapTitle'),
      subtext: `${data.from} ~ ${data.to}`,
      left: 8,
      top: 0,
      textStyle: { fontSize: 15 },
    },
    tooltip: {
      formatter: (item: { value: number[] }) => {
        const [hour, weekday, mean, persons, entries] = item.value;
        return `${weekdays[weekday!]} ${HOURS[hour!]}<br/>${t('heatmapTotals', { persons, entries })}<br/><b>${mean}</b> ${t('axis.persons')}`;
      },
    },
    grid: { left: 16, right: 24, top: 64, bottom: 56, containLabel: true },
    xAxis: { type: 'category', data: HOURS, splitArea: { show: true }, axisLabel: { interval: 1 } },
    yAxis: { type: 'category', data: weekdays, inverse: true, splitArea: { show: true } },
    visualMap: {
      min: 0,
      max,
      calculable: false,
      text: [String(max), '0'],
      orient: 'horizontal',
      left: 'center',
      bottom: 0,
      itemHeight: 160,
      inRange: { color: ['#e0f2fe', '#38bdf8', '#0369a1'] },
    },
    series: [
      {
        type: 'heatmap',
        data: cells,
        label: { show: true, fontSize: 10 },
        emphasis: { itemStyle: { shadowBlur: 6, shadowColor: 'rgba(0,0,0,0.3)' } },
      },
    ],
  };
}
