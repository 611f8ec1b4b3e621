/**
 * 限量日历: a site's month, each day with sold / cap / left and its slots in total, from one range call
 * (GET /capacity/calendar). A day opens its slots (day-drawer.tsx). The site's daily cap is edited here too
 * (PATCH /sites/{id}, venues.manage): it applies to every date.
 */
import { EditOutlined, LeftOutlined, RightOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Form, InputNumber, Modal, Space, Tag, Typography } from 'antd';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { api } from '../../../api/client';
import type { CapacityCalendar, CapacityCalendarDay, Site } from '../../../api/types';
import { allows } from '../../../auth/access';
import { useMe } from '../../../auth/session';
import { applyFieldErrors, ErrorAlert, ErrorState, Loading, QueryView } from '../../../components/feedback';
import { today } from '../../../format/time';
import { type SiteOption, SiteSelect, useChosenSite, useSites } from '../shared';
import { DayDrawer } from './day-drawer';
import { firstDate, lastDate, type Month, monthOf, monthWeeks, shiftMonth } from './month';

const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;

function DailyCapEditor({ site, onClose }: { site: Site; onClose: () => void }) {
  const { t } = useTranslation('catalog');
  const { t: tc } = useTranslation();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [form] = Form.useForm<{ dailyCapacity: number | null }>();
  const [failure, setFailure] = useState<unknown>(null);
  const save = useMutation({
    mutationFn: (dailyCapacity: number | null) =>
      api.patch<Site>(`/sites/${encodeURIComponent(site.id)}`, { dailyCapacity }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['sites'] });
      void client.invalidateQueries({ queryKey: ['capacity'] });
      void message.success(t('capacity.dailyCapSaved'));
      onClose();
    },
    onError: (error) => {
      if (!applyFieldErrors(form, error)) setFailure(error);
    },
  });
  return (
    <Modal
      open
      title={t('capacity.editDailyCap')}
      onCancel={onClose}
      okText={tc('actions.save')}
      cancelText={tc('actions.cancel')}
      confirmLoading={save.isPending}
      onOk={() => form.submit()}
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{ dailyCapacity: site.dailyCapacity }}
        onFinish={({ dailyCapacity }) => save.mutate(dailyCapacity ?? null)}
      >
        <Form.Item
          name="dailyCapacity"
          label={t('capacity.dailyCap')}
          extra={t('capacity.dailyCapHelp')}
          rules={[{ type: 'integer', min: 0, max: 10_000_000, message: t('day.capRange') }]}
        >
          <InputNumber style={{ width: '100%' }} placeholder={t('capacity.dailyCapNone')} />
        </Form.Item>
      </Form>
      <ErrorAlert error={failure} />
    </Modal>
  );
}

function DayCell({
  date,
  day,
  isToday,
  onOpen,
}: {
  date: string;
  day: CapacityCalendarDay | undefined;
  isToday: boolean;
  onOpen: () => void;
}) {
  const { t } = useTranslation('catalog');
  const cap = day?.cap ?? null;
  const left = day?.remaining ?? null;
  const full = cap !== null && left === 0;
  const low = cap !== null && left !== null && !full && left < cap * 0.1;
  const slots = day?.slots.count ?? 0;
  const label = t('capacity.dayLabel', {
    date,
    sold: day?.sold ?? 0,
    cap: cap ?? t('unlimited'),
    left: left ?? t('unlimited'),
    slots,
  });
  return (
    <button
      type="button"
      onClick={onOpen}
      title={label}
      data-testid={`day-${date}`}
      style={{
        width: '100%',
        minHeight: 84,
        padding: '6px 8px',
        textAlign: 'left',
        cursor: 'pointer',
        borderRadius: 6,
        border: isToday ? '2px solid #0f766e' : '1px solid #e5e7eb',
        background: full ? '#fef2f2' : low ? '#fffbeb' : '#fff',
        font: 'inherit',
        color: 'inherit',
      }}
    >
      <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center' }}>
        <strong style={{ fontSize: 15 }}>{Number(date.slice(8))}</strong>
        {slots > 0 ? (
          <Tag color="blue" style={{ marginInlineEnd: 0 }}>
            {t('capacity.slotsCount', { count: slots })}
          </Tag>
        ) : null}
      </div>
      <div style={{ fontSize: 12, marginTop: 4, color: '#374151' }}>
        {t('capacity.sold')} {day?.sold ?? 0} / {cap ?? t('unlimited')}
      </div>
      <div style={{ fontSize: 12, color: full ? '#b91c1c' : '#4b5563' }}>
        {full ? t('capacity.full') : `${t('capacity.left')} ${left ?? t('unlimited')}`}
      </div>
    </button>
  );
}

