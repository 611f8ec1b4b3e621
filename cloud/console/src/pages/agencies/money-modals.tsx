/**
 * Money into or out of an agency's account (agencies.adjust): a top-up (money received, with an optional note such
 * as the bank reference) and a manual adjustment (signed, with a required reason). Both are ledger entries.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Form, Input, Modal } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { Agency, AgencyLedgerEntry } from '../../api/types';
import { applyFieldErrors, ErrorAlert } from '../../components/feedback';
import { formatFen } from '../../format/money';
import { useAmountRule } from './agency-modal';
import { checkAmount, LIMITS, MAX_MOVEMENT_FEN, REASON } from './rules';
import { agencyKey } from './shared';

export type MoneyKind = 'topUp' | 'adjust';

interface Values {
  /** Yuan text; named after the API's field so its errors land here. */
  amountFen: string;
  note: string;
  reason: string;
}

export function MoneyModal({
  kind,
  agency,
  onClose,
}: {
  kind: MoneyKind;
  agency: Agency;
  onClose: () => void;
}) {
  const { t } = useTranslation('agencies');
  const { t: tc } = useTranslation();
  const [form] = Form.useForm<Values>();
  const client = useQueryClient();
  const { message } = App.useApp();
  const adjusting = kind === 'adjust';
  const range = adjusting
    ? { min: -MAX_MOVEMENT_FEN, max: MAX_MOVEMENT_FEN, signed: true }
    : { min: 1, max: MAX_MOVEMENT_FEN };
  const amountRule = useAmountRule(range);
  const save = useMutation({
    mutationFn: (values: Values) => {
      const checked = checkAmount(values.amountFen, range);
      const amountFen = 'fen' in checked ? checked.fen : 0;
      const note = values.note?.trim();
      return adjusting
        ? api.post<AgencyLedgerEntry>(`/agencies/${agency.id}/adjustments`, {
            amountFen,
            reason: values.reason.trim(),
          })
        : api.post<AgencyLedgerEntry>(`/agencies/${agency.id}/top-ups`, {
            amountFen,
            ...(note ? { note } : {}),
          });
    },
    onSuccess: async (entry) => {
      void message.success(
        t(adjusting ? 'ledger.adjusted' : 'ledger.toppedUp', {
          amount: formatFen(entry.amountFen),
          balance: formatFen(entry.balanceAfterFen),
        }),
      );
      await client.invalidateQueries({ queryKey: agencyKey.all });
      onClose();
    },
    onError: (error) => applyFieldErrors(form, error),
  });
  return (
    <Modal
      open
      title={t(adjusting ? 'ledger.adjustTitle' : 'ledger.topUpTitle', { name: agency.name })}
      okText={t(adjusting ? 'ledger.adjust' : 'ledger.topUp')}
      cancelText={tc('actions.cancel')}
      confirmLoading={save.isPending}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Form<Values>
        form={form}
        layout="vertical"
        initialValues={{ amountFen: '', note: '', reason: '' }}
        onFinish={(values) => save.mutate(values)}
        data-testid={adjusting ? 'adjust-form' : 'top-up-form'}
      >
        <Form.Item
          name="amountFen"
          label={t(adjusting ? 'ledger.adjustAmountYuan' : 'ledger.amountYuan')}
          rules={[{ required: true, message: t('rule.required') }, amountRule]}
        >
          <Input prefix="¥" inputMode="decimal" autoFocus style={{ width: 240 }} />
        </Form.Item>
        {adjusting ? (
          <Form.Item
            name="reason"
            label={t('ledger.reason')}
            extra={t('ledger.reasonHelp')}
            rules={[
              { required: true, whitespace: true, message: t('rule.required') },
              { min: REASON.min, message: t('rule.min', { min: REASON.min }) },
              { max: REASON.max, message: t('rule.max', { max: REASON.max }) },
            ]}
          >
            <Input.TextArea rows={2} maxLength={REASON.max} showCount />
          </Form.Item>
        ) : (
          <Form.Item
            name="note"
            label={t('ledger.topUpNote')}
            rules={[{ max: LIMITS.note, message: t('rule.max', { max: LIMITS.note }) }]}
          >
            <Input maxLength={LIMITS.note} />
          </Form.Item>
        )}
        <ErrorAlert error={save.error} />
      </Form>
    </Modal>
  );
}
