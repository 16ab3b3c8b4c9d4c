/** Display names for codes the API sends as identifiers (roles, departments, levels). */
import type { TFunction } from 'i18next';
import type { Role } from '../api/client';
import type { components } from '../api/generated/schema';

export const ROLES: Role[] = [
  'resident',
  'gridWorker',
  'caseworker',
  'countyOfficer',
  'departmentOfficer',
  'verificationCentre',
  'provider',
  'auditor',
  'admin',
];

// The server owns the department list (its OpenAPI enum); `satisfies` fails the typecheck if they drift.
export const DEPARTMENTS = [
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
] as const satisfies readonly components['schemas']['Department'][];

export function roleName(t: TFunction, role: string | null | undefined): string {
  if (!role) return '—';
  return t(`roles.${role}`, { defaultValue: role });
}

export function departmentName(t: TFunction, department: string | null | undefined): string {
  if (!department) return '—';
  return t(`departments.${department}`, { defaultValue: department });
}

export function levelName(t: TFunction, level: number): string {
  return t(`levels.${level}`, { defaultValue: String(level) });
}

/** For a count of regions ("Villages 41"), where English needs the plural. */
export function levelCountName(t: TFunction, level: number): string {
  return t(`levelCounts.${level}`, { defaultValue: String(level) });
}

export function formatTime(iso: string, language: string): string {
  return new Date(iso).toLocaleString(language === 'en' ? 'en-GB' : 'zh-CN', { hour12: false });
}
