/** New role: code (a–z first, then a–z 0–9 _, 2–32), names in both languages, optionally another role's permissions. */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Form, Input, Modal, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/client';
import type { Role } from '../../../api/types';
import { applyFieldErrors, ErrorAlert } from '../../../components/feedback';
import { currentLanguage } from '../../../i18n';

export const ROLE_CODE = /^[a-z][a-z0-9_]{1,31}$/;

interface Values {
  code: string;
  name: { 'zh-CN': string; en: string };
  copyFrom?: string;
}

export function RoleModal({ roles, onClose }: { roles: readonly Role[]; onClose: () => void }) {
  const { t } = useTranslation(['admin', 'common']);
  const [form] = Form.useForm<Values>();
  const client = useQueryClient();
  const { message } = App.useApp();
  const language = currentLanguage();
  const create = useMutation({
    mutationFn: (values: Values) =>
      api.post<Role>('/roles', {
        code: values.code,
        name: values.name,
        permissions: roles.find((role) => role.code === values.copyFrom)?.permissions ?? [],
      }),
    onSuccess: async (role) => {
      void message.success(t('roles.created', { role: role.name[language] }));
      await client.invalidateQueries({ queryKey: ['roles'] });
      onClose();
    },
    onError: (error) => applyFieldErrors(form, error),
  });
  const nameRules = [
    { required: true, whitespace: true, message: t('form.required') },
    { max: 64, message: t('form.max', { max: 64 }) },
  ];
  return (
    <Modal
      open
      title={t('roles.create')}
      okText={t('common:actions.create')}
      onOk={() => form.submit()}
      confirmLoading={create.isPending}
      onCancel={onClose}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" onFinish={(values) => create.mutate(values)}>
        <Form.Item
          label={t('roles.code')}
          name="code"
          extra={t('roles.codeHelp')}
          rules={[
            { required: true, message: t('form.required') },
            { pattern: ROLE_CODE, message: t('roles.codeHelp') },
          ]}
        >
          <Input maxLength={32} autoComplete="off" />
        </Form.Item>
        <Form.Item label={t('form.nameZh')} name={['name', 'zh-CN']} rules={nameRules}>
          <Input maxLength={64} />
        </Form.Item>
        <Form.Item label={t('form.nameEn')} name={['name', 'en']} rules={nameRules}>
          <Input maxLength={64} />
        </Form.Item>
        <Form.Item label={t('roles.copyFrom')} name="copyFrom" extra={t('roles.copyFromHelp')}>
          <Select
            allowClear
            placeholder={t('roles.copyNone')}
            options={roles.map((role) => ({ value: role.code, label: role.name[language] }))}
          />
        </Form.Item>
        <ErrorAlert error={create.error} />
      </Form>
    </Modal>
  );
}
