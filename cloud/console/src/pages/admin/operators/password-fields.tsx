/**
 * A new password typed twice, as both the create form (initial password) and the administrator's reset ask for it.
 * Rules mirror the API: 8–128 characters and not the username; the repeat must match.
 */
import { Form, Input } from 'antd';
import type { Rule } from 'antd/es/form';
import { useTranslation } from 'react-i18next';

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;

/**
 * The `password` and `repeat` fields of the surrounding form. `username` is read at validation time: on the create
 * form it is another field that may still change.
 */
export function PasswordFields({
  label,
  username,
}: {
  label: 'operators.initialPassword' | 'operators.newPassword';
  username: () => string | undefined;
}) {
  const { t } = useTranslation(['admin', 'common']);
  const passwordRules = [
    { required: true, message: t('form.required') },
    { min: PASSWORD_MIN, message: t('operators.passwordMin', { min: PASSWORD_MIN }) },
    { max: PASSWORD_MAX, message: t('form.max', { max: PASSWORD_MAX }) },
    {
      validator: (_: unknown, value: string | undefined) =>
        value && value.trim().toLowerCase() === username()?.trim().toLowerCase()
          ? Promise.reject(new Error(t('operators.passwordIsUsername')))
          : Promise.resolve(),
    },
  ] satisfies Rule[];
  const repeatRule: Rule = ({ getFieldValue }) => ({
    validator: (_, value) =>
      value === getFieldValue('password')
        ? Promise.resolve()
        : Promise.reject(new Error(t('operators.mismatch'))),
  });
  return (
    <>
      <Form.Item label={t(label)} name="password" extra={t('operators.passwordHelp')} rules={passwordRules}>
        <Input.Password autoComplete="new-password" maxLength={PASSWORD_MAX} />
      </Form.Item>
      <Form.Item
        label={t('operators.repeat')}
        name="repeat"
        dependencies={['password']}
        rules={[{ required: true, message: t('form.required') }, repeatRule]}
      >
        <Input.Password autoComplete="new-password" maxLength={PASSWORD_MAX} />
      </Form.Item>
    </>
  );
}
