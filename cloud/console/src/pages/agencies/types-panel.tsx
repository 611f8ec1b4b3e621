/**
 * An agency's authorised ticket types and settlement prices, with the type's agency channel price beside each (the
 * settlement price may not be above it). agencies.manage adds, edits (a default price and prices for date ranges)
 * and withdraws them. `base` is `/agencies/<id>` or `/agencies/mine` (read-only).
 */
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, DatePicker, Form, Input, Modal, Select, Space, Table, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { AgencyType, AgencyTypeList, PutAgencyType, TicketType } from '../../api/types';
import { applyFieldErrors, ErrorAlert, QueryView, useNotifyError } from '../../components/feedback';
import { fenToYuanText, formatFen } from '../../format/money';
import { formatDateTime } from '../../format/time';
import { typeName, useTicketTypes } from '../catalog/shared';
import { useAmountRule } from './agency-modal';
import { checkAmount, datedProblems, MAX_MOVEMENT_FEN } from './rules';
import { agencyKey, Money } from './shared';

interface Values {
  typeId?: number;
  /** Yuan text; named after the API's field so its errors land here. */
  priceFen: string;
  dated: { range?: [Dayjs, Dayjs]; priceFen?: string }[];
}

export function TypesPanel({
  base,
  zone,
  canManage,
  typesReadable,
}: {
  base: string;
  zone: string;
  canManage: boolean;
  /** Whether the operator may read ticket types (names and channel prices); ids otherwise. */
  typesReadable: boolean;
}) {
  const { t } = useTranslation('agencies');
  const { modal, message } = App.useApp();
  const notifyError = useNotifyError();
  const client = useQueryClient();
  const [editing, setEditing] = useState<AgencyType | 'new'>();
  const authorised = useQuery({
    queryKey: [...agencyKey.of(base), 'types'],
    queryFn: ({ signal }) => api.get<AgencyTypeList>(`${base}/types`, undefined, signal),
  });
  const ticketTypes = useTicketTypes(undefined, typesReadable);
  const byId = useMemo(
    () => new Map((ticketTypes.data ?? []).map((type) => [type.typeId, type])),
    [ticketTypes.data],
  );
  const nameOf = (typeId: number) => {
    const type = byId.get(typeId);
    return type ? `${typeName(type)} (#${typeId})` : `#${typeId}`;
  };
  const remove = useMutation({
    mutationFn: (typeId: number) => api.delete<void>(`${base}/types/${typeId}`),
    onSuccess: async (_, typeId) => {
      void message.success(t('types.removed', { name: nameOf(typeId) }));
      await client.invalidateQueries({ queryKey: agencyKey.of(base) });
    },
    onError: notifyError,
  });
  return (
    <>
      {canManage ? (
        <Button
          type="primary"
          icon={<PlusOutlined />}
          onClick={() => setEditing('new')}
          style={{ marginBottom: 12 }}
          data-testid="add-type"
        >
          {t('types.add')}
        </Button>
      ) : null}
      <QueryView query={authorised}>
        {(data) => (
          <Table<AgencyType>
            rowKey="typeId"
            size="middle"
            dataSource={data.types}
            pagination={false}
            data-testid="agency-types"
            locale={{ emptyText: t('types.empty') }}
            scroll={{ x: 800 }}
            columns={[
              { title: t('types.type'), key: 'type', render: (_, row) => nameOf(row.typeId) },
              {
                title: t('types.price'),
                key: 'price',
                align: 'right',
                width: 130,
                render: (_, row) => <Money fen={row.priceFen} />,
              },
              {
                title: t('types.channelPrice'),
                key: 'channel',
                align: 'right',
                width: 190,
                render: (_, row) => {
                  const price = byId.get(row.typeId)?.prices.agency;
                  return price === undefined ? (
                    <Typography.Text type="secondary">
                      {typesReadable ? t('types.noChannelPrice') : '—'}
                    </Typography.Text>
                  ) : (
                    formatFen(price)
                  );
                },
              },
              {
                title: t('types.dated'),
                key: 'dated',
                render: (_, row) =>
                  row.dated.length === 0 ? (
                    <Typography.Text type="secondary">{t('types.noDated')}</Typography.Text>
                  ) : (
                    <Space orientation="vertical" size={0}>
                      {row.dated.map((range) => (
                        <span key={range.from} style={{ whiteSpace: 'nowrap' }}>
                          {range.from} – {range.to}: {formatFen(range.priceFen)}
                        </span>
                      ))}
                    </Space>
                  ),
              },
              {
                title: t('types.updatedAt'),
                key: 'updated',
                width: 170,
                render: (_, row) => formatDateTime(row.updatedAt, zone),
              },
              ...(canManage
                ? [
                    {
                      title: '',
                      key: 'actions',
                      width: 170,
                      render: (_: unknown, row: AgencyType) => (
                        <Space size="small">
                          <Button size="small" onClick={() => setEditing(row)}>
                            {t('edit')}
                          </Button>
                          <Button
                            size="small"
                            danger
                            onClick={() =>
                              modal.confirm({
                                title: t('types.removeConfirm', { name: nameOf(row.typeId) }),
                                okButtonProps: { danger: true },
                                onOk: () => remove.mutateAsync(row.typeId),
                              })
                            }
                          >
                            {t('types.remove')}
                          </Button>
                        </Space>
                      ),
                    },
                  ]
                : []),
            ]}
          />
        )}
      </QueryView>
      {editing ? (
        <TypeModal
          base={base}
          editing={editing === 'new' ? undefined : editing}
          authorised={authorised.data?.types ?? []}
          ticketTypes={ticketTypes.data ?? []}
          nameOf={nameOf}
          onClose={() => setEditing(undefined)}
        />
      ) : null}
    </>
  );
}

