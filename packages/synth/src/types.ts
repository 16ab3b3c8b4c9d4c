/**
 * Data model of the synthetic county. Three layers are kept apart on purpose:
 *  - `Household` / `Person`: what the registry holds (and what a household declares when applying);
 *  - `SourceRecord`: what each department would send to the verification centre;
 *  - `GroundTruth`: what is really so. The platform never loads it; benchmarks use it to score
 *    targeting (who should and should not be enrolled, which hidden assets verification must find).
 * Money is integer fen, dates are ISO 'YYYY-MM-DD', region codes are strings (12 digits for villages).
 */

export type Sex = 'male' | 'female';

export type Relationship =
  | 'head'
  | 'spouse'
  | 'son'
  | 'daughter'
  | 'daughterInLaw'
  | 'grandson'
  | 'granddaughter'
  | 'father'
  | 'mother'
  | 'other';

export type HouseholdStructure =
  | 'elderlyAlone'
  | 'elderlyCouple'
  | 'singleAdult'
  | 'couple'
  | 'nuclear'
  | 'threeGeneration'
  | 'skippedGeneration'
  | 'extended';

export type MaritalStatus = 'unmarried' | 'married' | 'widowed' | 'divorced';
export type HealthCondition = 'healthy' | 'chronicIllness' | 'seriousIllness';
export type DisabilityType =
  | 'visual'
  | 'hearing'
  | 'speech'
  | 'physical'
  | 'intellectual'
  | 'mental'
  | 'multiple';
export type DisabilityGrade = 1 | 2 | 3 | 4;
export type WorkCapacity = 'full' | 'partial' | 'none';
export type EmploymentStatus =
  | 'farming'
  | 'localEmployee'
  | 'migrantWorker'
  | 'selfEmployed'
  | 'casualWork'
  | 'unemployed'
  | 'retired'
  | 'inSchool'
  | 'notWorking';
export type SchoolingStage = 'preschool' | 'primary' | 'junior' | 'senior' | 'vocational' | 'college';
export type DailyTask = 'eating' | 'dressing' | 'bedTransfer' | 'toilet' | 'walkingIndoors' | 'bathing';
/** `true` = the person does the task unaided (the tekun care assessment's six tasks). */
export type CareDependency = Record<DailyTask, boolean>;
export type AssistanceCategory = 'dibao' | 'tekun' | 'nearDibao' | 'relapseWatch' | 'expenditureHardship';

/** A village or community: the generator's only geographic input. */
export interface Village {
  code: string; // 12 digits
  name: string;
  townshipCode: string; // 9 digits
  urban: boolean;
  townshipName?: string;
}

export interface DisabilityCertificate {
  /** 残疾人证号: the 18-character ID number + type digit + grade digit (20 characters). */
  certificateNumber: string;
  type: DisabilityType;
  grade: DisabilityGrade;
  issuedOn: string;
}

export interface SeriousIllness {
  diagnosis: string;
  icd10: string;
  diagnosedOn: string;
}

export interface Person {
  id: string;
  householdId: string;
  name: string;
  sex: Sex;
  birthDate: string;
  idNumber: string;
  relationship: Relationship;
  maritalStatus: MaritalStatus;
  phone: string | null;
  /** 12-digit village code of the hukou. */
  hukouRegion: string;
  /** 12-digit village code when living at home, else the 6-digit county/district code where they live. */
  residenceRegion: string;
  residenceRegionName: string;
  health: HealthCondition;
  seriousIllness: SeriousIllness | null;
  disability: DisabilityCertificate | null;
  workCapacity: WorkCapacity;
  employment: EmploymentStatus;
  /** Has a contract: appears in tax, employee social insurance and (sometimes) provident-fund data. */
  formalEmployment: boolean;
  employerName: string | null;
  schooling: SchoolingStage | null;
  /** For persons aged 60+ and persons with a disability; otherwise null. */
  care: CareDependency | null;
  /** Set when the person died in the year before `asOf` (the hukou is cancelled on that date). */
  deathDate: string | null;
}

/** Monthly income in fen, by type. */
export interface IncomeByType {
  wages: number;
  remittances: number;
  business: number;
  agricultural: number;
  pensions: number;
  transfers: number;
}

/** The figures `declare` draws: income by type and the assets the household admits to. */
export interface DeclaredFigures {
  monthlyIncomeFen: IncomeByType;
  depositsFen: number;
  securitiesFen: number;
  properties: number;
  vehicles: number;
  businesses: number;
}

