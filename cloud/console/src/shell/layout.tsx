/**
 * The frame around every page: the menu built from PAGES and the operator's permissions, the language switch and
 * the operator's own menu (change password, sign out).
 */
import { GlobalOutlined, LockOutlined, LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { Button, Dropdown, Layout, Menu, type MenuProps, Space, Typography } from 'antd';
import { Suspense, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { allows } from '../auth/access';
import { useMe, useSignOut } from '../auth/session';
import { Loading } from '../components/feedback';
import { useWhenIdle } from '../components/use-when-idle';
import { currentLanguage, switchLanguage } from '../i18n';
import { useMyAgency } from '../pages/agencies/mine-query';
import { GROUPS, PAGES } from './routes';

export function ShellLayout() {
  const { t } = useTranslation();
  const me = useMe().data;
  const navigate = useNavigate();
  const location = useLocation();
  const signOut = useSignOut();
  // The menu is the heaviest part of the frame (a few hundred milliseconds on a till PC): it comes after the page.
  const [pageShown, setPageShown] = useState(false);
  const showMenu = useWhenIdle(pageShown);
  // Only an agency-role operator can be linked to an agency (the API refuses to link anyone else): nobody else asks.
  const myAgency = useMyAgency(Boolean(me?.roles.includes('agency')));
  const linked = Boolean(myAgency.data);

  const items = useMemo<MenuProps['items']>(() => {
    const visible = PAGES.filter(
      (page) => !page.hidden && allows(me ?? undefined, page.access) && (!page.agencyLinked || linked),
    );
    const top = visible
      .filter((page) => !page.group)
      .map((page) => ({ key: `/${page.path}`, icon: page.icon, label: t(`nav.${page.nav}`) }));
    const grouped = GROUPS.flatMap((group) => {
      const children = visible
        .filter((page) => page.group === group.key)
        .map((page) => ({ key: `/${page.path}`, icon: page.icon, label: t(`nav.${page.nav}`) }));
      return children.length
        ? [{ type: 'group' as const, key: group.key, label: t(`nav.${group.nav}`), children }]
        : [];
    });
    return [...top, ...grouped];
  }, [me, t, linked]);

  const selected = `/${location.pathname.split('/')[1] ?? ''}`;
  const language = currentLanguage();

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider
        width={208}
        theme="light"
        breakpoint="lg"
        collapsedWidth={0}
        style={{ borderRight: '1px solid #f0f0f0' }}
      >
        <div style={{ padding: '16px 20px', fontWeight: 600, fontSize: 16 }}>{t('productShort')}</div>
        <nav aria-label={t('shell.menu')}>
          {showMenu ? (
            <Menu
              mode="inline"
              items={items}
              selectedKeys={[selected]}
              onClick={(item) => navigate(item.key)}
              data-testid="main-menu"
            />
          ) : null}
        </nav>
      </Layout.Sider>
      <Layout>
        <Layout.Header
          style={{
            background: '#fff',
            padding: '0 20px',
            display: 'flex',
            alignItems: 'center',
            justifyContent: 'flex-end',
            borderBottom: '1px solid #f0f0f0',
          }}
        >
          <Space size="middle">
            <Button
              icon={<GlobalOutlined />}
              onClick={() => switchLanguage(language === 'en' ? 'zh-CN' : 'en')}
              // The visible text leads the name (what a voice-control user says), the purpose follows.
              aria-label={`${t('language.switchTo')} · ${t('language.label')}`}
              data-testid="language-switch"
            >
              {t('language.switchTo')}
            </Button>
            <Dropdown
              menu={{
                items: [
                  { key: 'password', icon: <LockOutlined />, label: t('auth.changePassword') },
                  { key: 'sign-out', icon: <LogoutOutlined />, label: t('auth.signOut') },
                ],
                onClick: ({ key }) => {
                  if (key === 'password') navigate('/password');
                  else signOut.mutate(undefined, { onSettled: () => navigate('/login') });
                },
              }}
            >
              <Button
                icon={<UserOutlined />}
                data-testid="user-menu"
                aria-label={`${me?.displayName ?? me?.username ?? ''} · ${t('shell.signedInAs')}`}
              >
                <Typography.Text>{me?.displayName ?? me?.username}</Typography.Text>
              </Button>
            </Dropdown>
          </Space>
        </Layout.Header>
        <Layout.Content style={{ padding: 20 }}>
          <main>
            <Suspense fallback={<Loading />}>
              <Outlet />
              <Shown onShown={setPageShown} />
            </Suspense>
          </main>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}

/** Mounts with the page's code (the same Suspense boundary), so the shell knows the page is on screen. */
function Shown({ onShown }: { onShown: (shown: true) => void }) {
  useEffect(() => onShown(true), [onShown]);
  return null;
}
