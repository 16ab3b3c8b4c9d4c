/** Providers (antd theme and locale, account) around the router. */
import { App as AntApp, ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { StrictMode } from 'react';
import { useTranslation } from 'react-i18next';
import { RouterProvider } from 'react-router';
import { AccountProvider } from './auth/AccountContext';
import { router } from './routes';

// Noto Sans CJK first on Linux desktops; PingFang / YaHei where county offices run macOS / Windows.
const FONT =
  "-apple-system, BlinkMacSystemFont, 'Segoe UI', 'Noto Sans CJK SC', 'Noto Sans SC', 'PingFang SC', " +
  "'Microsoft YaHei', 'Hiragino Sans GB', 'Helvetica Neue', Arial, sans-serif";

export function Root() {
  const { i18n } = useTranslation();
  return (
    <StrictMode>
      <ConfigProvider
        locale={i18n.language === 'en' ? enUS : zhCN}
        theme={{ token: { colorPrimary: '#b22222', fontFamily: FONT, borderRadius: 6 } }}
      >
        <AntApp>
          <AccountProvider>
            <RouterProvider router={router} />
          </AccountProvider>
        </AntApp>
      </ConfigProvider>
    </StrictMode>
  );
}
