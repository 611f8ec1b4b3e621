/**
 * The site and the day (or month) a settlement page shows, kept in the page's address (?site=&date=) so a link or
 * a reload shows the same settlement.
 */
import { DatePicker, Form } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { DEFAULT_ZONE, today } from '../../format/time';
import { useSites } from '../desk/sites';
import { SiteField } from '../shifts/site-field';

export function usePeriod(kind: 'date' | 'month') {
  const [params, setParams] = useSearchParams();
  const sites = useSites().data?.sites;
  const siteId = params.get('site') ?? sites?.[0]?.id ?? '';
  // Today is the venue's (its zone), not the PC's: a finance PC set to UTC still opens on the venue's day.
  const day = today(sites?.find((site) => site.id === siteId)?.timezone ?? DEFAULT_ZONE);
  const fallback = kind === 'date' ? day : day.slice(0, 7);
  const period = params.get(kind) ?? fallback;
  const set = (next: { site?: string; period?: string }) =>
    setParams(
      (current) => {
        const copy = new URLSearchParams(current);
        if (next.site !== undefined) copy.set('site', next.site);
        if (next.period !== undefined) copy.set(kind, next.period);
        return copy;
      },
      { replace: true },
    );
  return { siteId, period, set };
}

export function PeriodBar({
  kind,
  siteId,
  period,
  onChange,
}: {
  kind: 'date' | 'month';
  siteId: string;
  period: string;
  onChange: (next: { site?: string; period?: string }) => void;
}) {
  const { t } = useTranslation('shifts');
  const format = kind === 'date' ? 'YYYY-MM-DD' : 'YYYY-MM';
  return (
    <Form layout="inline" style={{ marginBottom: 16, rowGap: 12 }} data-testid="period-bar">
      <Form.Item label={t('settlement.site')}>
        <SiteField value={siteId} onChange={(site) => onChange({ site: site ?? '' })} />
      </Form.Item>
      <Form.Item label={kind === 'date' ? t('settlement.date') : t('settlement.month')}>
        <DatePicker
          picker={kind === 'date' ? 'date' : 'month'}
          value={dayjs(period, format)}
          allowClear={false}
          onChange={(value) => value && onChange({ period: value.format(format) })}
          data-testid="period-picker"
        />
      </Form.Item>
    </Form>
  );
}
