/**
 * Batches (门票制作 / 入库): the list, a print run of fresh codes, and an import of pre-printed codes pasted as lines
 * or CSV — all or nothing, the API's refusal shown per line. A batch opens with its codes (batch-drawer.tsx).
 */
import { ImportOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery } from '@tanstack/react-query';
import { Button, Form, Input, InputNumber, Modal, Space, Table, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/client';
import type { StockBatch, StockCreatedBatch } from '../../../api/types';
import { applyFieldErrors, QueryView } from '../../../components/feedback';
import { formatDateTime } from '../../../format/time';
import { BatchDrawer } from './batch-drawer';
import { parseCodeList } from './codes-text';
import { type StockContext, stockKey } from './context';
import { NoteField, noteOf, TicketTypeField, useBatchCreated } from './new-batch';
import { StockRefusal } from './refusal';

const MAX_GENERATE = 50_000;
const MAX_IMPORT = 10_000;

function GenerateModal({
  context,
  onDone,
}: {
  context: StockContext;
  onDone: (batch: StockBatch | null) => void;
}) {
  const { t } = useTranslation('catalog');
  const { t: tc } = useTranslation();
  const [form] = Form.useForm<{ ticketTypeId: number; count: number; note?: string }>();
  const [failure, setFailure] = useState<unknown>(null);
  const created = useBatchCreated('stock.generated', onDone);
  const generate = useMutation({
    mutationFn: (body: { ticketTypeId: number; count: number; note?: string }) =>
      api.post<StockCreatedBatch>('/stock/batches/generate', body),
    onSuccess: created,
    onError: (error) => {
      if (!applyFieldErrors(form, error)) setFailure(error);
    },
  });
  return (
    <Modal
      open
      title={t('stock.generate')}
      okText={t('stock.generate')}
      cancelText={tc('actions.cancel')}
      confirmLoading={generate.isPending}
      onOk={() => form.submit()}
      onCancel={() => onDone(null)}
    >
      <Typography.Paragraph type="secondary">{t('stock.generateHelp')}</Typography.Paragraph>
      <Form
        form={form}
        layout="vertical"
        initialValues={{ count: 100 }}
        onFinish={(values) => {
          setFailure(null);
          generate.mutate({
            ticketTypeId: values.ticketTypeId,
            count: values.count,
            ...noteOf(values.note),
          });
        }}
        data-testid="generate-form"
      >
        <TicketTypeField context={context} />
        <Form.Item
          name="count"
          label={t('stock.generateCount')}
          rules={[
            { required: true, message: t('stock.move.countRange', { max: MAX_GENERATE }) },
            {
              type: 'integer',
              min: 1,
              max: MAX_GENERATE,
              message: t('stock.move.countRange', { max: MAX_GENERATE }),
            },
          ]}
        >
          <InputNumber style={{ width: '100%' }} />
        </Form.Item>
        <NoteField />
      </Form>
      <StockRefusal error={failure} />
    </Modal>
  );
}

function ImportModal({
  context,
  onDone,
}: {
  context: StockContext;
  onDone: (batch: StockBatch | null) => void;
}) {
  const { t } = useTranslation('catalog');
  const { t: tc } = useTranslation();
  const [form] = Form.useForm<{ ticketTypeId: number; text: string; note?: string }>();
  const text = Form.useWatch('text', form) ?? '';
  const parsed = useMemo(() => parseCodeList(text), [text]);
  const [failure, setFailure] = useState<{ error: unknown; lines: number[] } | null>(null);
  const created = useBatchCreated('stock.imported', onDone);
  const importCodes = useMutation({
    mutationFn: (input: {
      body: { ticketTypeId: number; codes: string[]; note?: string };
      lines: number[];
    }) => api.post<StockCreatedBatch>('/stock/batches/import', input.body),
    onSuccess: created,
    onError: (error, input) => {
      if (!applyFieldErrors(form, error)) setFailure({ error, lines: input.lines });
    },
  });
  return (
    <Modal
      open
      width={640}
      title={t('stock.import')}
      okText={t('stock.import')}
      cancelText={tc('actions.cancel')}
      confirmLoading={importCodes.isPending}
      onOk={() => form.submit()}
      onCancel={() => onDone(null)}
    >
      <Typography.Paragraph type="secondary">{t('stock.importHelp')}</Typography.Paragraph>
      <Form
        form={form}
        layout="vertical"
        onFinish={(values) => {
          setFailure(null);
          const list = parseCodeList(values.text);
          importCodes.mutate({
            body: {
              ticketTypeId: values.ticketTypeId,
              codes: list.codes,
              ...noteOf(values.note),
            },
            lines: list.lines,
          });
        }}
        data-testid="import-form"
      >
        <TicketTypeField context={context} />
        <Form.Item
          name="text"
          label={t('stock.importText')}
          extra={t('stock.importCount', { count: parsed.codes.length })}
          rules={[
            {
              validator: (_, value: string | undefined) => {
                const count = parseCodeList(value ?? '').codes.length;
                if (count === 0) return Promise.reject(new Error(t('stock.importEmpty')));
                if (count > MAX_IMPORT)
                  return Promise.reject(new Error(t('stock.importTooMany', { max: MAX_IMPORT })));
                return Promise.resolve();
              },
            },
          ]}
        >
          <Input.TextArea rows={8} spellCheck={false} style={{ fontFamily: 'monospace' }} />
        </Form.Item>
        <NoteField />
      </Form>
      {failure ? <StockRefusal error={failure.error} lines={failure.lines} /> : null}
    </Modal>
  );
}

export function Batches({ context }: { context: StockContext }) {
  const { t } = useTranslation('catalog');
  const [dialog, setDialog] = useState<'generate' | 'import' | null>(null);
  const [open, setOpen] = useState<StockBatch | null>(null);
  const query = useQuery({
    queryKey: stockKey.batches(context.siteId),
    queryFn: () =>
      api.get<StockBatch[]>('/stock/batches', context.siteId ? { siteId: context.siteId } : undefined),
  });
  const done = (batch: StockBatch | null) => {
    setDialog(null);
    if (batch) setOpen(batch);
  };
  return (
    <>
      {context.canManage ? (
        <Space style={{ marginBottom: 12 }}>
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setDialog('generate')}>
            {t('stock.generate')}
          </Button>
          <Button icon={<ImportOutlined />} onClick={() => setDialog('import')}>
            {t('stock.import')}
          </Button>
        </Space>
      ) : null}
      <QueryView query={query}>
        {(batches) => (
          <Table<StockBatch>
            rowKey="batchId"
            dataSource={[...batches].reverse()}
            pagination={{ pageSize: 20, hideOnSinglePage: true, showSizeChanger: false }}
            data-testid="batches"
            columns={[
              {
                title: t('stock.batchId'),
                dataIndex: 'batchId',
                width: 80,
                render: (id: number) => `#${id}`,
              },
              {
                title: t('stock.ticketType'),
                key: 'type',
                render: (_, batch) => context.typeName(batch.ticketTypeId),
              },
              { title: t('stock.count'), dataIndex: 'count', width: 90 },
              {
                title: t('stock.source'),
                key: 'source',
                width: 100,
                render: (_, batch) => (
                  <Tag color={batch.source === 'generated' ? 'blue' : 'purple'}>
                    {t(`stock.sources.${batch.source}`)}
                  </Tag>
                ),
              },
              { title: t('stock.note'), dataIndex: 'note', ellipsis: true },
              { title: t('stock.createdBy'), dataIndex: 'createdByUsername', width: 110 },
              {
                title: t('stock.createdAt'),
                key: 'at',
                width: 170,
                render: (_, batch) => formatDateTime(batch.createdAt, context.zoneOf(batch.siteId)),
              },
              {
                title: '',
                key: 'open',
                width: 80,
                render: (_, batch) => (
                  <Button size="small" onClick={() => setOpen(batch)}>
                    {t('stock.detail')}
                  </Button>
                ),
              },
            ]}
          />
        )}
      </QueryView>
      {dialog === 'generate' ? <GenerateModal context={context} onDone={done} /> : null}
      {dialog === 'import' ? <ImportModal context={context} onDone={done} /> : null}
      {open ? <BatchDrawer batch={open} context={context} onClose={() => setOpen(null)} /> : null}
    </>
  );
}
