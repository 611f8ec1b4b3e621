/**
 * 超时费与再入园费: the standing supplement fees per ticket type (GET /supplements/fee-rates, sales.read; set with
 * PUT, ticket_types.manage). One row per type of the site, each fee edited in yuan in place.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Form, Input, Space, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/client';
import type { FeeRate, TicketType } from '../../../api/types';
import { allows } from '../../../auth/access';
import { useMe } from '../../../auth/session';
import { applyFieldErrors, QueryView, useNotifyError } from '../../../components/feedback';
import { fenToYuanText, formatFen, parseYuan } from '../../../format/money';
import { typeName } from '../shared';
import { MAX_FEN } from '../vocabulary';

type Reason = FeeRate['reason'];
const FEES_KEY = ['fee-rates', 'list'] as const;

function FeeCell({
  type,
  reason,
  current,
  canEdit,
}: {
  type: TicketType;
  reason: Reason;
  current: number | undefined;
  canEdit: boolean;
}) {
  const { t } = useTranslation('catalog');
  const { message } = App.useApp();
  const client = useQueryClient();
  const notify = useNotifyError();
  const [form] = Form.useForm<{ amountFen: string }>();
  const reasonText = t(`fees.${reason}`);
  const save = useMutation({
    mutationFn: (amountFen: number) =>
      api.put<FeeRate>('/supplements/fee-rates', { typeId: type.typeId, reason, amountFen }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: FEES_KEY });
      void message.success(t('fees.saved', { type: typeName(type), reason: reasonText }));
    },
    onError: (error) => {
      if (!applyFieldErrors(form, error)) notify(error);
    },
  });
  if (!canEdit) return <span>{current === undefined ? t('fees.notSet') : formatFen(current)}</span>;
  return (
    <Form
      form={form}
      layout="inline"
      initialValues={{ amountFen: current === undefined ? '' : fenToYuanText(current) }}
      onFinish={({ amountFen }) => save.mutate(parseYuan(amountFen)!)}
    >
      <Form.Item
        name="amountFen"
        rules={[
          { required: true, whitespace: true, message: t('editor.errors.yuan') },
          {
            validator: (_, value: string) => {
              if (!value?.trim()) return Promise.resolve();
              const fen = parseYuan(value);
              if (fen === undefined) return Promise.reject(new Error(t('editor.errors.yuan')));
              return fen > MAX_FEN
                ? Promise.reject(new Error(t('editor.errors.yuanMax')))
                : Promise.resolve();
            },
          },
        ]}
      >
        <Input
          prefix="¥"
          inputMode="decimal"
          style={{ width: 130 }}
          placeholder={t('fees.notSet')}
          aria-label={t('fees.amount', { type: typeName(type), reason: reasonText })}
        />
      </Form.Item>
      <Button htmlType="submit" loading={save.isPending}>
        {t('fees.save')}
      </Button>
    </Form>
  );
}

export function FeeRates({ types }: { types: TicketType[] }) {
  const { t } = useTranslation('catalog');
  const me = useMe().data ?? undefined;
  const canRead = allows(me, 'sales.read');
  const canEdit = allows(me, 'ticket_types.manage');
  const query = useQuery({
    queryKey: FEES_KEY,
    queryFn: () => api.get<FeeRate[]>('/supplements/fee-rates'),
    enabled: canRead,
  });
  if (!canRead) return <Alert type="info" showIcon title={t('fees.needsRead')} />;
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Typography.Paragraph type="secondary">{t('fees.intro')}</Typography.Paragraph>
      <QueryView query={query}>
        {(rates) => {
          const rateOf = (typeId: number, reason: Reason) =>
            rates.find((rate) => rate.typeId === typeId && rate.reason === reason)?.amountFen;
          return (
            <Table
              rowKey="typeId"
              dataSource={types}
              pagination={false}
              locale={{ emptyText: t('fees.noTypes') }}
              data-testid="fee-rates"
              columns={[
                {
                  title: t('fees.type'),
                  key: 'type',
                  render: (_, type) => `${typeName(type)}（#${type.typeId}）`,
                },
                ...(['overstay', 'reentry'] as const).map((reason) => ({
                  title: t(`fees.${reason}`),
                  key: reason,
                  render: (_: unknown, type: TicketType) => (
                    <FeeCell
                      key={`${type.typeId}-${rateOf(type.typeId, reason)}`}
                      type={type}
                      reason={reason}
                      current={rateOf(type.typeId, reason)}
                      canEdit={canEdit}
                    />
                  ),
                })),
              ]}
            />
          );
        }}
      </QueryView>
    </Space>
  );
}