function MonthGrid({
  site,
  month,
  calendar,
  onOpen,
}: {
  site: SiteOption;
  month: Month;
  calendar: CapacityCalendar;
  onOpen: (date: string) => void;
}) {
  const { t } = useTranslation('catalog');
  const byDate = new Map(calendar.days.map((day) => [day.date, day]));
  const now = today(site.timeZone);
  return (
    <table
      aria-label={t('capacity.month', { year: month.year, month: month.month })}
      data-testid="capacity-calendar"
      style={{
        width: '100%',
        tableLayout: 'fixed',
        borderCollapse: 'separate',
        borderSpacing: 6,
        margin: -6,
      }}
    >
      <thead>
        <tr>
          {WEEKDAYS.map((day) => (
            <th key={day} scope="col" style={{ color: '#4b5563', fontSize: 13, fontWeight: 500 }}>
              {t(`weekdays.d${day}`)}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {monthWeeks(month).map((week) => (
          <tr key={week.find(Boolean)}>
            {week.map((date, index) => (
              <td key={date ?? `blank-${index}`} style={{ padding: 0, verticalAlign: 'top' }}>
                {date ? (
                  <DayCell
                    date={date}
                    day={byDate.get(date)}
                    isToday={date === now}
                    onOpen={() => onOpen(date)}
                  />
                ) : null}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function SiteCalendar({ site }: { site: SiteOption }) {
  const { t } = useTranslation('catalog');
  const me = useMe().data ?? undefined;
  const [params, setParams] = useSearchParams();
  const [editingCap, setEditingCap] = useState(false);
  const monthParam = params.get('month');
  const month: Month = /^\d{4}-\d{2}$/.test(monthParam ?? '')
    ? monthOf(`${monthParam}-01`)
    : monthOf(today(site.timeZone));
  const day = params.get('day');
  const from = firstDate(month);
  const to = lastDate(month);
  const query = useQuery({
    queryKey: ['capacity', 'list', site.id, from, to],
    queryFn: () => api.get<CapacityCalendar>('/capacity/calendar', { siteId: site.id, from, to }),
  });
  const setParam = (key: string, value: string | null) =>
    setParams((previous) => {
      const next = new URLSearchParams(previous);
      if (value === null) next.delete(key);
      else next.set(key, value);
      return next;
    });
  const goTo = (target: Month) => setParam('month', firstDate(target).slice(0, 7));
  const dailyCap = site.site ? site.site.dailyCapacity : (query.data?.days[0]?.cap ?? null);
  return (
    <>
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 12 }} wrap>
        <Space>
          <Button
            icon={<LeftOutlined />}
            aria-label={t('capacity.previous')}
            onClick={() => goTo(shiftMonth(month, -1))}
          />
          <Typography.Title
            level={4}
            style={{ margin: 0, minWidth: 140, textAlign: 'center' }}
            data-testid="month"
          >
            {t('capacity.month', { year: month.year, month: month.month })}
          </Typography.Title>
          <Button
            icon={<RightOutlined />}
            aria-label={t('capacity.next')}
            onClick={() => goTo(shiftMonth(month, 1))}
          />
          <Button onClick={() => goTo(monthOf(today(site.timeZone)))}>{t('capacity.today')}</Button>
        </Space>
        <Space>
          <Typography.Text>
            {t('capacity.dailyCap')}：
            <Typography.Text strong data-testid="daily-cap">
              {dailyCap ?? t('capacity.dailyCapNone')}
            </Typography.Text>
          </Typography.Text>
          {site.site && allows(me, 'venues.manage') ? (
            <Button icon={<EditOutlined />} onClick={() => setEditingCap(true)}>
              {t('capacity.editDailyCap')}
            </Button>
          ) : null}
        </Space>
      </Space>
      <Typography.Paragraph type="secondary">{t('capacity.legend')}</Typography.Paragraph>
      <QueryView query={query}>
        {(calendar) => (
          <MonthGrid site={site} month={month} calendar={calendar} onOpen={(date) => setParam('day', date)} />
        )}
      </QueryView>
      {day && /^\d{4}-\d{2}-\d{2}$/.test(day) ? (
        <DayDrawer
          siteId={site.id}
          date={day}
          canManage={allows(me, 'capacity.manage')}
          onClose={() => setParam('day', null)}
        />
      ) : null}
      {editingCap && site.site ? (
        <DailyCapEditor site={site.site} onClose={() => setEditingCap(false)} />
      ) : null}
    </>
  );
}

export default function CapacityPage() {
  const { t } = useTranslation('catalog');
  const sites = useSites();
  const [site, choose] = useChosenSite(sites.options);
  let body: ReactNode;
  if (sites.isPending) body = <Loading />;
  else if (sites.error) body = <ErrorState error={sites.error} onRetry={() => sites.refetch()} />;
  else if (!site) body = <Alert type="info" showIcon title={t('site.none')} />;
  else body = <SiteCalendar key={site.id} site={site} />;
  return (
    <>
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 8 }} wrap>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('capacity.title')}
        </Typography.Title>
        {sites.options && sites.options.length > 0 ? (
          <SiteSelect options={sites.options} value={site?.id} onChange={choose} />
        ) : null}
      </Space>
      {body}
    </>
  );
}
