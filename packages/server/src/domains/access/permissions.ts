/**
 * One permission enum for the whole platform, and which roles hold which permission.
 * Every service method calls `authorize(actor, Permission.X)` before it does anything else;
 * what rows it may then touch is decided by the database (row-level security on the
 * actor's region scope), not here.
 */
import { errors } from '../../http/errors.ts';

export const Roles = [
  'resident',
  'gridWorker',
  'caseworker',
  'countyOfficer',
  'departmentOfficer',
  'verificationCentre',
  'provider',
  'auditor',
  'admin',
] as const;
export type Role = (typeof Roles)[number];

/** Departments whose officers receive referrals and alerts (DOMAIN.md, "Who uses it"). */
export const Departments = [
  'education',
  'medicalSecurity',
  'housing',
  'humanResources',
  'health',
  'disabledPersons',
  'tradeUnion',
  'emergency',
  'ruralRevitalization',
  'charity',
] as const;
export type Department = (typeof Departments)[number];

export const Permission = {
  accountRead: 'account.read',
  accountChangePassword: 'account.changePassword',
  regionRead: 'region.read',
  regionImport: 'region.import',
  userRead: 'user.read',
  userManage: 'user.manage',
  auditRead: 'audit.read',
  auditVerify: 'audit.verify',
  workbenchUse: 'workbench.use',
  registryRead: 'registry.read',
  registryWrite: 'registry.write',
  registryMerge: 'registry.merge',
  registrySeed: 'registry.seed',
  personalDataReveal: 'personalData.reveal',
  personalDataExport: 'personalData.export',
  personalDataAccessLogRead: 'personalData.accessLogRead',
  /** Policy ledger, versions and their texts. */
  policyRead: 'policy.read',
  /** Drafts of catalogue files: save, check, diff, discard. */
  policyEdit: 'policy.edit',
  /** Publish a checked draft as a new version (county level or above). */
  policyPublish: 'policy.publish',
  /** 政策找人: start a screening run over a region (county level). */
  screeningRun: 'screening.run',
  /** Screening runs, results, traces and prescriptions in the user's scope. */
  screeningRead: 'screening.read',
  /** 政策测算: change parameters and re-evaluate the region's households (aggregates only). */
  whatIfRun: 'whatIf.run',
} as const;
export type Permission = (typeof Permission)[keyof typeof Permission];

const everyone: Permission[] = [
  Permission.accountRead,
  Permission.accountChangePassword,
  Permission.regionRead,
];
const staff: Permission[] = [...everyone, Permission.workbenchUse];

export const rolePermissions: Record<Role, readonly Permission[]> = {
  resident: everyone,
  gridWorker: [...staff, Permission.registryRead],
  caseworker: [
    ...staff,
    Permission.userRead,
    Permission.registryRead,
    Permission.registryWrite,
    Permission.personalDataReveal,
    Permission.policyRead,
    Permission.screeningRead,
  ],
  countyOfficer: [
    ...staff,
    Permission.userRead,
    Permission.registryRead,
    Permission.registryWrite,
    Permission.registryMerge,
    Permission.personalDataReveal,
    Permission.personalDataExport,
    Permission.personalDataAccessLogRead,
    Permission.policyRead,
    Permission.policyEdit,
    Permission.policyPublish,
    Permission.screeningRun,
    Permission.screeningRead,
    Permission.whatIfRun,
  ],
  departmentOfficer: [...staff, Permission.policyRead],
  verificationCentre: [...staff, Permission.registryRead, Permission.personalDataReveal],
  provider: staff,
  auditor: [
    ...staff,
    Permission.userRead,
    Permission.auditRead,
    Permission.auditVerify,
    Permission.registryRead,
    Permission.personalDataAccessLogRead,
    Permission.policyRead,
  ],
  admin: [
    ...staff,
    Permission.userRead,
    Permission.userManage,
    Permission.regionImport,
    Permission.auditVerify,
    Permission.registrySeed,
    Permission.personalDataExport,
    Permission.policyRead,
    Permission.policyEdit,
    Permission.policyPublish,
    Permission.whatIfRun,
  ],
};

export interface Actor {
  userId: string;
  username: string;
  displayName: string;
  role: Role;
  department: string | null;
  /** 12-digit code of the user's home region; the scope is its subtree. */
  regionCode: string;
}

export function can(actor: Actor, permission: Permission): boolean {
  return rolePermissions[actor.role].includes(permission);
}

export function authorize(actor: Actor | undefined, permission: Permission): asserts actor is Actor {
  if (!actor) throw errors.unauthenticated();
  if (!can(actor, permission)) throw errors.forbidden(permission);
}
