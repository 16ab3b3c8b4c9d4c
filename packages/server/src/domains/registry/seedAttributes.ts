/**
 * A synthetic person's dated attributes as the registry stores them (person_attribute rows):
 * health, work capacity and employment from the county's as-of date; illness and disability from
 * the diagnosis or certificate date when earlier. Used by `doudi seed` (seed.ts).
 */
import type { Person } from '@doudi/synth';

export function personAttributes(p: Person, asOf: string): { kind: string; value: unknown; from: string }[] {
  const out: { kind: string; value: unknown; from: string }[] = [
    { kind: 'healthCondition', value: { status: p.health }, from: asOf },
    { kind: 'workCapacity', value: { capacity: p.workCapacity }, from: asOf },
    {
      kind: 'employment',
      value: {
        status: p.employment,
        formal: p.formalEmployment,
        ...(p.employerName ? { employerName: p.employerName } : {}),
      },
      from: asOf,
    },
  ];
  if (p.seriousIllness)
    out.push({
      kind: 'seriousIllness',
      value: { ...p.seriousIllness },
      from: p.seriousIllness.diagnosedOn < asOf ? p.seriousIllness.diagnosedOn : asOf,
    });
  if (p.disability)
    out.push({
      kind: 'disability',
      value: {
        type: p.disability.type,
        grade: p.disability.grade,
        certificateNumber: p.disability.certificateNumber,
      },
      from: p.disability.issuedOn < asOf ? p.disability.issuedOn : asOf,
    });
  if (p.schooling) out.push({ kind: 'schooling', value: { stage: p.schooling }, from: asOf });
  if (p.care) out.push({ kind: 'careDependency', value: p.care, from: asOf });
  return out;
}
