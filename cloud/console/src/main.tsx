/**
 * The console's entry: the boot preload first, then React. Ant Design's styles come from its prebuilt stylesheet
 * (zeroRuntime): generating them in the browser cost the till several hundred milliseconds at every cold start.
 */
import 'antd/dist/antd.css';
import './console.css';
import { QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider, useTranslation } from 'react-i18next';
import { ConsoleRouter } from './app';
import { i18n } from './i18n';
import { queryClient } from './query-client';
import { bootPreload } from './shell/boot';

/** An operator who asked their system for less motion gets none: no sliding drawers or fading messages. */
const motion = !window.matchMedia?.('(prefers-reduced-motion: reduce)').matches;

function Providers() {
  const { i18n: active, t } = useTranslation();
  const english = active.language === 'en';
  dayjs.locale(english ? 'en' : 'zh-cn');
  document.title = t('product');
  document.documentElement.lang = english ? 'en' : 'zh-CN';
  return (
    <ConfigProvider
      locale={english ? enUS : zhCN}
      // A button's accessible name is its text as written: Ant Design would space two Chinese characters ("作 废").
      button={{ autoInsertSpace: false }}
      theme={{
        zeroRuntime: true,
        // Secondary and hint texts dark enough for WCAG AA contrast on white (Ant Design's default is 3:1).
        token: {
          colorPrimary: '#0f766e',
          colorTextTertiary: 'rgba(0, 0, 0, 0.6)',
          colorTextDescription: 'rgba(0, 0, 0, 0.6)',
          colorTextPlaceholder: 'rgba(0, 0, 0, 0.55)',
          colorError: '#cf1322',
          colorLink: '#0f766e',
          motion,
        },
        components: { Menu: { itemSelectedBg: '#e3f2ef', itemSelectedColor: '#0f766e' } },
      }}
    >
      <AntApp>
        <ConsoleRouter />
      </AntApp>
    </ConfigProvider>
  );
}

void bootPreload(window.location.pathname, queryClient).then(() =>
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <I18nextProvider i18n={i18n}>
        <QueryClientProvider client={queryClient}>
          <Providers />
        </QueryClientProvider>
      </I18nextProvider>
    </StrictMode>,
  ),
);
