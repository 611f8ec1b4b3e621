/**
 * What the analysis tabs share: the period in the address (?from=&to=, the last 30 days by default), the site
 * filter, "save as PNG" from the chart on screen (ECharts' own picture of it, white behind, at twice the pixels so it
 * stays sharp in a slide), and the CSV / Excel links to the same report as a file in the console's language.
 */
import { DownloadOutlined, FileExcelOutlined, PictureOutlined } from '@ant-design/icons';
import { Button, DatePicker, Space } from 'antd';
import dayjs from 'dayjs';
import type { EChartsType } from 'echarts/core';
import { lazy } from 'react';
import { useTranslation } from 'react-i18next';
import { apiUrl, type Query } from '../../api/client';
import { today } from '../../format/time';
import { currentLanguage } from '../../i18n';
import { SiteFilter } from '../control/site-filter';
import { useUrlFilters } from '../control/url-filters';
import { useSites } from '../control/venues';

export const Chart = lazy(() => import('./chart'));

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The period and site the tabs share, from the address. */
export function usePeriod() {
  const { params, setParam } = useUrlFilters();
  const end = today();
  const to = DATE.test(params.get('to') ?? '') ? params.get('to')! : end;
  const from = DATE.test(params.get('from') ?? '')
    ? params.get('from')!
    : dayjs(to).subtract(29, 'day').format('YYYY-MM-DD');
  const siteId = params.get('site') || undefined;
  return { params, setParam, from, to, siteId };
}

export function PeriodFilter() {
  const { t } = useTranslation('analysis');
  const { from, to, siteId, setParam } = usePeriod();
  const sites = useSites();
  return (
    <Space wrap>
      <DatePicker.RangePicker
        aria-label={t('filters.range')}
        allowClear={false}
        value={[dayjs(from), dayjs(to)]}
        onChange={(range) => {
          if (range?.[0] && range[1])
            setParam({ from: range[0].format('YYYY-MM-DD'), to: range[1].format('YYYY-MM-DD') });
        }}
        data-testid="analysis-range"
      />
      {sites.data && sites.data.length > 1 ? (
        <SiteFilter sites={sites.data} value={siteId} onChange={(site) => setParam({ site })} />
      ) : null}
    </Space>
  );
}

/** Downloads the chart as a PNG named after what it shows. */
export function savePng(chart: EChartsType | undefined, name: string): void {
  if (!chart) return;
  const link = document.createElement('a');
  link.href = chart.getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: '#fff' });
  link.download = `${name.replace(/[\\/:*?"<>|]+/g, '_')}.png`;
  document.body.append(link);
  link.click();
  link.remove();
}

/** "Save as PNG", "Export CSV", "Export Excel" for one chart and its report route. */
export function ExportButtons({
  chart,
  name,
  path,
  query,
  testId,
}: {
  chart: EChartsType | undefined;
  name: string;
  path: string;
  query: Query;
  testId: string;
}) {
  const { t } = useTranslation('analysis');
  const file = (format: 'csv' | 'xlsx') => apiUrl(path, { ...query, format, lang: currentLanguage() });
  return (
    <Space wrap>
      <Button
        icon={<PictureOutlined />}
        disabled={!chart}
        onClick={() => savePng(chart, name)}
        data-testid={`${testId}-png`}
      >
        {t('exportPng')}
      </Button>
      <Button icon={<DownloadOutlined />} href={file('csv')} data-testid={`${testId}-csv`}>
        {t('exportCsv')}
      </Button>
      <Button icon={<FileExcelOutlined />} href={file('xlsx')} data-testid={`${testId}-xlsx`}>
        {t('exportXlsx')}
      </Button>
    </Space>
  );
}

/** Basis points as a signed percentage ("+12.3%"); "—" where there is no figure (the base is 0). */
export function percent(bp: number | null): string {
  if (bp === null) return '—';
  const value = (bp / 100).toFixed(1);
  return bp > 0 ? `+${value}%` : `${value}%`;
}
