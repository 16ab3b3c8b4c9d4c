/** The built-in source catalogue: every department feed the verification centre receives. */
import {
  bankDeposit,
  business,
  commercialInsurance,
  realEstate,
  securities,
  socialOrganisation,
  vehicle,
} from './assets.ts';
import { providentFund, socialInsurance, tax, utilities } from './income.ts';
import {
  death,
  disabilityCertificate,
  educationSpending,
  employment,
  hukou,
  marriage,
  medicalClaim,
} from './people.ts';
import { schoolStatus } from './schooling.ts';
import type { SourceSpec } from './types.ts';

export const SOURCES: readonly SourceSpec[] = [
  hukou,
  marriage,
  death,
  tax,
  socialInsurance,
  realEstate,
  business,
  socialOrganisation,
  providentFund,
  vehicle,
  bankDeposit,
  securities,
  commercialInsurance,
  medicalClaim,
  educationSpending,
  employment,
  disabilityCertificate,
  utilities,
  schoolStatus,
];

const byId = new Map(SOURCES.map((s) => [s.id, s]));

export function findSource(id: string): SourceSpec | undefined {
  return byId.get(id);
}

export type { FieldSpec, FieldType, SourceSpec } from './types.ts';
