/**
 * A source record's fields as people read them, in Chinese and English side by side (as flags carry
 * text/textEn and errors message/messageEn): the web shows the one of the page's language.
 *
 * The Chinese comes from the source catalogue (column headers, enumeration labels). The catalogue has
 * no English, so it is kept here, by field name and code: field names mean the same in every source
 * (test/delegatedPurposes.test.ts checks that every field and code of the catalogue has its English).
 * Frozen results keep each field's name and raw value, so a stored result is shown again from those
 * (`relabel`): results frozen before the English existed read in English too.
 */
import { findSource } from '../sources/catalogue/index.ts';
import { yuanText } from './report.build.ts';

export const FIELD_EN: Record<string, string> = {
  householdNumber: 'Household no.',
  relationship: 'Relationship to head',
  sex: 'Sex',
  birthDate: 'Date of birth',
  event: 'Event',
  eventDate: 'Event date',
  fromRegion: 'Moved from',
  toRegion: 'Moved to',
  hukouRegion: 'Hukou region code',
  kind: 'Kind',
  registeredOn: 'Registered on',
  spouseName: 'Spouse',
  office: 'Registry office',
  deathDate: 'Date of death',
  cause: 'Cause of death',
  cremated: 'Cremated',
  year: 'Income year',
  employerName: 'Employer',
  wageIncomeFen: 'Wage income',
  taxPaidFen: 'Tax paid',
  scheme: 'Scheme',
  status: 'Status',
  annualContributionFen: 'Annual contribution',
  monthlyPensionFen: 'Monthly pension',
  unemploymentBenefitMonthlyFen: 'Monthly unemployment benefit',
  statusSince: 'Status since',
  certificateNumber: 'Certificate no.',
  location: 'Location',
  areaCentiM2: 'Floor area (m²)',
  use: 'Use',
  entityName: 'Entity',
  creditCode: 'Unified credit code',
  entityType: 'Entity type',
  role: 'Role',
  registeredCapitalFen: 'Registered capital',
  organisationName: 'Organisation',
  organisationType: 'Organisation type',
  monthlyDepositFen: 'Monthly deposit',
  balanceFen: 'Balance',
  plate: 'Plate',
  brand: 'Make',
  purchasePriceFen: 'Purchase price',
  disabilityVehicle: 'Disability vehicle',
  assetId: 'Account no.',
  bank: 'Bank',
  balanceOn: 'Balance date',
  account: 'Account',
  institution: 'Broker or fund company',
  marketValueFen: 'Market value',
  policyNumber: 'Policy no.',
  insurer: 'Insurer',
  annualPremiumFen: 'Annual premium',
  cashValueFen: 'Cash value',
  effectiveOn: 'Effective on',
  hospital: 'Hospital',
  diagnosis: 'Diagnosis',
  icd10: 'ICD-10 code',
  inpatient: 'Care',
  admissionDate: 'Admitted',
  dischargeDate: 'Discharged',
  totalFen: 'Total cost',
  insurancePaidFen: 'Paid by insurance',
  outOfPocketFen: 'Out of pocket',
  schoolName: 'School',
  stage: 'Stage',
  schoolYear: 'School year',
  tuitionFen: 'Tuition',
  boardingFen: 'Boarding',
  otherFeesFen: 'Other fees',
  receivesBenefit: 'Receives unemployment benefit',
  type: 'Disability type',
  grade: 'Grade',
  issuedOn: 'Issued on',
  month: 'Month',
  amountFen: 'Amount',
  changeType: 'Change',
  changeDate: 'Date of change',
  reason: 'Reason',
};

