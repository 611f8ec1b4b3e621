/**
 * Closing the till (收班) or handing it over (交班): the cash counted — typed, or worked out from a count by
 * denomination — what each non-cash terminal's settlement slip shows, and a note. A handover names the cashier
 * taking over; the counted cash stays in the till as their float.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Checkbox, Col, Form, Input, InputNumber, Row, Segmented, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TillShiftReport } from '../../../api/types';
import { ErrorAlert } from '../../../components/feedback';
import { OperatorSelect } from '../../../components/operator-select';
import { formatFen } from '../../../format/money';
import { yuanRule, yuanToFen } from '../../shifts/amount';
import {
  type CountBody,
  DENOMINATION_CODES,
  DENOMINATIONS,
  type DenominationCode,
  NON_CASH,
  refreshShifts,
  shiftApi,
} from '../../shifts/queries';

interface Values {
  counted: string;
  recorded: Partial<Record<(typeof NON_CASH)[number], string>>;
  note?: string;
  toCashierId?: string;
}

export function CountForm({
  shiftId,
  onClosed,
}: {
  shiftId: string;
  onClosed: (report: TillShiftReport) => void;
}) {
  const { t } = useTranslation('shifts');
  const client = useQueryClient();
  const [form] = Form.useForm<Values>();
  const [mode, setMode] = useState<'close' | 'handover'>('close');
  const [byDenomination, setByDenomination] = useState(false);
  const [counts, setCounts] = useState<Partial<Record<DenominationCode, number>>>({});
  const denominationFen = DENOMINATION_CODES.reduce(
    (sum, code) => sum + (counts[code] ?? 0) * DENOMINATIONS[code],
    0,
  );

  const close = useMutation({
    mutationFn: (values: Values) => {
      const recorded = Object.fromEntries(
        NON_CASH.flatMap((method) => {
          const fen = yuanToFen(values.recorded?.[method], true);
          return fen === undefined ? [] : [[method, fen]];
        }),
      );
      const body: CountBody = {
        countedCashFen: byDenomination ? denominationFen : yuanToFen(values.counted)!,
        ...(byDenomination && { denominations: counts }),
        ...(Object.keys(recorded).length > 0 && { recorded }),
        ...(values.note?.trim() && { note: values.note.trim() }),
      };
      return mode === 'handover'
        ? shiftApi.handover(shiftId, { ...body, toCashierId: values.toCashierId! })
        : shiftApi.close(shiftId, body);
    },
    onSuccess: async (report) => {
      onClosed(report);
      await refreshShifts(client);
    },
  });

  return (
    <Card
      size="small"
      title={mode === 'close' ? t('panel.close') : t('panel.handover')}
      data-testid="shift-close"
    >
      <Segmented
        value={mode}
        onChange={(value) => setMode(value as 'close' | 'handover')}
        options={[
          { value: 'close', label: t('panel.close') },
          { value: 'handover', label: t('panel.handover') },
        ]}
        style={{ marginBottom: 12 }}
      />
      <Form form={form} layout="vertical" onFinish={(values) => close.mutate(values)}>
        <Checkbox
          checked={byDenomination}
          onChange={(event) => setByDenomination(event.target.checked)}
          data-testid="by-denomination"
          style={{ marginBottom: 8 }}
        >
          {t('panel.byDenomination')}
        </Checkbox>
        {byDenomination ? (
          <>
            <Row gutter={[8, 8]} data-testid="denomination-grid">
              {DENOMINATION_CODES.map((code) => (
                <Col span={6} key={code}>
                  <InputNumber
                    min={0}
                    max={1_000_000}
                    precision={0}
                    prefix={
                      <span style={{ minWidth: 44, display: 'inline-block' }}>
                        {t(`denominations.${code}`)} ×
                      </span>
                    }
                    value={counts[code] ?? null}
                    onChange={(value) => setCounts((current) => ({ ...current, [code]: value ?? 0 }))}
                    style={{ width: '100%' }}
                    aria-label={t(`denominations.${code}`)}
                  />
                </Col>
              ))}
            </Row>
            <Typography.Paragraph strong style={{ marginTop: 8 }} data-testid="denomination-total">
              {t('panel.denominationTotal', { amount: formatFen(denominationFen) })}
            </Typography.Paragraph>
          </>
        ) : (
          <Form.Item name="counted" label={t('panel.counted')} required rules={[yuanRule(t)]}>
            <Input style={{ width: 160 }} inputMode="decimal" data-testid="counted-input" />
          </Form.Item>
        )}
        <Typography.Text type="secondary">{t('panel.recordedTenders')}</Typography.Text>
        <Row gutter={8} style={{ marginTop: 4 }}>
          {NON_CASH.map((method) => (
            <Col span={8} key={method}>
              <Form.Item
                name={['recorded', method]}
                label={t(`methods.${method}`)}
                rules={[yuanRule(t, { signed: true, optional: true })]}
              >
                <Input inputMode="decimal" data-testid={`recorded-${method}`} />
              </Form.Item>
            </Col>
          ))}
        </Row>
        {mode === 'handover' ? (
          <Form.Item
            name="toCashierId"
            label={t('panel.handoverTo')}
            extra={t('panel.handoverHint')}
            rules={[{ required: true, whitespace: true, message: t('panel.required') }]}
          >
            <OperatorSelect
              path="/shifts/successors"
              ariaLabel={t('panel.handoverTo')}
              testId="handover-to"
              style={{ width: 280 }}
            />
          </Form.Item>
        ) : null}
        <Form.Item name="note" label={t('panel.note')} rules={[{ max: 200 }]}>
          <Input />
        </Form.Item>
        <Button
          type="primary"
          danger={mode === 'close'}
          htmlType="submit"
          loading={close.isPending}
          disabled={byDenomination && denominationFen === 0 && Object.keys(counts).length === 0}
          data-testid="shift-close-submit"
        >
          {mode === 'close' ? t('panel.confirmClose') : t('panel.confirmHandover')}
        </Button>
      </Form>
      {close.error ? <ErrorAlert error={close.error} /> : null}
    </Card>
  );
}
