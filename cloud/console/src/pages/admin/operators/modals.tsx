/**
 * The operator forms: create (username, display name, roles, sites, initial password) or edit (display name, roles,
 * sites, active), and an administrator's password reset. No site chosen means every site (per-site access). Rules mirror the API: usernames 2–64 of a–z 0–9 . _ - starting
 * with a letter or digit, display names 1–64; the password fields are password-fields.tsx.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Checkbox, Form, Input, Modal, Select, Switch } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/client';
import type { CreateOperator, Operator, Role } from '../../../api/types';
import { applyFieldErrors, ErrorAlert } from '../../../components/feedback';
import { currentLanguage } from '../../../i18n';
import { useSites } from '../shared/queries';
import { venueName } from '../shared/venue-fields';
import { PasswordFields } from './password-fields';

export const USERNAME = /^[a-zA-Z0-9][a-zA-Z0-9._-]{1,63}$/;

interface OperatorValues {
  username: string;
  displayName: string;
  roles: string[];
  siteIds: string[];
  password: string;
  repeat: string;
  active: boolean;
}

export function OperatorModal({
  operator,
  roles,
  self,
  onClose,
}: {
  operator: Operator | undefined;
  roles: readonly Role[];
  self: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation(['admin', 'common']);
  const [form] = Form.useForm<OperatorValues>();
  const client = useQueryClient();
  const { message } = App.useApp();
  const sites = useSites();
  const save = useMutation({
    mutationFn: (values: OperatorValues) =>
      operator
        ? api.patch<Operator>(`/operators/${operator.id}`, {
            displayName: values.displayName,
            roles: values.roles,
            siteIds: values.siteIds,
            ...(self ? {} : { active: values.active }),
          })
        : api.post<Operator>('/operators', {
            username: values.username,
            displayName: values.displayName,
            roles: values.roles,
            siteIds: values.siteIds,
            password: values.password,
          } satisfies CreateOperator),
    onSuccess: async (saved) => {
      void message.success(
        t(operator ? 'operators.saved' : 'operators.created', { name: saved.displayName }),
      );
      await Promise.all([
        client.invalidateQueries({ queryKey: ['operators'] }),
        client.invalidateQueries({ queryKey: ['roles'] }),
      ]);
      onClose();
    },
    onError: (error) => applyFieldErrors(form, error),
  });

  return (
    <Modal
      open
      title={operator ? t('operators.editTitle', { name: operator.displayName }) : t('operators.create')}
      okText={t('common:actions.save')}
      onOk={() => form.submit()}
      confirmLoading={save.isPending}
      onCancel={onClose}
      destroyOnHidden
      width={560}
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={
          operator
            ? {
                displayName: operator.displayName,
                roles: operator.roles,
                siteIds: operator.siteIds,
                active: operator.active,
              }
            : { roles: [], siteIds: [], active: true }
        }
        onFinish={(values) => save.mutate(values)}
      >
        {operator ? (
          <Form.Item label={t('operators.username')}>
            <Input value={operator.username} disabled />
          </Form.Item>
        ) : (
          <Form.Item
            label={t('operators.username')}
            name="username"
            extra={t('operators.usernameHelp')}
            rules={[
              { required: true, message: t('form.required') },
              { pattern: USERNAME, message: t('operators.usernameHelp') },
            ]}
          >
            <Input maxLength={64} autoComplete="off" />
          </Form.Item>
        )}
        <Form.Item
          label={t('operators.displayName')}
          name="displayName"
          rules={[
            { required: true, whitespace: true, message: t('form.required') },
            { max: 64, message: t('form.max', { max: 64 }) },
          ]}
        >
          <Input maxLength={64} />
        </Form.Item>
        <Form.Item label={t('operators.roles')} name="roles">
          <Checkbox.Group
            options={roles.map((role) => ({ value: role.code, label: role.name[currentLanguage()] }))}
          />
        </Form.Item>
        <Form.Item label={t('operators.sites')} name="siteIds" extra={t('operators.sitesHelp')}>
          <Select
            mode="multiple"
            allowClear
            loading={sites.isLoading}
            placeholder={t('operators.allSites')}
            optionFilterProp="label"
            options={sites.items.map((site) => ({
              value: site.id,
              label: `${venueName(site.name)} (${site.id})`,
            }))}
          />
        </Form.Item>
        {operator ? (
          <Form.Item
            label={t('operators.activeSwitch')}
            name="active"
            valuePropName="checked"
            extra={self ? t('operators.selfActive') : t('operators.activeHelp')}
          >
            <Switch disabled={self} />
          </Form.Item>
        ) : (
          <PasswordFields label="operators.initialPassword" username={() => form.getFieldValue('username')} />
        )}
        <ErrorAlert error={save.error} />
      </Form>
    </Modal>
  );
}

export function PasswordModal({ operator, onClose }: { operator: Operator; onClose: () => void }) {
  const { t } = useTranslation(['admin', 'common']);
  const [form] = Form.useForm<{ password: string; repeat: string }>();
  const client = useQueryClient();
  const { message } = App.useApp();
  const reset = useMutation({
    mutationFn: (password: string) => api.post<void>(`/operators/${operator.id}/password`, { password }),
    onSuccess: async () => {
      void message.success(t('operators.resetDone', { name: operator.displayName }));
      await client.invalidateQueries({ queryKey: ['operators'] });
      onClose();
    },
    onError: (error) => applyFieldErrors(form, error),
  });
  return (
    <Modal
      open
      title={t('operators.resetTitle', { name: operator.displayName })}
      okText={t('operators.resetPassword')}
      onOk={() => form.submit()}
      confirmLoading={reset.isPending}
      onCancel={onClose}
      destroyOnHidden
    >
      <Alert type="info" showIcon title={t('operators.resetHelp')} style={{ marginBottom: 16 }} />
      <Form form={form} layout="vertical" onFinish={(values) => reset.mutate(values.password)}>
        <PasswordFields label="operators.newPassword" username={() => operator.username} />
        <ErrorAlert error={reset.error} />
      </Form>
    </Modal>
  );
}
