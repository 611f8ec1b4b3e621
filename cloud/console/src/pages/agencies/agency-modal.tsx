/**
 * Creating or editing an agency (agencies.manage): name, licence number, contacts, payment mode, credit limit and —
 * when editing — suspend or resume. The checks mirror the API's as the operator types; the API's own field errors
 * land on the same fields. Amount fields are named after the API's (`creditLimitFen`) so its errors find them,
 * though they hold the yuan text the operator typed.
 */
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Form, Input, Modal, Radio, Space } from 'antd';
import type { Rule } from 'antd/es/form';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { Agency, CreateAgency, UpdateAgency } from '../../api/types';
import { applyFieldErrors, ErrorAlert } from '../../components/feedback';
import { fenToYuanText, formatFen } from '../../format/money';
import {
  type ContactDraft,
  checkAmount,
  contactsBody,
  LIMITS,
  looksLikeEmail,
  MAX_CONTACTS,
  MAX_CREDIT_LIMIT_FEN,
} from './rules';
import { agencyKey } from './shared';

interface Values {
  name: string;
  licenceNo: string;
  contacts: ContactDraft[];
  paymentMode: Agency['paymentMode'];
  status: Agency['status'];
  /** Yuan text; named after the API's field so its errors land here. */
  creditLimitFen: string;
}

export function useAmountRule(range: { min: number; max: number; signed?: boolean }): Rule {
  const { t } = useTranslation('agencies');
  return {
    validator: (_, value: string | undefined) => {
      const checked = checkAmount(value, range);
      if ('fen' in checked) return Promise.resolve();
      const message =
        checked.problem === 'zero'
          ? t('rule.nonZero')
          : checked.problem === 'range'
            ? t('rule.amountRange', {
                min: formatFen(range.min).replace('¥', ''),
                max: formatFen(range.max).replace('¥', ''),
              })
            : t('rule.amount');
      return Promise.reject(new Error(message));
    },
  };
}