function TypeModal({
  base,
  editing,
  authorised,
  ticketTypes,
  nameOf,
  onClose,
}: {
  base: string;
  editing: AgencyType | undefined;
  authorised: readonly AgencyType[];
  ticketTypes: readonly TicketType[];
  nameOf: (typeId: number) => string;
  onClose: () => void;
}) {
  const { t } = useTranslation('agencies');
  const { t: tc } = useTranslation();
  const [form] = Form.useForm<Values>();
  const client = useQueryClient();
  const { message } = App.useApp();
  const chosen = Form.useWatch('typeId', form) ?? editing?.typeId;
  const channelPrice = ticketTypes.find((type) => type.typeId === chosen)?.prices.agency;
  const ceiling = channelPrice ?? MAX_MOVEMENT_FEN;
  const priceRule = useAmountRule({ min: 0, max: ceiling });
  const taken = new Set(authorised.map((row) => row.typeId));
  const save = useMutation({
    mutationFn: (values: Values) => {
      const typeId = editing?.typeId ?? values.typeId!;
      const price = (text: string | undefined) => {
        const checked = checkAmount(text, { min: 0, max: MAX_MOVEMENT_FEN });
        return 'fen' in checked ? checked.fen : 0;
      };
      const body: PutAgencyType = {
        priceFen: price(values.priceFen),
        dated: (values.dated ?? []).map((row) => ({
          from: row.range?.[0].format('YYYY-MM-DD') ?? '',
          to: row.range?.[1].format('YYYY-MM-DD') ?? '',
          priceFen: price(row.priceFen),
        })),
      };
      return api.put<AgencyType>(`${base}/types/${typeId}`, body);
    },
    onSuccess: async (saved) => {
      void message.success(t('types.saved', { name: nameOf(saved.typeId) }));
      await client.invalidateQueries({ queryKey: agencyKey.of(base) });
      onClose();
    },
    onError: (error) => applyFieldErrors(form, error),
  });
  const rangesProblem = (index: number) => () => {
    const rows = (form.getFieldValue('dated') as Values['dated'] | undefined) ?? [];
    const problem = datedProblems(
      rows.map((row) => ({
        from: row?.range?.[0]?.format('YYYY-MM-DD'),
        to: row?.range?.[1]?.format('YYYY-MM-DD'),
      })),
    )[index];
    if (problem === 'order') return Promise.reject(new Error(t('rule.dateOrder')));
    if (problem === 'overlap') return Promise.reject(new Error(t('rule.overlap')));
    return Promise.resolve();
  };
  return (
    <Modal
      open
      width={640}
      title={editing ? t('types.editTitle', { name: nameOf(editing.typeId) }) : t('types.addTitle')}
      okText={tc('actions.save')}
      cancelText={tc('actions.cancel')}
      confirmLoading={save.isPending}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Form<Values>
        form={form}
        layout="vertical"
        initialValues={{
          ...(editing ? {} : { typeId: undefined }),
          priceFen: editing ? fenToYuanText(editing.priceFen) : '',
          dated:
            editing?.dated.map((row) => ({
              range: [dayjs(row.from), dayjs(row.to)] as [Dayjs, Dayjs],
              priceFen: fenToYuanText(row.priceFen),
            })) ?? [],
        }}
        onFinish={(values) => save.mutate(values)}
        data-testid="agency-type-form"
      >
        {editing ? null : (
          <Form.Item
            name="typeId"
            label={t('types.type')}
            rules={[{ required: true, message: t('rule.required') }]}
          >
            <Select
              showSearch={{ optionFilterProp: 'label' }}
              data-testid="agency-type-select"
              options={ticketTypes
                .filter((type) => !taken.has(type.typeId))
                .map((type) => ({
                  value: type.typeId,
                  label: `${typeName(type)} (#${type.typeId})`,
                  disabled: type.prices.agency === undefined,
                }))}
            />
          </Form.Item>
        )}
        <Form.Item
          name="priceFen"
          label={t('types.price')}
          dependencies={['typeId']}
          extra={
            channelPrice === undefined
              ? chosen === undefined
                ? undefined
                : t('types.noChannelPrice')
              : t('types.priceHelp', { price: formatFen(channelPrice) })
          }
          rules={[{ required: true, message: t('rule.required') }, priceRule]}
        >
          <Input prefix="¥" inputMode="decimal" style={{ width: 220 }} />
        </Form.Item>
        <Form.Item label={t('types.dated')} extra={t('types.datedHelp')}>
          <Form.List name="dated">
            {(fields, { add, remove }) => (
              <>
                {fields.map((field) => (
                  <Space key={field.key} align="start" wrap style={{ display: 'flex' }}>
                    <Form.Item
                      name={[field.name, 'range']}
                      dependencies={fields.map((other) => ['dated', other.name, 'range'])}
                      rules={[
                        { required: true, message: t('rule.required') },
                        { validator: rangesProblem(field.name) },
                      ]}
                    >
                      <DatePicker.RangePicker
                        allowClear={false}
                        placeholder={[t('types.from'), t('types.to')]}
                      />
                    </Form.Item>
                    <Form.Item
                      name={[field.name, 'priceFen']}
                      rules={[{ required: true, message: t('rule.required') }, priceRule]}
                    >
                      <Input
                        prefix="¥"
                        inputMode="decimal"
                        aria-label={t('types.price')}
                        style={{ width: 150 }}
                      />
                    </Form.Item>
                    <Button
                      type="text"
                      icon={<DeleteOutlined />}
                      aria-label={tc('actions.delete')}
                      onClick={() => remove(field.name)}
                    />
                  </Space>
                ))}
                <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({})}>
                  {t('types.addRange')}
                </Button>
              </>
            )}
          </Form.List>
        </Form.Item>
        <ErrorAlert error={save.error} />
      </Form>
    </Modal>
  );
}
