/**
 * The filter bar of the desk lists (sales, refunds, supplements): site, window, business days in the site's zone,
 * "only mine", and whatever else a list adds. Submitting (Enter or 查询) applies it; the list pages on the server.
 */
import { Button, Checkbox, DatePicker, Form, Select, Space } from 'antd';
import type { Dayjs } from 'dayjs';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { nameOf } from './labels';
import { useCanReadVenues, useSites, useWindows } from './sites';
import { dayRange } from './zone';

export interface FilterValues {
  siteId?: string;
  windowId?: string;
  days?: [Dayjs, Dayjs] | null;
  mine?: boolean;
  [extra: string]: unknown;
}

/** The API query of the common filters: from/to as the site's midnights. */
export function filterQuery(
  values: FilterValues,
  meId: string | undefined,
  zoneOf: (siteId: string | undefined) => string,
): Record<string, string | number | undefined> {
  const zone = zoneOf(values.siteId);
  const range = values.days
    ? dayRange(values.days[0].format('YYYY-MM-DD'), values.days[1].format('YYYY-MM-DD'), zone)
    : undefined;
  return {
    siteId: values.siteId,
    windowId: values.windowId,
    cashierId: values.mine ? meId : undefined,
    from: range?.from,
    to: range?.to,
  };
}

export function FilterBar({
  onApply,
  withWindow,
  withMine = true,
  withDays = true,
  children,
}: {
  onApply: (values: FilterValues) => void;
  withWindow?: boolean;
  withMine?: boolean;
  withDays?: boolean;
  children?: ReactNode;
}) {
  const { t } = useTranslation('desk');
  const [form] = Form.useForm<FilterValues>();
  const canReadVenues = useCanReadVenues();
  const sites = useSites();
  const siteId = Form.useWatch('siteId', form);
  const windows = useWindows(siteId);
  return (
    <Form<FilterValues>
      form={form}
      name="filters"
      layout="inline"
      onFinish={onApply}
      style={{ rowGap: 12, marginBottom: 16 }}
      data-testid="filters"
    >
      {canReadVenues ? (
        <Form.Item label={t('filters.site')} name="siteId">
          <Select
            allowClear
            style={{ width: 160 }}
            placeholder={t('filters.all')}
            loading={sites.isPending}
            options={(sites.data?.sites ?? []).map((site) => ({ value: site.id, label: nameOf(site.name) }))}
            onChange={() => form.setFieldValue('windowId', undefined)}
          />
        </Form.Item>
      ) : null}
      {withWindow && canReadVenues ? (
        <Form.Item label={t('filters.window')} name="windowId">
          <Select
            allowClear
            style={{ width: 140 }}
            disabled={!siteId}
            placeholder={siteId ? t('filters.all') : t('filters.siteFirst')}
            options={(windows.data?.windows ?? []).map((w) => ({
              value: w.id,
              label: `${w.id} · ${nameOf(w.name)}`,
            }))}
          />
        </Form.Item>
      ) : null}
      {withDays ? (
        <Form.Item label={t('filters.days')} name="days">
          <DatePicker.RangePicker allowClear style={{ width: 250 }} />
        </Form.Item>
      ) : null}
      {children}
      {withMine ? (
        <Form.Item name="mine" valuePropName="checked">
          <Checkbox>{t('filters.mine')}</Checkbox>
        </Form.Item>
      ) : null}
      <Form.Item>
        <Space>
          <Button type="primary" htmlType="submit">
            {t('filters.apply')}
          </Button>
          <Button
            onClick={() => {
              form.resetFields();
              onApply({});
            }}
          >
            {t('filters.reset')}
          </Button>
        </Space>
      </Form.Item>
    </Form>
  );
}
