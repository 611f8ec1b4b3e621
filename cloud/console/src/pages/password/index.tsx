/** Change one's own password; forced before anything else for an account whose password someone else set. */
import { Alert, Button, Card, Form, Input } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { mustChangePassword, useChangePassword, useMe } from '../../auth/session';
import { applyFieldErrors, ErrorAlert } from '../../components/feedback';

interface Values {
  currentPassword: string;
  newPassword: string;
  repeat: string;
}

export default function PasswordPage() {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const me = useMe().data;
  const change = useChangePassword();
  const navigate = useNavigate();
  const forced = mustChangePassword(me);

  return (
    <Card title={t('auth.changePassword')} style={{ maxWidth: 480 }}>
      {forced ? (
        <Alert type="warning" showIcon title={t('auth.mustChange')} style={{ marginBottom: 16 }} />
      ) : null}
      <ErrorAlert error={change.error} />
      <Form
        form={form}
        layout="vertical"
        onFinish={({ currentPassword, newPassword }) =>
          change.mutate(
            { currentPassword, newPassword },
            {
              onSuccess: () => navigate('/', { replace: true }),
              onError: (error) => applyFieldErrors(form, error),
            },
          )
        }
      >
        <Form.Item label={t('auth.currentPassword')} name="currentPassword" rules={[{ required: true }]}>
          <Input.Password autoComplete="current-password" />
        </Form.Item>
        <Form.Item label={t('auth.newPassword')} name="newPassword" rules={[{ required: true, min: 8 }]}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          label={t('auth.repeatPassword')}
          name="repeat"
          dependencies={['newPassword']}
          rules={[
            { required: true },
            ({ getFieldValue }) => ({
              validator: (_, value) =>
                value === getFieldValue('newPassword')
                  ? Promise.resolve()
                  : Promise.reject(new Error(t('auth.mismatch'))),
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={change.isPending}>
          {t('actions.save')}
        </Button>
      </Form>
    </Card>
  );
}
