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
  // Departments that own verification sources (domains/sources/catalogue).
  'publicSecurity',
  'civilAffairs',
  'tax',
  'naturalResources',
  'marketRegulation',
  'housingFund',
  'finance',
  'utilities',
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
  /** Departmental data: import files of a source (department officers: their own sources only). */
  sourceImport: 'source.import',
  /** Departmental data: imports, error reports, unmatched records in scope. */
  sourceRead: 'source.read',
  /** Departmental data: per-source settings and department API keys. */
  sourceManage: 'source.manage',
  /** Departmental data: mark a source record disputed with a reason (the department answers). */
  sourceDispute: 'source.dispute',
  /** One-door intake: submit an application (window, grid worker on someone's behalf, resident online). */
  intakeSubmit: 'intake.submit',
  /** Applications, cases, timelines, overdue lists and reminders in scope. */
  intakeRead: 'intake.read',
  /** Act on a case at the steps the process template gives the user's office. */
  intakeHandle: 'intake.handle',
  /** Resident portal: my household's applications, case progress, notices and enrolment. */
  residentPortal: 'resident.portal',
  /** Public notices (公示) of a village: read; residents and staff alike. */
  noticeRead: 'notice.read',
  /** Lodge an objection to a public notice (anyone who can read it). */
  noticeObject: 'notice.object',
  /** Enrolled households (在册), their reviews and changes. */
  enrolmentRead: 'enrolment.read',
  /** Increase, cut, stop or review an enrolment through a short case with a legal ground. */
  enrolmentChange: 'enrolment.change',
  /** Household economic-status verification report (核对报告) in scope; every full view logged. */
  verificationRead: 'verification.read',
  /** Take-highest reconciliation: approve figures, override with a written reason. */
  verificationReconcile: 'verification.reconcile',
  /** Batch re-verification runs (monthly job or a chosen list). */
  verificationBatch: 'verification.batch',
  /** Delegated verification for another department, and after-death estate inquiry (身后一件事). */
  verificationDelegate: 'verification.delegate',
  /** Low-income monitoring: alerts, portraits, dashboard in scope. */
  monitoringRead: 'monitoring.read',
  /** Start a full or incremental monitoring run; edit dispatch rules; calibrate models. */
  monitoringRun: 'monitoring.run',
  /** Raise an alert by request (点单): resident self-report, grid worker, caseworker. */
  alertRaise: 'alert.raise',
  /** Accept, handle, give feedback on and close alerts dispatched to the user's office or department. */
  alertHandle: 'alert.handle',
} as const;
export type Permission = (typeof Permission)[keyof typeof Permission];

const everyone: Permission[] = [
  Permission.accountRead,
  Permission.accountChangePassword,
  Permission.regionRead,
];
const staff: Permission[] = [...everyone, Permission.workbenchUse];

export const rolePermissions: Record<Role, readonly Permission[]> = {
  resident: [
    ...everyone,
    Permission.intakeSubmit,
    Permission.residentPortal,
    Permission.noticeRead,
    Permission.noticeObject,
    Permission.alertRaise,
  ],
  gridWorker: [
    ...staff,
    Permission.registryRead,
    Permission.intakeSubmit,
    Permission.intakeRead,
    Permission.intakeHandle,
    Permission.noticeRead,
    Permission.noticeObject,
    Permission.enrolmentRead,
    Permission.monitoringRead,
    Permission.alertRaise,
    Permission.alertHandle,
  ],
  caseworker: [
    ...staff,
    Permission.userRead,
    Permission.registryRead,
    Permission.registryWrite,
    Permission.personalDataReveal,
    Permission.policyRead,
    Permission.screeningRead,
    Permission.intakeSubmit,
    Permission.intakeRead,
    Permission.intakeHandle,
    Permission.noticeRead,
    Permission.noticeObject,
    Permission.enrolmentRead,
    Permission.enrolmentChange,
    Permission.verificationRead,
    Permission.verificationReconcile,
    Permission.sourceDispute,
    Permission.monitoringRead,
    Permission.alertRaise,
    Permission.alertHandle,
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
    Permission.sourceRead,
    Permission.sourceDispute,
    Permission.intakeSubmit,
    Permission.intakeRead,
    Permission.intakeHandle,
    Permission.noticeRead,
    Permission.noticeObject,
    Permission.enrolmentRead,
    Permission.enrolmentChange,
    Permission.verificationRead,
    Permission.verificationReconcile,
    Permission.verificationBatch,
    Permission.monitoringRead,
    Permission.monitoringRun,
    Permission.alertRaise,
    Permission.alertHandle,
  ],
  departmentOfficer: [
    ...staff,
    Permission.policyRead,
    Permission.sourceImport,
    Permission.sourceRead,
    Permission.intakeRead,
    Permission.intakeHandle,
    Permission.verificationDelegate,
    Permission.monitoringRead,
    Permission.alertRaise,
    Permission.alertHandle,
  ],
  verificationCentre: [
    ...staff,
    Permission.registryRead,
    Permission.personalDataReveal,
    Permission.sourceImport,
    Permission.sourceRead,
    Permission.sourceManage,
    Permission.sourceDispute,
    Permission.intakeRead,
    Permission.intakeHandle,
    Permission.verificationRead,
    Permission.verificationBatch,
    Permission.verificationDelegate,
    Permission.monitoringRead,
  ],
  provider: staff,
  auditor: [
    ...staff,
    Permission.userRead,
    Permission.auditRead,
    Permission.auditVerify,
    Permission.registryRead,
    Permission.personalDataAccessLogRead,
    Permission.policyRead,
    Permission.intakeRead,
    Permission.noticeRead,
    Permission.enrolmentRead,
    Permission.verificationRead,
    Permission.monitoringRead,
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
    Permission.sourceImport,
    Permission.sourceRead,
    Permission.sourceManage,
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
