/**
 * The frame of every signed-in page: a header with who and where the person is, a side menu
 * on desktop that becomes a drawer on phones (caseworkers often work from a phone on home visits).
 */
import { EnvironmentOutlined, LogoutOutlined, MenuOutlined } from '@ant-design/icons';
import { App, Button, Drawer, Grid, Layout, Menu, type MenuProps, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { useAccount, useAccountState } from '../../auth/AccountContext';
import { LanguageSwitch } from '../../components/LanguageSwitch';
import { roleName } from '../../components/labels';
import { Brand } from './Brand';
import { menuFor, menuGroups, selectedKey } from './menuItems';

const HEADER_BG = '#9f1d1d';

type MenuItem = NonNullable<MenuProps['items']>[number];

export function WorkbenchLayout() {
  const { t } = useTranslation();
  const account = useAccount();
  const { signOut } = useAccountState();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const location = useLocation();
  const screens = Grid.useBreakpoint();
  const phone = !screens.lg;
  const [drawerOpen, setDrawerOpen] = useState(false);

  const entries = menuFor(account.permissions);
  const menuItems = menuGroups(entries).flatMap(({ group, entries: inGroup }): MenuItem[] => {
    const items = inGroup.map((entry) => ({ key: entry.key, icon: entry.icon, label: t(entry.labelKey) }));
    if (!group) return items;
    return [
      { type: 'group' as const, key: `group-${group}`, label: t(`menu.group.${group}`), children: items },
    ];
  });
  const menu = (
    <Menu
      mode="inline"
      data-testid="side-menu"
      selectedKeys={[selectedKey(location.pathname)]}
      items={menuItems}
      onClick={({ key }) => {
        const entry = entries.find((e) => e.key === key);
        if (entry) navigate(entry.path);
        setDrawerOpen(false);
      }}
      style={{ borderInlineEnd: 'none' }}
    />
  );

  const logout = async () => {
    await signOut().catch(() => undefined);
    message.success(t('layout.loggedOut'));
    navigate('/login', { replace: true });
  };

  const who = (
    <Space size={6} wrap data-testid="who">
      <span data-testid="user-name">{account.displayName}</span>
      <Tag color="gold" style={{ marginInlineEnd: 0 }} data-testid="user-role">
        {roleName(t, account.role)}
      </Tag>
    </Space>
  );

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header
        style={{
          background: HEADER_BG,
          color: '#fff',
          display: 'flex',
          alignItems: 'center',
          gap: 12,
          paddingInline: phone ? 12 : 24,
          position: 'sticky',
          top: 0,
          zIndex: 10,
        }}
      >
        {phone ? (
          <Button
            type="text"
            aria-label={t('layout.menu')}
            data-testid="menu-button"
            icon={<MenuOutlined style={{ color: '#fff', fontSize: 18 }} />}
            onClick={() => setDrawerOpen(true)}
          />
        ) : null}
        <Brand compact={phone} />
        <div style={{ flex: 1 }} />
        <Space size={phone ? 4 : 16} style={{ color: '#fff' }}>
          <span data-testid="header-region" style={{ whiteSpace: 'nowrap' }}>
            <EnvironmentOutlined /> {account.regionName}
          </span>
          {phone ? null : who}
          <LanguageSwitch light />
          <Button
            type="text"
            data-testid="logout"
            icon={<LogoutOutlined />}
            style={{ color: 'rgba(255,255,255,0.9)' }}
            onClick={logout}
            aria-label={t('layout.logout')}
          >
            {phone ? null : t('layout.logout')}
          </Button>
        </Space>
      </Layout.Header>
      <Layout>
        {phone ? (
          <Drawer
            placement="left"
            open={drawerOpen}
            onClose={() => setDrawerOpen(false)}
            size={260}
            title={who}
            styles={{ body: { padding: 0 } }}
          >
            {menu}
          </Drawer>
        ) : (
          <Layout.Sider width={208} theme="light" style={{ borderInlineEnd: '1px solid #f0f0f0' }}>
            {menu}
          </Layout.Sider>
        )}
        <Layout.Content style={{ padding: phone ? 12 : 24, minWidth: 0 }}>
          <Outlet />
        </Layout.Content>
      </Layout>
      <Typography.Text type="secondary" style={{ textAlign: 'center', padding: '8px 0 16px', fontSize: 12 }}>
        {t('app.name')} · {t('app.subtitle')}
      </Typography.Text>
    </Layout>
  );
}
