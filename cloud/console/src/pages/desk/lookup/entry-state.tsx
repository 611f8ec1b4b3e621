/**
 * 票效查询's entry state of one ticket, in the site's time zone: its activation (validity from the first entry: when,
 * the latest date, the window it produced), the visit days used of those allowed and which, whether the holder is
 * inside or outside with the last entry and exit, and the same-day re-entry rule (entries left are in the ticket's
 * own details above).
 */
import { Descriptions, Space, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { LookupEntry } from '../../../api/types';
import { businessDay, formatDateTime } from '../../../format/time';

const STATE_COLOURS = { never: 'default', inside: 'green', outside: 'blue' } as const;

function hhmm(minute: number): string {
  return `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
}

export function EntryState({ entry, zone }: { entry: LookupEntry; zone: string }) {
  const { t } = useTranslation('desk');
  const { activation, visitDays, presence } = entry;
  const at = (epochMs: number | null) => (epochMs === null ? '—' : formatDateTime(epochMs, zone));
  const items = [];
  if (activation) {
    const period = t(activation.period.unit === 'day' ? 'lookup.entry.days' : 'lookup.entry.months', {
      count: activation.period.count,
    });
    items.push(
      {
        key: 'activation',
        label: t('lookup.entry.activation'),
        children:
          activation.firstEntryAt === null ? (
            <Tag data-testid="lookup-activation">{t('lookup.entry.notActivated')}</Tag>
          ) : (
            <Tag color="green" data-testid="lookup-activation">
              {t('lookup.entry.activatedAt', { time: at(activation.firstEntryAt) })}
            </Tag>
          ),
      },
      {
        key: 'latest',
        label: t('lookup.entry.latest'),
        // `latest` is exclusive (a local midnight): the last day a first entry may happen is the day before it.
        children: t('lookup.entry.latestValue', { date: businessDay(activation.latest - 1, zone) }),
      },
      {
        key: 'window',
        label: t('lookup.entry.window'),
        children: (
          <span data-testid="lookup-activation-window">
            {activation.firstEntryAt === null || activation.validUntil === null
              ? t('lookup.entry.windowPending', { period })
              : t('lookup.entry.windowValue', {
                  from: at(activation.firstEntryAt),
                  to: at(activation.validUntil),
                })}
          </span>
        ),
      },
    );
  }
  if (visitDays) {
    items.push({
      key: 'visitDays',
      label: t('lookup.entry.visitDays'),
      children: (
        <Space wrap size={4} data-testid="lookup-visit-days">
          <span>
            {t('lookup.entry.visitDaysValue', { used: visitDays.used, allowed: visitDays.allowed })}
          </span>
          {visitDays.days.map((day) => (
            <Tag key={day}>{day}</Tag>
          ))}
        </Space>
      ),
    });
  }
  items.push(
    {
      key: 'presence',
      label: t('lookup.entry.presence'),
      children: (
        <Tag color={STATE_COLOURS[presence.state]} data-testid="lookup-presence">
          {t(`lookup.entry.states.${presence.state}`)}
        </Tag>
      ),
    },
    { key: 'lastEntry', label: t('lookup.entry.lastEntry'), children: at(presence.lastEntryAt) },
    { key: 'lastExit', label: t('lookup.entry.lastExit'), children: at(presence.lastExitAt) },
  );
  if (presence.reentry) {
    const until = presence.reentry.until;
    items.push({
      key: 'reentry',
      label: t('lookup.entry.reentry'),
      children:
        until === null
          ? t('lookup.entry.reentryAllDay')
          : t('lookup.entry.reentryUntil', { time: hhmm(until) }),
    });
  }
  return (
    <div data-testid="lookup-entry-state">
      <Descriptions
        title={t('lookup.entry.title')}
        size="small"
        bordered
        column={{ xs: 1, md: 2 }}
        items={items}
      />
    </div>
  );
}