export function AgencyModal({ agency, onClose }: { agency?: Agency; onClose: (saved?: Agency) => void }) {
  const { t } = useTranslation('agencies');
  const { t: tc } = useTranslation();
  const [form] = Form.useForm<Values>();
  const client = useQueryClient();
  const { message } = App.useApp();
  const mode = Form.useWatch('paymentMode', form) ?? agency?.paymentMode ?? 'prepaid';
  const creditRule = useAmountRule({ min: 0, max: MAX_CREDIT_LIMIT_FEN });
  const save = useMutation({
    mutationFn: (values: Values) => {
      const limit = checkAmount(values.creditLimitFen, { min: 0, max: MAX_CREDIT_LIMIT_FEN });
      const body: CreateAgency & UpdateAgency = {
        name: values.name.trim(),
        licenceNo: values.licenceNo.trim(),
        contacts: contactsBody(values.contacts),
        paymentMode: values.paymentMode,
        creditLimitFen: 'fen' in limit ? limit.fen : 0,
      };
      return agency
        ? api.patch<Agency>(`/agencies/${agency.id}`, { ...body, status: values.status })
        : api.post<Agency>('/agencies', body);
    },
    onSuccess: async (saved) => {
      void message.success(t(agency ? 'saved' : 'created', { name: saved.name }));
      await client.invalidateQueries({ queryKey: agencyKey.all });
      onClose(saved);
    },
    onError: (error) => applyFieldErrors(form, error),
  });
  const required = { required: true, whitespace: true, message: t('rule.required') };
  return (
    <Modal
      open
      width={640}
      title={agency ? `${t('edit')} · ${agency.name}` : t('create')}
      okText={tc('actions.save')}
      cancelText={tc('actions.cancel')}
      confirmLoading={save.isPending}
      onOk={() => form.submit()}
      onCancel={() => onClose()}
      destroyOnHidden
    >
      <Form<Values>
        form={form}
        layout="vertical"
        initialValues={{
          name: agency?.name ?? '',
          licenceNo: agency?.licenceNo ?? '',
          contacts: agency?.contacts.map((contact) => ({ ...contact })) ?? [{ name: '', phone: '' }],
          paymentMode: agency?.paymentMode ?? 'prepaid',
          status: agency?.status ?? 'active',
          creditLimitFen: fenToYuanText(agency?.creditLimitFen ?? 0),
        }}
        onFinish={(values) => save.mutate(values)}
        data-testid="agency-form"
      >
        <Form.Item
          name="name"
          label={t('field.name')}
          rules={[required, { max: LIMITS.name, message: t('rule.max', { max: LIMITS.name }) }]}
        >
          <Input maxLength={LIMITS.name} autoFocus />
        </Form.Item>
        <Form.Item
          name="licenceNo"
          label={t('field.licenceNo')}
          rules={[required, { max: LIMITS.licenceNo, message: t('rule.max', { max: LIMITS.licenceNo }) }]}
        >
          <Input maxLength={LIMITS.licenceNo} />
        </Form.Item>
        <Form.Item label={t('field.contacts')} required={false} style={{ marginBottom: 0 }}>
          <Form.List
            name="contacts"
            rules={[
              {
                validator: (_, contacts: unknown[] | undefined) =>
                  (contacts?.length ?? 0) > MAX_CONTACTS
                    ? Promise.reject(new Error(t('rule.maxContacts', { max: MAX_CONTACTS })))
                    : Promise.resolve(),
              },
            ]}
          >
            {(fields, { add, remove }, { errors }) => (
              <>
                {fields.map((field) => (
                  <Space key={field.key} align="start" wrap style={{ display: 'flex' }}>
                    <Form.Item
                      name={[field.name, 'name']}
                      rules={[
                        required,
                        {
                          max: LIMITS.contactName,
                          message: t('rule.max', { max: LIMITS.contactName }),
                        },
                      ]}
                    >
                      <Input
                        placeholder={t('field.contactName')}
                        aria-label={t('field.contactName')}
                        maxLength={LIMITS.contactName}
                        style={{ width: 140 }}
                      />
                    </Form.Item>
                    <Form.Item
                      name={[field.name, 'phone']}
                      rules={[
                        required,
                        { min: 3, message: t('rule.min', { min: 3 }) },
                        { max: LIMITS.phone, message: t('rule.max', { max: LIMITS.phone }) },
                      ]}
                    >
                      <Input
                        placeholder={t('field.contactPhone')}
                        aria-label={t('field.contactPhone')}
                        maxLength={LIMITS.phone}
                        style={{ width: 150 }}
                      />
                    </Form.Item>
                    <Form.Item
                      name={[field.name, 'email']}
                      rules={[
                        {
                          validator: (_, value: string | undefined) =>
                            !value?.trim() || looksLikeEmail(value.trim())
                              ? Promise.resolve()
                              : Promise.reject(new Error(t('rule.email'))),
                        },
                      ]}
                    >
                      <Input
                        placeholder={t('field.contactEmail')}
                        aria-label={t('field.contactEmail')}
                        maxLength={LIMITS.email}
                        style={{ width: 200 }}
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
                <Form.ErrorList errors={errors} />
                {fields.length < MAX_CONTACTS ? (
                  <Button
                    type="dashed"
                    icon={<PlusOutlined />}
                    onClick={() => add({ name: '', phone: '' })}
                    style={{ marginBottom: 16 }}
                  >
                    {t('field.addContact')}
                  </Button>
                ) : null}
              </>
            )}
          </Form.List>
        </Form.Item>
        <Form.Item name="paymentMode" label={t('field.paymentMode')} extra={t(`modeHelp.${mode}`)}>
          <Radio.Group
            optionType="button"
            options={(['prepaid', 'credit', 'window'] as const).map((value) => ({
              value,
              label: t(`mode.${value}`),
            }))}
          />
        </Form.Item>
        <Form.Item
          name="creditLimitFen"
          label={t('field.creditLimit')}
          extra={t('field.creditLimitHelp')}
          hidden={mode !== 'credit'}
          rules={mode === 'credit' ? [creditRule] : []}
        >
          <Input prefix="¥" inputMode="decimal" style={{ width: 220 }} />
        </Form.Item>
        {agency ? (
          <Form.Item name="status" label={t('field.status')}>
            <Radio.Group
              optionType="button"
              options={(['active', 'suspended'] as const).map((value) => ({
                value,
                label: t(`status.${value}`),
              }))}
            />
          </Form.Item>
        ) : null}
        <ErrorAlert error={save.error} />
      </Form>
    </Modal>
  );
}
