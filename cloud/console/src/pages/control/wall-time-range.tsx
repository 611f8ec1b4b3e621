/**
 * A from–to picker of times on the venue's clock (see zoned-time.ts): shows the range's epoch ms as the site's wall
 * time and gives back epoch ms, whatever zone the browser is in. An end left open is undefined.
 */
import { DatePicker } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { epochToWall, zonedToEpoch } from './zoned-time';

const WALL = 'YYYY-MM-DD HH:mm:ss';

export function WallTimeRange({
  from,
  to,
  timeZone,
  onChange,
}: {
  from: number | undefined;
  to: number | undefined;
  timeZone: string;
  onChange: (range: { from: number | undefined; to: number | undefined }) => void;
}) {
  const { t } = useTranslation('control');
  const value: [dayjs.Dayjs, dayjs.Dayjs] | null =
    from !== undefined && to !== undefined
      ? [dayjs(epochToWall(from, timeZone)), dayjs(epochToWall(to, timeZone))]
      : null;
  return (
    <DatePicker.RangePicker
      showTime={{ format: 'HH:mm' }}
      format="YYYY-MM-DD HH:mm"
      aria-label={t('filters.timeRange')}
      value={value}
      onChange={(picked) => {
        const [start, end] = picked ?? [];
        onChange({
          from: start ? zonedToEpoch(start.format(WALL), timeZone) : undefined,
          to: end ? zonedToEpoch(end.format(WALL), timeZone) : undefined,
        });
      }}
    />
  );
}
