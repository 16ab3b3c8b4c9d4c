/**
 * What each department would send to the verification centre, one record type per source
 * (split from types.ts; re-exported there). Money is integer fen, dates ISO.
 */
import type {
  BusinessRole,
  DepositAccount,
  DisabilityGrade,
  DisabilityType,
  Property,
  Relationship,
  SchoolingStage,
  Sex,
  Vehicle,
} from './types.ts';

interface RecordBase {
  recordId: string;
  idNumber: string;
  name: string;
}

export interface HukouRecord extends RecordBase {
  source: 'hukou';
  householdNumber: string;
  relationship: Relationship;
  sex: Sex;
  birthDate: string;
  event: 'birth' | 'moveIn' | 'moveOut' | 'deregistration';
  eventDate: string;
  fromRegion: string | null;
  toRegion: string | null;
  hukouRegion: string;
}
export interface DeathRecord extends RecordBase {
  source: 'death';
  deathDate: string;
  cause: 'illness' | 'accident' | 'other';
  cremated: boolean;
}
export interface TaxRecord extends RecordBase {
  source: 'tax';
  year: number;
  employerName: string;
  wageIncomeFen: number;
  taxPaidFen: number;
}
export interface SocialInsuranceRecord extends RecordBase {
  source: 'socialInsurance';
  scheme: 'employee' | 'resident';
  status: 'contributing' | 'receivingPension' | 'suspended';
  annualContributionFen: number;
  monthlyPensionFen: number;
  unemploymentBenefitMonthlyFen: number;
  statusSince: string;
}
export interface RealEstateRecord extends RecordBase {
  source: 'realEstate';
  assetId: string;
  certificateNumber: string;
  location: string;
  areaCentiM2: number;
  use: Property['use'];
  registeredOn: string;
}
export interface VehicleRecord extends RecordBase {
  source: 'vehicle';
  assetId: string;
  plate: string;
  kind: Vehicle['kind'];
  brand: string;
  purchasePriceFen: number;
  registeredOn: string;
  disabilityVehicle: boolean;
}
export interface BusinessRecord extends RecordBase {
  source: 'business';
  assetId: string;
  entityName: string;
  creditCode: string;
  entityType: BusinessRole['entityType'];
  role: BusinessRole['role'];
  registeredCapitalFen: number;
  registeredOn: string;
}
export interface ProvidentFundRecord extends RecordBase {
  source: 'providentFund';
  employerName: string;
  monthlyDepositFen: number;
  balanceFen: number;
}
export interface BankRecord extends RecordBase {
  source: 'bankDeposit';
  assetId: string;
  bank: string;
  kind: DepositAccount['kind'];
  balanceFen: number;
  balanceOn: string;
}
export interface MedicalClaimRecord extends RecordBase {
  source: 'medicalClaim';
  hospital: string;
  diagnosis: string;
  icd10: string;
  inpatient: boolean;
  admissionDate: string;
  dischargeDate: string;
  totalFen: number;
  insurancePaidFen: number;
  outOfPocketFen: number;
}
export interface EducationSpendingRecord extends RecordBase {
  source: 'educationSpending';
  schoolName: string;
  stage: SchoolingStage;
  schoolYear: string;
  tuitionFen: number;
  boardingFen: number;
  otherFeesFen: number;
}
/** 学籍变动: a school-age child who is out of school left it (education department). */
export interface SchoolStatusRecord extends RecordBase {
  source: 'schoolStatus';
  schoolName: string;
  stage: SchoolingStage;
  changeType: 'dropout';
  changeDate: string;
  reason: string;
}
export interface DisabilityRecord extends RecordBase {
  source: 'disabilityCertificate';
  certificateNumber: string;
  type: DisabilityType;
  grade: DisabilityGrade;
  issuedOn: string;
}

export type SourceRecord =
  | HukouRecord
  | DeathRecord
  | TaxRecord
  | SocialInsuranceRecord
  | RealEstateRecord
  | VehicleRecord
  | BusinessRecord
  | ProvidentFundRecord
  | BankRecord
  | MedicalClaimRecord
  | EducationSpendingRecord
  | SchoolStatusRecord
  | DisabilityRecord;

export type SourceName = SourceRecord['source'];
