/** The visit date (today in the site's zone by default) and timed slot, with what is left of the day's capacity. */
import { CalendarOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Input, Radio, Space, Typography } from 'antd';
import { Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import type { Availability } from '../../api/types';
import { lazyPart } from '../../components/lazy-part';

const VisitDatePicker = lazyPart(
  () => import('./visit-date'),
  (module) => module.VisitDatePicker,
);

export function VisitPanel({
  visitDate,
  today,
  lastDay,
  slotId,
  availability,
  current,
  persons,
  fits,
  locked,
  zoneNow,
  onDate,
  onSlot,
}: {
  visitDate: string;
  today: string;
  lastDay: string;
  slotId: string | null;
  availability: { error: unknown; isPending: boolean; refetch: () => unknown; isFetching: boolean };
  current: Availability | undefined;
  persons: number;
  fits: boolean;
  locked: boolean;
  zoneNow: number;
  onDate: (date: string) => void;
  onSlot: (slotId: string) => void;
}) {
  const { t } = useTranslation('window');
  const daily = current?.daily;
  return (
    <Card size="small" title={t('visit.title')} data-testid="visit">
      <Space wrap align="center">
        <Suspense
          fallback={
            <Input
              readOnly
              value={visitDate}
              disabled={locked}
              aria-label={t('visit.date')}
              suffix={<CalendarOutlined />}
              style={{ width: 150 }}
            />
          }
        >
          <VisitDatePicker
            value={visitDate}
            today={today}
            lastDay={lastDay}
            disabled={locked}
            label={t('visit.date')}
            onChange={onDate}
          />
        </Suspense>
        <Button onClick={() => onDate(today)} disabled={locked || visitDate === today}>
          {t('visit.today')}
        </Button>
        <Typography.Text data-testid="day-left">
          {daily
            ? daily.remaining === null
              ? t('visit.noCap')
              : daily.remaining <= 0
                ? t('visit.soldOut')
                : t('visit.dayLeft', { left: daily.remaining, cap: daily.cap })
            : availability.isPending
              ? t('visit.loading')
              : ''}
        </Typography.Text>
      </Space>
      {availability.error ? (
        <Alert
          type="error"
          showIcon
          style={{ marginTop: 8 }}
          title={t('visit.availabilityFailed')}
          action={
            <Button size="small" onClick={() => availability.refetch()}>
              {t('visit.retry')}
            </Button>
          }
        />
      ) : null}
      {current && current.slots.length > 0 ? (
        <div style={{ marginTop: 10 }}>
          <Radio.Group
            value={slotId}
            disabled={locked}
            onChange={(event) => onSlot(event.target.value as string)}
            optionType="button"
            aria-label={t('visit.slot')}
            style={{ display: 'flex', flexWrap: 'wrap', gap: 6 }}
            data-testid="slots"
          >
            {current.slots.map((slot) => {
              const soldOut = slot.remaining <= 0;
              const ended = slot.endAt <= zoneNow;
              return (
                <Radio.Button
                  key={slot.id}
                  value={slot.id}
                  disabled={soldOut}
                  data-testid={`slot-${slot.start}`}
                >
                  {slot.start}–{slot.end}{' '}
                  <Typography.Text type={soldOut ? 'danger' : 'secondary'} style={{ fontSize: 12 }}>
                    {soldOut
                      ? t('visit.slotSoldOut')
                      : ended
                        ? t('visit.slotEnded')
                        : t('visit.slotLeft', { left: slot.remaining })}
                  </Typography.Text>
                </Radio.Button>
              );
            })}
          </Radio.Group>
        </div>
      ) : null}
      {!fits && persons > 0 ? (
        <Alert type="warning" showIcon style={{ marginTop: 8 }} title={t('visit.notEnough', { persons })} />
      ) : null}
    </Card>
  );
}
