/**
 * 节假日日历: the holiday breaks and make-up working days of a year, which same-holiday-day comparisons match by.
 * Everyone with holidays.read sees the list; adding, changing and deleting need holidays.manage (the routes' own
 * permission, which also asks for every site: the calendar is shared). A change is used by the next report.
 */
import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  DatePicker,
  Flex,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { Holiday } from '../../api/types';
import { applyFieldErrors, ErrorAlert, useNotifyError } from '../../components/feedback';
import { currentLanguage } from '../../i18n';
import { useCan } from '../control/venues';

interface FormValues {
  code: string;
  nameZh: string;
  nameEn: string;
  year: number;
  dates: [Dayjs, Dayjs];
  kind: Holiday['kind'];
  note?: string | null;
}

const thisYear = () => dayjs().year();

export default function HolidaysPage() {
  const { t } = useTranslation('analysis');
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const client = useQueryClient();
  const canManage = useCan('holidays.manage');
  const [year, setYear] = useState(thisYear());
  const [editing, setEditing] = useState<Holiday | 'new' | undefined>();
  const language = currentLanguage();
  const list = useQuery({
    queryKey: ['holidays', year],
    queryFn: ({ signal }) => api.get<{ holidays: Holiday[] }>('/holidays', { year }, signal),
  });
  const remove = useMutation({
    mutationFn: (id: string) => api.delete(`/holidays/${encodeURIComponent(id)}`),
    onSuccess: async () => {
      void message.success(t('holidays.deleted'));
      await client.invalidateQueries({ queryKey: ['holidays'] });
      await client.invalidateQueries({ queryKey: ['reports'] });
    },
    onError: notifyError,
  });

  return (
    <Flex vertical gap={16}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('holidays.title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
        {t('holidays.intro')}
      </Typography.Paragraph>
      <Space wrap>
        <Select
          aria-label={t('holidays.year')}
          value={year}
          onChange={setYear}
          style={{ width: 120 }}
          options={Array.from({ length: 6 }, (_, i) => thisYear() - 3 + i).map((y) => ({
            value: y,
            label: y,
          }))}
          data-testid="holidays-year"
        />
        {canManage ? (
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => setEditing('new')}
            data-testid="holiday-add"
          >
            {t('holidays.add')}
          </Button>
        ) : (
          <Typography.Text type="secondary">{t('holidays.readOnly')}</Typography.Text>
        )}
      </Space>
      <ErrorAlert error={list.error} />
      <Table
        size="small"
        rowKey="id"
        loading={list.isLoading}
        dataSource={list.data?.holidays ?? []}
        pagination={false}
        data-testid="holidays-table"
        columns={[
          {
            key: 'name',
            title: t('holidays.name'),
            render: (_, h) => (
              <span>
                {h.name[language]} <Typography.Text type="secondary">{h.code}</Typography.Text>
              </span>
            ),
          },
          {
            key: 'dates',
            title: t('holidays.dates'),
            render: (_, h) => (
              <span data-testid={`holiday-dates-${h.code}-${h.kind}`}>
                {h.firstDay === h.lastDay ? h.firstDay : `${h.firstDay} ~ ${h.lastDay}`}
              </span>
            ),
          },
          { key: 'days', title: '', align: 'right', render: (_, h) => t('holidays.days', { count: h.days }) },
          {
            key: 'kind',
            title: t('holidays.kind'),
            render: (_, h) => (
              <Tag color={h.kind === 'holiday' ? 'red' : 'default'}>{t(`holidays.kinds.${h.kind}`)}</Tag>
            ),
          },
          { key: 'note', title: t('holidays.note'), render: (_, h) => h.note ?? '' },
          ...(canManage
            ? [
                {
                  key: 'actions',
                  title: '',
                  width: 110,
                  render: (_: unknown, h: Holiday) => (
                    <Space size={0}>
                      <Button
                        type="link"
                        size="small"
                        icon={<EditOutlined />}
                        aria-label={t('holidays.editTitle')}
                        onClick={() => setEditing(h)}
                        data-testid={`holiday-edit-${h.code}-${h.kind}`}
                      />
                      <Popconfirm
                        title={t('holidays.deleteConfirm', { name: h.name[language] })}
                        onConfirm={() => remove.mutate(h.id)}
                      >
                        <Button
                          type="link"
                          size="small"
                          danger
                          icon={<DeleteOutlined />}
                          aria-label="delete"
                        />
                      </Popconfirm>
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
      />
      {editing ? (
        <HolidayForm
          holiday={editing === 'new' ? undefined : editing}
          year={year}
          onClose={() => setEditing(undefined)}
        />
      ) : null}
    </Flex>
  );
}

function HolidayForm({ holiday, year, onClose }: { holiday?: Holiday; year: number; onClose: () => void }) {
  const { t } = useTranslation('analysis');
  const { t: common } = useTranslation();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [form] = Form.useForm<FormValues>();
  const save = useMutation({
    mutationFn: (values: FormValues) => {
      const body = {
        code: values.code,
        name: { 'zh-CN': values.nameZh, en: values.nameEn },
        year: values.year,
        firstDay: values.dates[0].format('YYYY-MM-DD'),
        lastDay: values.dates[1].format('YYYY-MM-DD'),
        kind: values.kind,
        note: values.note ? values.note : null,
      };
      return holiday
        ? api.patch<Holiday>(`/holidays/${encodeURIComponent(holiday.id)}`, body)
        : api.post<Holiday>('/holidays', body);
    },
    onSuccess: async () => {
      void message.success(t('holidays.saved'));
      await client.invalidateQueries({ queryKey: ['holidays'] });
      await client.invalidateQueries({ queryKey: ['reports'] });
      onClose();
    },
    onError: (error) => applyFieldErrors(form, error),
  });
  return (
    <Modal
      open
      title={holiday ? t('holidays.editTitle') : t('holidays.addTitle')}
      okText={common('actions.save')}
      cancelText={common('actions.cancel')}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={save.isPending}
      destroyOnHidden
    >
      {save.error ? <ErrorAlert error={save.error} /> : null}
      <Form<FormValues>
        form={form}
        layout="vertical"
        onFinish={(values) => save.mutate(values)}
        initialValues={
          holiday
            ? {
                code: holiday.code,
                nameZh: holiday.name['zh-CN'],
                nameEn: holiday.name.en,
                year: holiday.year,
                dates: [dayjs(holiday.firstDay), dayjs(holiday.lastDay)],
                kind: holiday.kind,
                note: holiday.note,
              }
            : { year, kind: 'holiday' }
        }
        data-testid="holiday-form"
      >
        <Flex gap={12}>
          <Form.Item
            name="nameZh"
            label={t('holidays.nameZh')}
            rules={[{ required: true }]}
            style={{ flex: 1 }}
          >
            <Input maxLength={40} />
          </Form.Item>
          <Form.Item
            name="nameEn"
            label={t('holidays.nameEn')}
            rules={[{ required: true }]}
            style={{ flex: 1 }}
          >
            <Input maxLength={80} />
          </Form.Item>
        </Flex>
        <Form.Item
          name="code"
          label={t('holidays.code')}
          extra={t('holidays.codeHelp')}
          rules={[{ required: true, pattern: /^[a-z][a-z0-9_]{1,39}$/ }]}
        >
          <Input />
        </Form.Item>
        <Space wrap align="start">
          <Form.Item name="year" label={t('holidays.year')} rules={[{ required: true }]}>
            <InputNumber min={2000} max={2100} />
          </Form.Item>
          <Form.Item name="dates" label={t('holidays.dates')} rules={[{ required: true }]}>
            <DatePicker.RangePicker data-testid="holiday-dates" />
          </Form.Item>
          <Form.Item name="kind" label={t('holidays.kind')}>
            <Select
              style={{ width: 150 }}
              options={(['holiday', 'workday_swap'] as const).map((k) => ({
                value: k,
                label: t(`holidays.kinds.${k}`),
              }))}
            />
          </Form.Item>
        </Space>
        <Form.Item name="note" label={t('holidays.note')}>
          <Input maxLength={200} />
        </Form.Item>
      </Form>
      <Alert type="info" showIcon title={t('holidays.intro')} />
    </Modal>
  );
}