/** Rigid expenses of the 12 months before `asOf`, fen a year. */
export interface AnnualExpenses {
  /** Out of pocket on the members' medical-insurance settlements. */
  medical: number;
  /** Tuition and boarding of the members in school (other fees are not a rigid expense). */
  education: number;
  /** Social-insurance contributions the members pay themselves. */
  socialInsurance: number;
}

/** The veto questions of the application form, as the household answers them. */
export interface VetoAnswers {
  publicEmployee: boolean;
  luxuryConsumption: boolean;
  recentHousePurchase: boolean;
  refusedVerification: boolean;
}

/**
 * The whole application form. Hidden items are left out here too: a household hiding a car or a
 * second home still answers "no", and verification has to find it.
 */
export interface Declaration extends DeclaredFigures {
  /** Part of `monthlyIncomeFen.pensions` that is not counted: the central basic pension of resident-scheme pensioners. */
  exemptMonthlyFen: number;
  /** Rent and interest. The generator models neither, so always 0. */
  propertyMonthlyFen: number;
  annualExpensesFen: AnnualExpenses;
  answers: VetoAnswers;
}

export interface Enrolment {
  category: AssistanceCategory;
  /** Members covered (tekun covers the supported person only). */
  personIds: string[];
  startDate: string;
  /** Cash paid monthly; 0 for categories that bring monitoring or services rather than cash. */
  monthlyAmountFen: number;
  tekunCare?: 'dispersed' | 'institutional';
}

export interface Household {
  id: string;
  /** 户号 as the police hukou system numbers it. */
  householdNumber: string;
  countyCode: string;
  townshipCode: string;
  villageCode: string;
  urban: boolean;
  address: string;
  structure: HouseholdStructure;
  members: Person[];
  declared: Declaration;
  enrolments: Enrolment[];
}

export interface DepositAccount {
  id: string;
  personId: string;
  bank: string;
  kind: 'deposit' | 'wealthProduct' | 'securities';
  balanceFen: number;
}

export interface Property {
  id: string;
  personId: string;
  certificateNumber: string;
  location: string;
  regionCode: string;
  /** Floor area in hundredths of a square metre (integer, like money). */
  areaCentiM2: number;
  use: 'homestead' | 'residential' | 'commercial';
  registeredOn: string;
  valueFen: number;
}

export interface Vehicle {
  id: string;
  personId: string;
  plate: string;
  kind: 'car' | 'truck' | 'motorcycle';
  brand: string;
  purchasePriceFen: number;
  registeredOn: string;
  disabilityVehicle: boolean;
}

export interface BusinessRole {
  id: string;
  personId: string;
  entityName: string;
  creditCode: string;
  entityType: 'company' | 'individualBusiness';
  role: 'legalRepresentative' | 'shareholder' | 'operator';
  registeredCapitalFen: number;
  registeredOn: string;
  /** Net monthly business income the role brings the household (truth only). */
  monthlyIncomeFen: number;
}

export interface Assets {
  deposits: DepositAccount[];
  properties: Property[];
  vehicles: Vehicle[];
  businesses: BusinessRole[];
}

export type HiddenItemKind = 'car' | 'secondProperty' | 'largeDeposit' | 'companyRole';
export interface HiddenItem {
  kind: HiddenItemKind;
  personId: string;
  /** Id of the asset in `GroundTruth.assets` (and `assetId` of the source record that shows it). */
  assetId: string;
}

export type HardshipKind = 'seriousIllness' | 'earnerDeath' | 'jobLoss' | 'disability';
export interface HardshipEvent {
  kind: HardshipKind;
  personId: string;
  date: string;
}

export interface GroundTruth {
  householdId: string;
  asOf: string;
  monthlyIncomeFen: IncomeByType;
  personIncome: { personId: string; monthlyIncomeFen: IncomeByType }[];
  perCapitaMonthlyIncomeFen: number;
  /** Per-capita true income below the local dibao standard used by the generator. */
  belowDibaoStandard: boolean;
  assets: Assets;
  hidden: HiddenItem[];
  hardshipEvents: HardshipEvent[];
}

import type { SourceRecord } from './sourceRecords.ts';

export * from './sourceRecords.ts';

/** One generated household: the registry view, the departments' records and the (separate) truth. */
export interface CountyHousehold {
  household: Household;
  records: SourceRecord[];
  /** Never load into the platform: it is the answer key. */
  truth: GroundTruth;
}

export interface GenerateOptions {
  seed: number;
  households: number;
  villages: readonly Village[];
  asOf: string;
  /** Text placed before township and village in addresses; defaults to the county's full name if known. */
  addressPrefix?: string;
  /** Monthly dibao standards (fen) the generator uses to shape enrolled households and truth flags. */
  dibaoStandardFen?: { urban: number; rural: number };
}
