/**
 * 出仓 / 交回 / 作废: codes move to a cashier (picked among operators who may sell), back from one (among those
 * holding codes), or are voided with a reason. Codes are chosen by a number from a batch (the lowest numbers still in
 * the warehouse), by a range of numbers, or one by one (scanned or pasted). Every move is all or nothing: a refusal
 * names each code that could not move.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Col,
  Form,
  Input,
  InputNumber,
  Radio,
  Row,
  Segmented,
  Select,
  Space,
} from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/client';
import type { StockBatch, StockBatchCodePage, StockCashierBalance, StockMoved } from '../../../api/types';
import { applyFieldErrors } from '../../../components/feedback';
import { OperatorSelect } from '../../../components/operator-select';
import { parseCodeList } from './codes-text';
import { batchLabel, type StockContext, stockKey } from './context';
import { StockRefusal } from './refusal';

type Operation = 'issue' | 'return' | 'void';
type Mode = 'count' | 'range' | 'codes';

interface MoveValues {
  cashierId?: string;
  mode: Mode;
  batchId?: number;
  count?: number;
  fromSeq?: number;
  toSeq?: number;
  codes?: string;
  reason?: string;
}

const MAX_CODES = 10_000;
const MAX_RANGE = 50_000;
const PAGE = 500;

type Selection = { codes: string[] } | { range: { batchId: number; fromSeq: number; toSeq: number } };

/** The first `count` codes of a batch still in the warehouse, read page by page. */
async function firstInWarehouse(batchId: number, count: number): Promise<string[]> {
  const codes: string[] = [];
  let after = 0;
  while (codes.length < count) {
    const page = await api.get<StockBatchCodePage>(`/stock/batches/${batchId}/codes`, {
      after,
      limit: PAGE,
      state: 'in_warehouse',
    });
    codes.push(...page.items.map((item) => item.code));
    if (page.next === null) break;
    after = page.next;
  }
  return codes.slice(0, count);
}

class NotEnough extends Error {
  constructor(readonly available: number) {
    super('not enough codes in the warehouse');
  }
}

function Recipients(props: { id?: string; value?: string; onChange?: (id: string) => void }) {
  const { t } = useTranslation('catalog');
  return (
    <OperatorSelect
      {...props}
      path="/stock/cashiers"
      ariaLabel={t('stock.move.cashier')}
      testId="recipient-select"
    />
  );
}

function Holders({
  id,
  siteId,
  value,
  onChange,
}: {
  id?: string;
  siteId: string | undefined;
  value?: string;
  onChange?: (id: string) => void;
}) {
  const { t } = useTranslation('catalog');
  const query = useQuery({
    queryKey: stockKey.cashiers(siteId),
    queryFn: () =>
      api.get<StockCashierBalance[]>('/stock/balances/cashiers', siteId ? { siteId } : undefined),
  });
  const options = useMemo(() => {
    const totals = new Map<string, { username: string; issued: number }>();
    for (const row of query.data ?? []) {
      const entry = totals.get(row.cashierId) ?? { username: row.cashierUsername, issued: 0 };
      entry.issued += row.issued;
      totals.set(row.cashierId, entry);
    }
    return [...totals].map(([id, entry]) => ({
      value: id,
      label: `${entry.username} · ${t('myStock.total', { count: entry.issued })}`,
    }));
  }, [query.data, t]);
  return (
    <Select
      {...(id ? { id } : {})}
      value={value}
      onChange={onChange}
      loading={query.isFetching}
      aria-label={t('stock.move.holder')}
      data-testid="holder-select"
      showSearch={{ optionFilterProp: 'label' }}
      options={options}
    />
  );
}

