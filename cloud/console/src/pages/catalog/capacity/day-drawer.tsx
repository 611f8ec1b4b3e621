/**
 * One day of the capacity calendar: the day's figures, its timed slots with their caps (never below what is sold:
 * the input's minimum is the sold figure, the form refuses less as the operator types, and the API's refusal, when
 * sales moved on meanwhile, shows on the same field), and new slots for the day.
 */
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Drawer,
  Form,
  Input,
  Row,
  Space,
  Statistic,
  Table,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/client';
import { asApiError } from '../../../api/errors';
import type { Availability, CapacitySlot, CreateSlots } from '../../../api/types';
import { applyFieldErrors, describeError, ErrorAlert, QueryView } from '../../../components/feedback';
import { formatMinute, parseMinute } from '../ticket-types/form-model';

const MAX_CAP = 10_000_000;

export const availabilityKey = (siteId: string, date: string) => ['capacity', 'one', siteId, date] as const;

function capRules(t: ReturnType<typeof useTranslation<'catalog'>>['t'], sold: number) {
  return [
    { required: true, message: t('day.capRange') },
    {
      validator: (_: unknown, value: string | number | undefined) => {
        const text = String(value ?? '').trim();
        if (!/^\d+$/.test(text) || Number(text) > MAX_CAP)
          return Promise.reject(new Error(t('day.capRange')));
        if (Number(text) < sold) return Promise.reject(new Error(t('day.belowSold', { sold })));
        return Promise.resolve();
      },
    },
  ];
}

function SlotCap({ slot, canManage }: { slot: CapacitySlot; canManage: boolean }) {
  const { t } = useTranslation('catalog');
  const { message } = App.useApp();
  const client = useQueryClient();
  const [form] = Form.useForm<{ cap: string }>();
  const [failure, setFailure] = useState<unknown>(null);
  const time = `${slot.start}–${slot.end}`;
  const save = useMutation({
    mutationFn: (cap: number) => api.patch<CapacitySlot>(`/capacity/slots/${slot.id}`, { cap }),
    onSuccess: (saved) => {
      setFailure(null);
      void client.invalidateQueries({ queryKey: ['capacity'] });
      void message.success(t('day.capSaved', { time, cap: saved.cap }));
    },
    onError: (error) => {
      if (asApiError(error).code === 'CAPACITY_BELOW_SOLD') {
        form.setFields([{ name: 'cap', errors: [describeError(error)] }]);
        void client.invalidateQueries({ queryKey: ['capacity'] });
      } else if (!applyFieldErrors(form, error)) setFailure(error);
    },
  });
  if (!canManage) return <span>{slot.cap}</span>;
  return (
    <Form
      form={form}
      layout="inline"
      initialValues={{ cap: String(slot.cap) }}
      onFinish={({ cap }) => save.mutate(Number(cap))}
      data-testid={`slot-cap-${slot.start}`}
    >
      <Form.Item name="cap" rules={capRules(t, slot.sold)} style={{ marginInlineEnd: 8, width: 200 }}>
        <Input
          type="number"
          min={slot.sold}
          max={MAX_CAP}
          step={1}
          style={{ width: 120 }}
          aria-label={t('day.capLabel', { time })}
        />
      </Form.Item>
      <Button htmlType="submit" loading={save.isPending}>
        {t('day.saveCap')}
      </Button>
      {failure ? <ErrorAlert error={failure} /> : null}
    </Form>
  );
}

interface NewSlot {
  start: string;
  end: string;
  cap: string;
}

function nextSlot(after: string | undefined): NewSlot {
  const start = Math.min(parseMinute(after ?? '') ?? 9 * 60, 23 * 60);
  return { start: formatMinute(start), end: formatMinute(Math.min(start + 60, 1440)), cap: '100' };
}