/** Enumeration codes in English, by field name (the Chinese labels are the catalogue's). */
export const VALUE_EN: Record<string, Record<string, string>> = {
  relationship: {
    head: 'head',
    spouse: 'spouse',
    son: 'son',
    daughter: 'daughter',
    daughterInLaw: 'daughter-in-law',
    grandson: 'grandson',
    granddaughter: 'granddaughter',
    father: 'father',
    mother: 'mother',
    other: 'other',
  },
  sex: { male: 'male', female: 'female' },
  event: { birth: 'birth', moveIn: 'moved in', moveOut: 'moved out', deregistration: 'deregistered (death)' },
  kind: {
    marriage: 'marriage',
    divorce: 'divorce',
    car: 'car',
    truck: 'truck',
    motorcycle: 'motorcycle',
    boat: 'boat',
    deposit: 'savings deposit',
    wealthProduct: 'wealth product',
    securities: 'securities',
    stock: 'stock',
    fund: 'fund',
    bond: 'bond',
    other: 'other',
    life: 'life insurance',
    health: 'health insurance',
    annuity: 'annuity',
    property: 'property insurance',
    water: 'water',
    power: 'electricity',
    gas: 'gas',
    telecom: 'telecom',
  },
  cause: { illness: 'illness', accident: 'accident', other: 'other' },
  scheme: { employee: 'employee basic pension', resident: 'urban-rural resident pension' },
  status: {
    contributing: 'contributing',
    receivingPension: 'receiving pension',
    suspended: 'contributions suspended',
    employed: 'employed',
    unemployed: 'registered unemployed',
    flexible: 'flexible employment',
  },
  use: { homestead: 'homestead house', residential: 'residential flat', commercial: 'commercial' },
  entityType: { company: 'limited company', individualBusiness: 'sole trader' },
  role: {
    legalRepresentative: 'legal representative',
    shareholder: 'shareholder',
    operator: 'operator',
    director: 'director',
    supervisor: 'supervisor',
  },
  organisationType: {
    association: 'association',
    privateNonEnterprise: 'private non-enterprise unit',
    foundation: 'foundation',
  },
  inpatient: { true: 'inpatient', false: 'outpatient (chronic or special illness)' },
  stage: {
    preschool: 'preschool',
    primary: 'primary',
    junior: 'junior secondary',
    senior: 'senior secondary',
    vocational: 'vocational secondary',
    college: 'higher education',
  },
  type: {
    visual: 'visual',
    hearing: 'hearing',
    speech: 'speech',
    physical: 'physical',
    intellectual: 'intellectual',
    mental: 'mental',
    multiple: 'multiple',
  },
  grade: { '1': 'grade 1', '2': 'grade 2', '3': 'grade 3', '4': 'grade 4' },
  changeType: {
    dropout: 'dropped out',
    suspension: 'suspended',
    transfer: 'transferred',
    graduation: 'graduated',
    expulsion: 'expelled',
    resumption: 'resumed',
  },
};

type Scalar = string | number | boolean | null;
export interface FieldView {
  name: string;
  label: string;
  labelEn: string;
  value: Scalar;
  text: string;
  textEn: string;
}

const yuanEn = (fen: number) => `¥${(fen / 100).toLocaleString('en', { maximumFractionDigits: 2 })}`;

/** One field in both languages, from its raw value as stored (fen, hundredths, codes, booleans). */
export function formatField(source: string, name: string, raw: unknown): FieldView | null {
  const field = findSource(source)?.fields.find((f) => f.name === name);
  if (!field || raw === undefined || raw === null || raw === '') return null;
  const value = (typeof raw === 'object' ? JSON.stringify(raw) : raw) as Scalar;
  const plain = String(value);
  let text = plain;
  let textEn = plain;
  if (field.type === 'money' && typeof raw === 'number') {
    text = yuanText(raw);
    textEn = yuanEn(raw);
  } else if (field.type === 'decimal2' && typeof raw === 'number') text = textEn = (raw / 100).toString();
  else if (field.type === 'enum') {
    text = field.values?.[plain] ?? plain;
    textEn = VALUE_EN[name]?.[plain] ?? text;
  } else if (field.type === 'boolean') {
    text = field.values?.[plain] ?? (raw === true ? '是' : '否');
    textEn = VALUE_EN[name]?.[plain] ?? (raw === true ? 'yes' : 'no');
  }
  return {
    name,
    label: field.header.replace(/\(元\)|\(平方米\)/, ''),
    labelEn: FIELD_EN[name] ?? name,
    value,
    text,
    textEn,
  };
}

/** A record's fields as shown, in catalogue order, only the fields present. */
export function formatRecord(source: string, data: Record<string, unknown>): FieldView[] {
  const spec = findSource(source);
  return (spec?.fields ?? []).flatMap((f) => formatField(source, f.name, data[f.name]) ?? []);
}

/** A frozen record's fields shown again from their names and raw values. */
export function relabel(source: string, fields: readonly { name: string; value: Scalar }[]): FieldView[] {
  return fields.flatMap((f) => formatField(source, f.name, f.value) ?? []);
}
