import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../catalog/loadCatalog.ts';
import { RuleLoadError } from '../errors.ts';
import { exampleCatalogSources } from '../example/dibaoExample.ts';
import { batchOutcome, evaluateBatch } from './batch.ts';
import { evaluate } from './evaluate.ts';
import { renderTraceZh } from './renderTraceZh.ts';

const REGION = '420902002000';
const DATE = '2025-03-01';

/** The example catalogue with tekun superseding dibao, as the demo catalogue says. */
function withSupersedes(line: string, policy = 'policies/tekun.yaml') {
  const policies = { ...exampleCatalogSources.policies };
  policies[policy] = `${policies[policy]}${line}\n`;
  return { ...exampleCatalogSources, policies };
}

const catalog = loadCatalog(withSupersedes('supersedes: [dibao]'));
// An elderly person alone with no income: dibao's and tekun's conditions both hold.
const elderAlone = {
  household: { monthlyIncome: 0, vehicleCount: 0, registeredBusiness: false, financialAssets: 0 },
  members: [{ age: 82, severeDisability: false, severeIllness: false, student: false }],
};
// A mother of working age, gravely ill, and her son at school, below the standard: dibao only
// (tekun needs every member without work capacity by age or disability).
const family = {
  household: { monthlyIncome: 60000, vehicleCount: 0, registeredBusiness: false, financialAssets: 0 },
  members: [
    { age: 45, severeDisability: false, severeIllness: true, student: false },
    { age: 10, severeDisability: false, severeIllness: false, student: true },
  ],
};

describe('supersedes (precedence between policies)', () => {
  it('reports the superseded policy ineligible, naming the one that replaces it, with its conditions kept', () => {
    const results = evaluate(catalog, elderAlone, DATE, REGION);
    const dibao = results.find((r) => r.policyId === 'dibao');
    const tekun = results.find((r) => r.policyId === 'tekun');
    expect(tekun).toMatchObject({ status: 'eligible' });
    expect(dibao).toMatchObject({ status: 'ineligible', amountFen: null });
    expect(dibao?.trace.supersededBy?.policyId).toBe('tekun');
    expect(dibao?.trace.conditions.every((c) => c.outcome === !c.veto)).toBe(true);
    expect(renderTraceZh(dibao?.trace as NonNullable<typeof dibao>['trace'])).toContain(
      '家庭符合「特困人员救助供养（分散供养）」，按该项救助，不重复享受本项',
    );
  });

  it('leaves a household that qualifies for the superseded policy only as it was', () => {
    const dibao = evaluate(catalog, family, DATE, REGION).find((r) => r.policyId === 'dibao');
    expect(dibao?.status).toBe('eligible');
    expect(dibao?.trace.supersededBy).toBeUndefined();
  });

  it('gives the same answer in batch, with and without trace, as one by one', () => {
    const input = [elderAlone, family, elderAlone];
    for (const trace of [false, true]) {
      const batch = evaluateBatch(catalog, input, DATE, REGION, { trace });
      input.forEach((facts, h) => {
        evaluate(catalog, facts, DATE, REGION).forEach((single, p) => {
          const cell = batchOutcome(batch, h, p);
          expect([cell.status, cell.amountFen, cell.supersededBy]).toEqual([
            single.status,
            single.amountFen,
            single.trace.supersededBy?.policyId,
          ]);
        });
      });
    }
  });

  it('does nothing when the superseding policy is not evaluated (a policy subset)', () => {
    const [dibao] = evaluate(catalog, elderAlone, DATE, REGION, { policies: ['dibao'] });
    expect(dibao?.status).toBe('eligible');
  });

  it('refuses an unknown policy, itself, and two policies superseding each other, with file and line', () => {
    expect(() => loadCatalog(withSupersedes('supersedes: [noSuchPolicy]'))).toThrow(
      /policies\/tekun\.yaml:\d+:\d+: .*supersedes names no policy: noSuchPolicy/,
    );
    expect(() => loadCatalog(withSupersedes('supersedes: [tekun]'))).toThrow(RuleLoadError);
    const both = withSupersedes('supersedes: [dibao]');
    both.policies['policies/dibao.yaml'] = `${both.policies['policies/dibao.yaml']}supersedes: [tekun]\n`;
    expect(() => loadCatalog(both)).toThrow(/supersede each other/);
  });
});
