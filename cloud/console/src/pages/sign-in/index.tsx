/**
 * Sign-in. Wrong credentials (401: the API answers a locked or unknown account the same way, so as not to tell
 * which names exist) and too many attempts (429) each show the API's own message and code; after signing in the
 * operator goes back to the page they were sent away from.
 */
import { GlobalOutlined } from '@ant-design/icons';
import { Button, Card, Form, Input, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { useSignIn } from '../../auth/session';
import { ErrorAlert } from '../../components/feedback';
import { currentLanguage, switchLanguage } from '../../i18n';

/** Only a path inside the console: never an outside address smuggled into ?next=. */
function safeNext(next: string | null): string {
  return next?.startsWith('/') && !next.startsWith('//') ? next : '/';
}

export default function SignInPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const signIn = useSignIn();
  const language = currentLanguage();

  return (
    <main style={{ minHeight: '100vh', display: 'grid', placeItems: 'center', background: '#f0f5f4' }}>
      <Card style={{ width: 380 }}>
        <Space orientation="vertical" size="large" style={{ width: '100%' }}>
          <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center' }}>
            <Typography.Title level={3} style={{ margin: 0 }}>
              {t('product')}
            </Typography.Title>
            <Button
              size="small"
              icon={<GlobalOutlined />}
              onClick={() => switchLanguage(language === 'en' ? 'zh-CN' : 'en')}
              data-testid="language-switch"
            >
              {t('language.switchTo')}
            </Button>
          </div>
          <ErrorAlert error={signIn.error} />
          <Form
            layout="vertical"
            requiredMark={false}
            onFinish={(values: { username: string; password: string }) =>
              signIn.mutate(values, {
                onSuccess: () => navigate(safeNext(params.get('next')), { replace: true }),
              })
            }
          >
            <Form.Item
              label={t('auth.username')}
              name="username"
              rules={[{ required: true, message: t('auth.required', { field: t('auth.username') }) }]}
            >
              <Input autoComplete="username" autoFocus />
            </Form.Item>
            <Form.Item
              label={t('auth.password')}
              name="password"
              rules={[{ required: true, message: t('auth.required', { field: t('auth.password') }) }]}
            >
              <Input.Password autoComplete="current-password" />
            </Form.Item>
            <Button type="primary" htmlType="submit" block loading={signIn.isPending}>
              {t('auth.submit')}
            </Button>
          </Form>
        </Space>
      </Card>
    </main>
  );
}
