import {
  AlertOutlined,
  ApartmentOutlined,
  AuditOutlined,
  BookOutlined,
  CalculatorOutlined,
  ContainerOutlined,
  DatabaseOutlined,
  DiffOutlined,
  EyeOutlined,
  FileSearchOutlined,
  HomeOutlined,
  InboxOutlined,
  NotificationOutlined,
  ProfileOutlined,
  SolutionOutlined,
  TeamOutlined,
  UserOutlined,
} from '@ant-design/icons';
import type { ReactNode } from 'react';

export interface MenuEntry {
  key: string;
  path: string;
  labelKey: string;
  icon: ReactNode;
  /** Shown when the account holds any of these. */
  anyOf: string[];
}

// The server decides what each role may do; the menu only hides doors that would answer 403.
export const MENU: MenuEntry[] = [
  { key: 'home', path: '/', labelKey: 'menu.home', icon: <HomeOutlined />, anyOf: ['account.read'] },
  {
    key: 'regions',
    path: '/regions',
    labelKey: 'menu.regions',
    icon: <ApartmentOutlined />,
    anyOf: ['region.read'],
  },
  {
    key: 'intake',
    path: '/intake',
    labelKey: 'menu.intake',
    icon: <InboxOutlined />,
    anyOf: ['intake.read'],
  },
  {
    key: 'notices',
    path: '/notices',
    labelKey: 'notices.menu',
    icon: <ProfileOutlined />,
    anyOf: ['notice.read'],
  },
  {
    key: 'enrolment',
    path: '/enrolment',
    labelKey: 'enrolment.menu',
    icon: <SolutionOutlined />,
    anyOf: ['enrolment.read'],
  },
  {
    key: 'households',
    path: '/households',
    labelKey: 'menu.households',
    icon: <ContainerOutlined />,
    anyOf: ['registry.read'],
  },
  {
    key: 'duplicates',
    path: '/registry/duplicates',
    labelKey: 'menu.duplicates',
    icon: <DiffOutlined />,
    anyOf: ['registry.merge'],
  },
  {
    key: 'accessLog',
    path: '/registry/access-log',
    labelKey: 'menu.accessLog',
    icon: <EyeOutlined />,
    anyOf: ['personalData.accessLogRead'],
  },
  {
    key: 'screening',
    path: '/screening',
    labelKey: 'menu.screening',
    icon: <FileSearchOutlined />,
    anyOf: ['screening.read'],
  },
  {
    key: 'monitoring',
    path: '/monitoring',
    labelKey: 'monitoring.menu',
    icon: <AlertOutlined />,
    anyOf: ['monitoring.read'],
  },
  {
    key: 'alerts',
    path: '/alerts',
    labelKey: 'alerts.menu',
    icon: <NotificationOutlined />,
    anyOf: ['monitoring.read', 'alert.raise'],
  },
  {
    key: 'whatIf',
    path: '/what-if',
    labelKey: 'menu.whatIf',
    icon: <CalculatorOutlined />,
    anyOf: ['whatIf.run'],
  },
  {
    key: 'sources',
    path: '/sources',
    labelKey: 'menu.sources',
    icon: <DatabaseOutlined />,
    anyOf: ['source.read'],
  },
  {
    key: 'policies',
    path: '/policies',
    labelKey: 'menu.policies',
    icon: <BookOutlined />,
    anyOf: ['policy.read'],
  },
  { key: 'users', path: '/users', labelKey: 'menu.users', icon: <TeamOutlined />, anyOf: ['user.read'] },
  {
    key: 'audit',
    path: '/audit',
    labelKey: 'menu.audit',
    icon: <AuditOutlined />,
    anyOf: ['audit.read', 'audit.verify'],
  },
  {
    key: 'account',
    path: '/account',
    labelKey: 'menu.account',
    icon: <UserOutlined />,
    anyOf: ['account.read'],
  },
];

export function menuFor(permissions: string[]): MenuEntry[] {
  return MENU.filter((entry) => entry.anyOf.some((p) => permissions.includes(p)));
}

// Pages without their own entry, by the entry they belong to: a person is opened from a household.
const BELONGS_TO: Record<string, string> = { '/persons': 'households' };

/** The menu entry a path belongs to, so /users/123 highlights 用户管理. */
export function selectedKey(pathname: string): string {
  const first = `/${pathname.split('/')[1] ?? ''}`;
  const byPrefix = MENU.filter((entry) => entry.path !== '/' && pathname.startsWith(entry.path)).sort(
    (a, b) => b.path.length - a.path.length,
  )[0];
  return byPrefix?.key ?? BELONGS_TO[first] ?? MENU.find((entry) => entry.path === first)?.key ?? 'home';
}
