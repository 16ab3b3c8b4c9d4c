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
  FileDoneOutlined,
  FileSearchOutlined,
  HomeOutlined,
  InboxOutlined,
  NotificationOutlined,
  ProfileOutlined,
  SafetyCertificateOutlined,
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
  /** Heading the entry sits under (menu.group.<group>); entries of a group are consecutive. */
  group?: 'handling' | 'people' | 'finding' | 'dataPolicy' | 'system';
}

// The server decides what each role may do; the menu only hides doors that would answer 403.
// Grouped by the work they serve (sixteen entries in one column were too many to scan).
export const MENU: MenuEntry[] = [
  { key: 'home', path: '/', labelKey: 'menu.home', icon: <HomeOutlined />, anyOf: ['account.read'] },
  {
    key: 'intake',
    group: 'handling',
    path: '/intake',
    labelKey: 'menu.intake',
    icon: <InboxOutlined />,
    anyOf: ['intake.read'],
  },
  {
    key: 'notices',
    group: 'handling',
    path: '/notices',
    labelKey: 'notices.menu',
    icon: <ProfileOutlined />,
    anyOf: ['notice.read'],
  },
  {
    key: 'enrolment',
    group: 'handling',
    path: '/enrolment',
    labelKey: 'enrolment.menu',
    icon: <SolutionOutlined />,
    anyOf: ['enrolment.read'],
  },
  {
    key: 'households',
    group: 'people',
    path: '/households',
    labelKey: 'menu.households',
    icon: <ContainerOutlined />,
    anyOf: ['registry.read'],
  },
  {
    key: 'verificationBatch',
    group: 'people',
    path: '/verification/batch',
    labelKey: 'verificationBatch.menu',
    icon: <FileDoneOutlined />,
    anyOf: ['verification.batch', 'verification.reconcile'],
  },
  {
    key: 'duplicates',
    group: 'people',
    path: '/registry/duplicates',
    labelKey: 'menu.duplicates',
    icon: <DiffOutlined />,
    anyOf: ['registry.merge'],
  },
  {
    key: 'accessLog',
    group: 'people',
    path: '/registry/access-log',
    labelKey: 'menu.accessLog',
    icon: <EyeOutlined />,
    anyOf: ['personalData.accessLogRead'],
  },
  {
    key: 'screening',
    group: 'finding',
    path: '/screening',
    labelKey: 'menu.screening',
    icon: <FileSearchOutlined />,
    anyOf: ['screening.read'],
  },
  {
    key: 'monitoring',
    group: 'finding',
    path: '/monitoring',
    labelKey: 'monitoring.menu',
    icon: <AlertOutlined />,
    anyOf: ['monitoring.read'],
  },
  {
    key: 'alerts',
    group: 'finding',
    path: '/alerts',
    labelKey: 'alerts.menu',
    icon: <NotificationOutlined />,
    anyOf: ['monitoring.read', 'alert.raise'],
  },
  {
    key: 'delegated',
    group: 'dataPolicy',
    path: '/delegated',
    labelKey: 'delegated.menu',
    icon: <SafetyCertificateOutlined />,
    anyOf: ['verification.delegate'],
  },
  {
    key: 'sources',
    group: 'dataPolicy',
    path: '/sources',
    labelKey: 'menu.sources',
    icon: <DatabaseOutlined />,
    anyOf: ['source.read'],
  },
  {
    key: 'policies',
    group: 'dataPolicy',
    path: '/policies',
    labelKey: 'menu.policies',
    icon: <BookOutlined />,
    anyOf: ['policy.read'],
  },
  {
    key: 'whatIf',
    group: 'dataPolicy',
    path: '/what-if',
    labelKey: 'menu.whatIf',
    icon: <CalculatorOutlined />,
    anyOf: ['whatIf.run'],
  },
  {
    key: 'regions',
    group: 'system',
    path: '/regions',
    labelKey: 'menu.regions',
    icon: <ApartmentOutlined />,
    anyOf: ['region.read'],
  },
  {
    key: 'users',
    group: 'system',
    path: '/users',
    labelKey: 'menu.users',
    icon: <TeamOutlined />,
    anyOf: ['user.read'],
  },
  {
    key: 'audit',
    group: 'system',
    path: '/audit',
    labelKey: 'menu.audit',
    icon: <AuditOutlined />,
    anyOf: ['audit.read', 'audit.verify'],
  },
  {
    key: 'account',
    group: 'system',
    path: '/account',
    labelKey: 'menu.account',
    icon: <UserOutlined />,
    anyOf: ['account.read'],
  },
];

export function menuFor(permissions: string[]): MenuEntry[] {
  return MENU.filter((entry) => entry.anyOf.some((p) => permissions.includes(p)));
}

/** Consecutive entries of one group together; entries without a group stand alone. */
export function menuGroups(entries: MenuEntry[]): { group?: MenuEntry['group']; entries: MenuEntry[] }[] {
  const out: { group?: MenuEntry['group']; entries: MenuEntry[] }[] = [];
  for (const entry of entries) {
    const last = out.at(-1);
    if (entry.group && last?.group === entry.group) last.entries.push(entry);
    else out.push({ ...(entry.group ? { group: entry.group } : {}), entries: [entry] });
  }
  return out;
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
