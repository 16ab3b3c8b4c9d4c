import { addDays, addYears, ageOn, maxDate, randomDate } from './dates.ts';
import {
  CHRONIC_DIAGNOSES,
  type Diagnosis,
  HOSPITALS,
  ORDINARY_ADMISSIONS,
  seriousCostYuan,
} from './places.ts';
import type { Rng } from './random.ts';
import type { MedicalClaimRecord, Person } from './types.ts';

/**
 * Medical-insurance settlement records of the last 12 months. Resident medical insurance pays about
 * 50–70% of an inpatient bill (lower at Wuhan hospitals, outside the catalogue), more for assisted
 * persons through the critical-illness insurance tilt; the rest is out of pocket. A newly diagnosed
 * cancer or uraemia patient often exceeds the 50,000-yuan out-of-pocket trigger Yueqing uses.
 */
const YUAN = 100;

function claim(
  rng: Rng,
  p: Person,
  d: Diagnosis,
  totalFen: number,
  admission: string,
  inpatient: boolean,
  assisted: boolean,
  recordId: string,
): MedicalClaimRecord {
  const share = assisted ? rng.int(65, 85) : rng.int(45, 70);
  const insurancePaidFen = Math.round((totalFen * share) / 100);
  return {
    source: 'medicalClaim',
    recordId,
    idNumber: p.idNumber,
    name: p.name,
    hospital: inpatient ? HOSPITALS.draw(rng) : '乡镇卫生院',
    diagnosis: d.name,
    icd10: d.icd10,
    inpatient,
    admissionDate: admission,
    dischargeDate: inpatient ? addDays(admission, rng.int(3, 25)) : admission,
    totalFen,
    insurancePaidFen,
    outOfPocketFen: totalFen - insurancePaidFen,
  };
}

export function makeMedicalClaims(
  rng: Rng,
  p: Person,
  asOf: string,
  assisted: boolean,
  rid: () => string,
): MedicalClaimRecord[] {
  const out: MedicalClaimRecord[] = [];
  const yearAgo = addYears(asOf, -1);
  const end = p.deathDate ?? asOf;
  const age = ageOn(p.birthDate, asOf);
  // Dates stay within the last year, after birth and before death; discharge may run past asOf by days.
  const window = (from: string) => randomDate(rng, maxDate(from, maxDate(yearAgo, p.birthDate)), end);

  if (p.seriousIllness) {
    const d: Diagnosis = {
      name: p.seriousIllness.diagnosis,
      icd10: p.seriousIllness.icd10,
      yearlyCostYuan: 0,
    };
    const recent = p.seriousIllness.diagnosedOn > addYears(asOf, -2);
    const median = seriousCostYuan(p.seriousIllness.icd10) * (recent ? 1 : 0.4);
    const count = recent ? rng.int(1, 4) : rng.chance(0.6) ? rng.int(1, 2) : 0;
    const total = rng.logNormal(median * YUAN, 0.5, 2_000 * YUAN);
    for (let i = 0; i < count; i++) {
      const admission =
        i === 0 && p.seriousIllness.diagnosedOn > yearAgo
          ? p.seriousIllness.diagnosedOn
          : window(p.seriousIllness.diagnosedOn);
      out.push(claim(rng, p, d, Math.round(total / count), admission, true, assisted, rid()));
    }
  }
  if (p.health === 'chronicIllness' && rng.chance(0.5)) {
    // Outpatient chronic-disease settlements (门诊慢特病), summed for the year.
    const d = CHRONIC_DIAGNOSES.draw(rng);
    out.push(
      claim(
        rng,
        p,
        d,
        rng.logNormal(d.yearlyCostYuan * YUAN, 0.5, 100 * YUAN),
        window(yearAgo),
        false,
        assisted,
        rid(),
      ),
    );
  }
  if (rng.chance(age >= 65 ? 0.15 : age >= 18 ? 0.06 : 0.04)) {
    const d = ORDINARY_ADMISSIONS.draw(rng);
    out.push(
      claim(
        rng,
        p,
        d,
        rng.logNormal(d.yearlyCostYuan * YUAN, 0.4, 800 * YUAN),
        window(yearAgo),
        true,
        assisted,
        rid(),
      ),
    );
  }
  return out;
}
