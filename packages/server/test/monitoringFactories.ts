/**
 * Fixtures of the monitoring tests: a county officer acting as the system, the alerts as a comparable
 * list, a full run, and the departmental records (medical claims, deaths, disability certificates,
 * and one stranger's large bill) imported through the real importer.
 */
import { expect } from 'vitest';
import { runMonitoring } from '../src/domains/monitoring/monitoring.run.ts';
import { createRun, MONITORING_SYSTEM } from '../src/domains/monitoring/monitoring.service.ts';
import { regions } from './factories.ts';
import { AS_OF, csvOf, login, seedSources, upload } from './sourcesFactories.ts';
import type { TestApp } from './testApp.ts';

export const county: typeof MONITORING_SYSTEM = {
  ...MONITORING_SYSTEM,
  role: 'countyOfficer',
  regionCode: regions.county,
};

/** The alerts as a comparable list (what a caseworker would see), without ids and clocks. */
export async function alertState(t: TestApp) {
  const r = await t.db.query<Record<string, unknown>>(
    `SELECT subject_key, cause, colour, score::text AS score, summary_zh, evidence, raise_count, household_id IS NULL AS candidate
       FROM monitoring_alert ORDER BY subject_key, cause`,
  );
  return r.rows;
}

export async function clearAlerts(t: TestApp) {
  await t.db.query('DELETE FROM monitoring_alert_event');
  await t.db.query('DELETE FROM monitoring_alert');
}

export async function fullRun(t: TestApp, options: Parameters<typeof runMonitoring>[2] = {}) {
  const { row } = await createRun(t.db, county, {
    kind: 'full',
    regionCode: regions.county,
    asOf: AS_OF,
    sourceImportId: null,
  });
  return { id: row.id, outcome: await runMonitoring(t.db, row.id, options) };
}

/** Imports the sample sources, plus a large bill of `stranger`, a person no department of assistance knows. */
export async function importMonitoringSources(t: TestApp, stranger: string) {
  const dir = await seedSources(t);
  const verify = await login(t, 'verify');
  const officer = await login(t, 'county');
  for (const [source, file] of [
    ['medicalClaim', 'medical-claims.csv'],
    ['death', 'deaths.csv'],
    ['disabilityCertificate', 'disability-certificates.csv'],
  ] as const) {
    const response = await upload(t, verify, source, await csvOf(dir, file));
    expect(response.json().status, source).toBe('done');
  }
  // A person no department of assistance knows yet: a large bill makes them a candidate.
  const claims = [
    '记录编号,身份证号码,姓名,医疗机构,诊断名称,疾病编码,就诊类型,入院日期,出院日期,医疗总费用(元),医保支付(元),个人自付(元)',
    `X-1,${stranger},陌生人,孝昌县人民医院,肺恶性肿瘤,C34.9,住院,2025-03-01,2025-03-20,120000.00,58000.00,62000.00`,
  ].join('\n');
  expect((await upload(t, verify, 'medicalClaim', claims, { fileName: 'extra.csv' })).json().status).toBe(
    'done',
  );
  return { verify, officer, dir };
}