export function Moves({ context }: { context: StockContext }) {
  const { t } = useTranslation('catalog');
  const { modal } = App.useApp();
  const client = useQueryClient();
  const [operation, setOperation] = useState<Operation>('issue');
  const [form] = Form.useForm<MoveValues>();
  const mode = Form.useWatch('mode', form) ?? 'count';
  const [result, setResult] = useState<{ operation: Operation; moved: StockMoved } | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const batches = useQuery({
    queryKey: stockKey.batches(context.siteId),
    queryFn: () =>
      api.get<StockBatch[]>('/stock/batches', context.siteId ? { siteId: context.siteId } : undefined),
  });
  const operationText = (op: Operation) =>
    op === 'issue'
      ? t('stock.move.submitIssue')
      : op === 'return'
        ? t('stock.move.submitReturn')
        : t('stock.move.submitVoid');

  const move = useMutation({
    mutationFn: async ({ op, values }: { op: Operation; values: MoveValues }) => {
      let selection: Selection;
      if (values.mode === 'range')
        selection = { range: { batchId: values.batchId!, fromSeq: values.fromSeq!, toSeq: values.toSeq! } };
      else if (values.mode === 'codes') selection = { codes: parseCodeList(values.codes ?? '').codes };
      else {
        const codes = await firstInWarehouse(values.batchId!, values.count!);
        if (codes.length < values.count!) throw new NotEnough(codes.length);
        selection = { codes };
      }
      if (op === 'issue')
        return api.post<StockMoved>('/stock/issue', { cashierId: values.cashierId, ...selection });
      if (op === 'return')
        return api.post<StockMoved>('/stock/return', { cashierId: values.cashierId, ...selection });
      return api.post<StockMoved>('/stock/void', { reason: values.reason?.trim(), ...selection });
    },
    onSuccess: (moved, { op }) => {
      setResult({ operation: op, moved });
      void client.invalidateQueries({ queryKey: ['stock'] });
      form.resetFields(['codes', 'fromSeq', 'toSeq', 'reason']);
    },
    onError: (error) => {
      if (error instanceof NotEnough) {
        form.setFields([{ name: 'count', errors: [t('stock.move.notEnough', { count: error.available })] }]);
        return;
      }
      if (!applyFieldErrors(form, error)) setFailure(error);
    },
  });

  const submit = (values: MoveValues) => {
    setResult(null);
    setFailure(null);
    const run = () => move.mutate({ op: operation, values });
    if (operation !== 'void') return run();
    const count =
      values.mode === 'range'
        ? values.toSeq! - values.fromSeq! + 1
        : values.mode === 'codes'
          ? parseCodeList(values.codes ?? '').codes.length
          : values.count!;
    modal.confirm({
      title: t('stock.move.confirmVoid', { count }),
      okButtonProps: { danger: true },
      onOk: run,
    });
  };

  const modes: Mode[] = operation === 'issue' ? ['count', 'range', 'codes'] : ['codes', 'range'];
  const batchOptions = (batches.data ?? [])
    .slice()
    .reverse()
    .map((batch) => ({ value: batch.batchId, label: batchLabel(batch, context.typeName, t) }));
  const intRule = (min: number, max: number) => [
    { required: true, message: t('editor.errors.range', { min, max }) },
    { type: 'integer' as const, min, max, message: t('editor.errors.range', { min, max }) },
  ];

  return (
    <div style={{ maxWidth: 820 }}>
      <Segmented<Operation>
        value={operation}
        onChange={(value) => {
          setOperation(value);
          setResult(null);
          setFailure(null);
          form.setFieldsValue({ mode: value === 'issue' ? 'count' : 'codes', cashierId: undefined });
        }}
        options={(['issue', 'return', 'void'] as const).map((value) => ({
          value,
          label: t(`stock.move.${value}`),
        }))}
        style={{ marginBottom: 16 }}
        aria-label={t('stock.move.operation')}
        data-testid="move-operation"
      />
      <Form<MoveValues>
        form={form}
        layout="vertical"
        initialValues={{ mode: 'count' }}
        onFinish={submit}
        disabled={!context.canManage}
        data-testid="move-form"
      >
        {operation === 'issue' ? (
          <Form.Item
            name="cashierId"
            label={t('stock.move.cashier')}
            extra={t('stock.move.cashierHelp')}
            rules={[
              { required: true, message: t('editor.errors.required', { field: t('stock.move.cashier') }) },
            ]}
          >
            <Recipients />
          </Form.Item>
        ) : null}
        {operation === 'return' ? (
          <Form.Item
            name="cashierId"
            label={t('stock.move.holder')}
            extra={t('stock.move.holderHelp')}
            rules={[
              { required: true, message: t('editor.errors.required', { field: t('stock.move.holder') }) },
            ]}
          >
            <Holders siteId={context.siteId} />
          </Form.Item>
        ) : null}
        <Form.Item name="mode" label={t('stock.move.selection')}>
          <Radio.Group
            options={modes.map((value) => ({
              value,
              label: t(
                value === 'count'
                  ? 'stock.move.byCount'
                  : value === 'range'
                    ? 'stock.move.byRange'
                    : 'stock.move.byCodes',
              ),
            }))}
          />
        </Form.Item>
        {mode !== 'codes' ? (
          <Row gutter={16}>
            <Col span={12}>
              <Form.Item
                name="batchId"
                label={t('stock.batch')}
                rules={[
                  { required: true, message: t('editor.errors.required', { field: t('stock.batch') }) },
                ]}
              >
                <Select
                  options={batchOptions}
                  loading={batches.isPending}
                  showSearch={{ optionFilterProp: 'label' }}
                />
              </Form.Item>
            </Col>
            {mode === 'count' ? (
              <Col span={12}>
                <Form.Item name="count" label={t('stock.count')} rules={intRule(1, MAX_CODES)}>
                  <InputNumber style={{ width: '100%' }} />
                </Form.Item>
              </Col>
            ) : (
              <>
                <Col span={6}>
                  <Form.Item name="fromSeq" label={t('stock.move.fromSeq')} rules={intRule(1, 10_000_000)}>
                    <InputNumber style={{ width: '100%' }} />
                  </Form.Item>
                </Col>
                <Col span={6}>
                  <Form.Item
                    name="toSeq"
                    label={t('stock.move.toSeq')}
                    dependencies={['fromSeq']}
                    rules={[
                      ...intRule(1, 10_000_000),
                      {
                        validator: (_, to: number | undefined) => {
                          const from = form.getFieldValue('fromSeq') as number | undefined;
                          if (typeof from !== 'number' || typeof to !== 'number') return Promise.resolve();
                          if (to < from) return Promise.reject(new Error(t('stock.move.rangeOrder')));
                          return to - from >= MAX_RANGE
                            ? Promise.reject(new Error(t('stock.move.countRange', { max: MAX_RANGE })))
                            : Promise.resolve();
                        },
                      },
                    ]}
                  >
                    <InputNumber style={{ width: '100%' }} />
                  </Form.Item>
                </Col>
              </>
            )}
          </Row>
        ) : (
          <Form.Item
            name="codes"
            label={t('stock.move.codes')}
            extra={t('stock.move.codesHelp')}
            rules={[
              {
                validator: (_, value: string | undefined) => {
                  const count = parseCodeList(value ?? '').codes.length;
                  if (count === 0) return Promise.reject(new Error(t('stock.importEmpty')));
                  return count > MAX_CODES
                    ? Promise.reject(new Error(t('stock.importTooMany', { max: MAX_CODES })))
                    : Promise.resolve();
                },
              },
            ]}
          >
            <Input.TextArea rows={5} spellCheck={false} style={{ fontFamily: 'monospace' }} />
          </Form.Item>
        )}
        {operation === 'void' ? (
          <Form.Item
            name="reason"
            label={t('stock.move.reason')}
            extra={t('stock.move.reasonHelp')}
            rules={[
              {
                required: true,
                whitespace: true,
                message: t('editor.errors.required', { field: t('stock.move.reason') }),
              },
              { max: 200, message: t('editor.errors.maxLength', { max: 200 }) },
            ]}
          >
            <Input />
          </Form.Item>
        ) : null}
        <Space>
          <Button type="primary" htmlType="submit" danger={operation === 'void'} loading={move.isPending}>
            {operationText(operation)}
          </Button>
        </Space>
      </Form>
      <div style={{ marginTop: 16 }}>
        {result ? (
          <Alert
            type="success"
            showIcon
            data-testid="move-result"
            title={
              result.moved.count === 1
                ? t('stock.move.doneOne', {
                    operation: operationText(result.operation),
                    first: result.moved.codes[0],
                  })
                : t('stock.move.done', {
                    operation: operationText(result.operation),
                    count: result.moved.count,
                    first: result.moved.codes[0],
                    last: result.moved.codes.at(-1),
                  })
            }
          />
        ) : null}
        <StockRefusal error={failure} />
      </div>
    </div>
  );
}