function DefineSlots({ siteId, date, existing }: { siteId: string; date: string; existing: CapacitySlot[] }) {
  const { t } = useTranslation('catalog');
  const { message } = App.useApp();
  const client = useQueryClient();
  const [form] = Form.useForm<{ slots: NewSlot[] }>();
  const [failure, setFailure] = useState<unknown>(null);
  const create = useMutation({
    mutationFn: (body: CreateSlots) => api.post<CapacitySlot[]>('/capacity/slots', body),
    onSuccess: (created) => {
      setFailure(null);
      void client.invalidateQueries({ queryKey: ['capacity'] });
      void message.success(t('day.created', { count: created.length }));
      form.setFieldsValue({ slots: [nextSlot(created.at(-1)?.end)] });
    },
    onError: (error) => {
      if (!applyFieldErrors(form, error)) setFailure(error);
    },
  });
  const time = [
    { required: true, message: t('editor.errors.time') },
    {
      validator: (_: unknown, value: string) =>
        parseMinute(value ?? '') === undefined
          ? Promise.reject(new Error(t('editor.errors.time')))
          : Promise.resolve(),
    },
  ];
  const endRules = (index: number) => [
    ...time,
    {
      validator: (_: unknown, value: string) => {
        const rows = (form.getFieldValue('slots') ?? []) as NewSlot[];
        const start = parseMinute(rows[index]?.start ?? '');
        const end = parseMinute(value ?? '');
        if (start === undefined || end === undefined) return Promise.resolve();
        if (start >= end) return Promise.reject(new Error(t('editor.errors.hoursOrder')));
        const overlaps = rows.some((other, i) => {
          const s = parseMinute(other?.start ?? '');
          const e = parseMinute(other?.end ?? '');
          return i !== index && s !== undefined && e !== undefined && start < e && s < end;
        });
        return overlaps ? Promise.reject(new Error(t('day.overlap'))) : Promise.resolve();
      },
    },
  ];
  return (
    <Card size="small" title={t('day.define')}>
      <Typography.Paragraph type="secondary">{t('day.defineHelp')}</Typography.Paragraph>
      <Form
        form={form}
        initialValues={{ slots: [nextSlot(existing.at(-1)?.end)] }}
        onFinish={({ slots }) =>
          create.mutate({
            siteId,
            date,
            slots: slots.map((slot) => ({
              start: slot.start.trim(),
              end: slot.end.trim(),
              cap: Number(slot.cap),
            })),
          })
        }
        data-testid="define-slots"
      >
        <Form.List name="slots">
          {(fields, { add, remove }) => (
            <>
              <Row gutter={8} aria-hidden style={{ marginBottom: 4, color: '#4b5563' }}>
                <Col span={7}>{t('day.start')}</Col>
                <Col span={7}>{t('day.end')}</Col>
                <Col span={7}>{t('day.cap')}</Col>
              </Row>
              {fields.map((field, index) => (
                <Row gutter={8} key={field.key}>
                  <Col span={7}>
                    <Form.Item name={[field.name, 'start']} rules={time}>
                      <Input aria-label={`${t('day.start')} ${index + 1}`} placeholder={t('day.start')} />
                    </Form.Item>
                  </Col>
                  <Col span={7}>
                    <Form.Item
                      name={[field.name, 'end']}
                      rules={endRules(field.name)}
                      dependencies={[['slots']]}
                    >
                      <Input aria-label={`${t('day.end')} ${index + 1}`} placeholder={t('day.end')} />
                    </Form.Item>
                  </Col>
                  <Col span={7}>
                    <Form.Item name={[field.name, 'cap']} rules={capRules(t, 0)}>
                      <Input
                        type="number"
                        min={0}
                        step={1}
                        aria-label={`${t('day.cap')} ${index + 1}`}
                        placeholder={t('day.cap')}
                      />
                    </Form.Item>
                  </Col>
                  <Col span={3}>
                    <Button
                      icon={<DeleteOutlined />}
                      disabled={fields.length === 1}
                      aria-label={t('day.removeRow', { index: index + 1 })}
                      onClick={() => remove(field.name)}
                    />
                  </Col>
                </Row>
              ))}
              <Space>
                <Button
                  icon={<PlusOutlined />}
                  disabled={fields.length >= 96}
                  onClick={() => {
                    const rows = (form.getFieldValue('slots') ?? []) as NewSlot[];
                    add(nextSlot(rows.at(-1)?.end));
                  }}
                >
                  {t('day.addRow')}
                </Button>
                <Button type="primary" htmlType="submit" loading={create.isPending}>
                  {t('day.submit')}
                </Button>
              </Space>
            </>
          )}
        </Form.List>
      </Form>
      {failure ? (
        <div style={{ marginTop: 8 }}>
          <ErrorAlert error={failure} />
        </div>
      ) : null}
    </Card>
  );
}

export function DayDrawer({
  siteId,
  date,
  canManage,
  onClose,
}: {
  siteId: string;
  date: string;
  canManage: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation('catalog');
  const query = useQuery({
    queryKey: availabilityKey(siteId, date),
    queryFn: () => api.get<Availability>('/capacity/availability', { siteId, date }),
  });
  return (
    <Drawer open size={640} title={t('day.title', { date })} onClose={onClose}>
      <QueryView query={query}>
        {(day) => (
          <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="day-panel">
            <Card size="small" title={t('day.daily')}>
              <Row gutter={16}>
                <Col span={8}>
                  <Statistic title={t('day.sold')} value={day.daily.sold} />
                </Col>
                <Col span={8}>
                  <Statistic title={t('day.cap')} value={day.daily.cap ?? t('unlimited')} />
                </Col>
                <Col span={8}>
                  <Statistic title={t('day.left')} value={day.daily.remaining ?? t('unlimited')} />
                </Col>
              </Row>
            </Card>
            <Card size="small" title={t('day.slots')}>
              {day.slots.length === 0 ? (
                <Typography.Text type="secondary">{t('day.noSlots')}</Typography.Text>
              ) : (
                <Table<CapacitySlot>
                  size="small"
                  rowKey="id"
                  pagination={false}
                  dataSource={day.slots}
                  data-testid="slots"
                  columns={[
                    {
                      title: t('day.time'),
                      key: 'time',
                      width: 120,
                      render: (_, slot) => (
                        <span style={{ whiteSpace: 'nowrap' }}>{`${slot.start}–${slot.end}`}</span>
                      ),
                    },
                    { title: t('day.sold'), dataIndex: 'sold', width: 70 },
                    { title: t('day.left'), dataIndex: 'remaining', width: 70 },
                    {
                      title: t('day.cap'),
                      key: 'cap',
                      render: (_, slot) => (
                        <SlotCap key={`${slot.id}-${slot.cap}`} slot={slot} canManage={canManage} />
                      ),
                    },
                  ]}
                />
              )}
            </Card>
            {canManage ? (
              <DefineSlots siteId={siteId} date={date} existing={day.slots} />
            ) : (
              <Alert type="info" showIcon title={t('day.readOnly')} />
            )}
          </Space>
        )}
      </QueryView>
    </Drawer>
  );
}
