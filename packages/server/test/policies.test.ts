/**
 * Policy administration through the API: draft → check (compile, lint, scenarios) → diff →
 * publish with an effective date; activeCatalog() before and after that date; immutable versions;
 * permissions and region scope.
 */
import { lookupParameter } from '@doudi/rules';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asSystem } from '../src/db/scope.ts';
import { addDays, chinaDate } from '../src/domains/registry/registry.model.ts';
import { activeCatalog, diskCatalog, sha256Hex } from '../src/domains/rules/activeCatalog.ts';
import { buildUser, regions, seedPeople, TEST_PASSWORD } from './factories.ts';
import { createTestApp, type TestApp, type TestClient } from './testApp.ts';

const STANDARD = 'parameters/dibaoStandardRural.yaml';
const VILLAGE = '420921100224';

function standardOn(catalog: Awaited<ReturnType<typeof activeCatalog>>, date: string): number {
  const parameter = catalog.catalog.parameters.get('dibaoStandardRural');
  if (!parameter) throw new Error('no dibaoStandardRural');
  return Number(lookupParameter(parameter, date, VILLAGE).value);
}

/** The county's override with one more dated value (keeps every existing line). */
const withCountyValue = (text: string, date: string, fen: number) =>
  text.replace(/( {6}2025-01-01: 59000\n)/, `$1      ${date}: ${fen}\n`);

// Each check compiles the whole catalogue: seconds each on a loaded two-core machine.
const CHECK_TIMEOUT = 120_000;

describe('policy administration', () => {
  let t: TestApp;
  let county: TestClient;
  let caseworker: TestClient;
  let today: string;
  let future: string;
  let baselineText: string;

  beforeAll(async () => {
    t = await createTestApp();
    await seedPeople(t.db);
    await buildUser(t.db, 'county', 'countyOfficer', regions.county, { displayName: '县局政策股' });
    await buildUser(t.db, 'townofficer', 'countyOfficer', regions.huayuan);
    county = t.client();
    await county.login('county', TEST_PASSWORD);
    caseworker = t.client();
    await caseworker.login('huayuan', TEST_PASSWORD);
    today = chinaDate(new Date());
    future = addDays(today, 30);
    baselineText = (await county.request('GET', `/api/policies/file?file=${STANDARD}`)).json().body;
  });
  afterAll(() => t.drop());

  it(
    'caseworkers read the ledger; residents cannot; only officers edit',
    async () => {
      const ledger = await caseworker.request('GET', '/api/policies');
      expect(ledger.statusCode).toBe(200);
      const body = ledger.json();
      expect(body.policies.length).toBeGreaterThanOrEqual(30);
      expect(body.version).toBe(diskCatalog().version);
      expect(body.policies.find((p: { id: string }) => p.id === 'dibao')).toMatchObject({
        name: { zh: '最低生活保障' },
        department: '民政',
        versionNo: 0,
        scheduled: null,
      });
      const resident = t.client();
      await resident.login('resident', TEST_PASSWORD);
      expect((await resident.request('GET', '/api/policies')).statusCode).toBe(403);
      const save = await caseworker.request('PUT', '/api/policies/draft', {
        file: STANDARD,
        body: baselineText,
      });
      expect(save.statusCode).toBe(403);
      const auditor = t.client();
      await auditor.login('auditor', TEST_PASSWORD);
      expect(
        (await auditor.request('PUT', '/api/policies/draft', { file: STANDARD, body: baselineText }))
          .statusCode,
      ).toBe(403);
    },
    CHECK_TIMEOUT,
  );

  it(
    'a failing scenario blocks publishing; the fixed draft publishes from a future date',
    async () => {
      // Raising the 2025 value changes every dibao amount the scenarios expect.
      const retroactive = baselineText.replace('2025-01-01: 59000', '2025-01-01: 61000');
      let draft = await county.request('PUT', '/api/policies/draft', { file: STANDARD, body: retroactive });
      expect(draft.statusCode).toBe(200);
      expect(draft.json()).toMatchObject({ revision: 1, stale: false });
      const failing = (await county.request('POST', '/api/policies/draft/check', { file: STANDARD })).json();
      expect(failing.passed).toBe(false);
      expect(failing.scenarios.total).toBeGreaterThanOrEqual(138);
      expect(failing.scenarios.failures.some((f: { policy: string }) => f.policy === 'dibao')).toBe(true);
      const refused = await county.request('POST', '/api/policies/draft/publish', {
        file: STANDARD,
        effectiveDate: future,
        reason: '提高低保标准',
        revision: 1,
      });
      expect(refused.statusCode).toBe(409);
      expect(refused.json().code).toBe('CHECK_FAILED');

      // The fix: the old value stays, the new standard applies from the effective date.
      const raised = withCountyValue(baselineText, future, 62000);
      expect(raised).not.toBe(baselineText);
      draft = await county.request('PUT', '/api/policies/draft', {
        file: STANDARD,
        body: raised,
        revision: 1,
      });
      expect(draft.json().revision).toBe(2);
      const passing = (await county.request('POST', '/api/policies/draft/check', { file: STANDARD })).json();
      expect(passing).toMatchObject({ passed: true, problems: [], scenarios: { failures: [] } });

      const diff = (await county.request('GET', `/api/policies/draft/diff?file=${STANDARD}`)).json();
      expect(diff.base.versionNo).toBe(0);
      const changed = diff.hunks
        .flatMap((h: { lines: string[] }) => h.lines)
        .filter((l: string) => l[0] !== ' ');
      expect(changed).toEqual([`+      ${future}: 62000`]);

      const published = await county.request('POST', '/api/policies/draft/publish', {
        file: STANDARD,
        effectiveDate: future,
        reason: '县政府常务会议决定提高农村低保标准',
        revision: 2,
      });
      expect(published.statusCode).toBe(200);
      expect(published.json().versions).toEqual([
        expect.objectContaining({
          file: STANDARD,
          versionNo: 1,
          effectiveFrom: future,
          sha256: sha256Hex(raised),
          baseSha256: sha256Hex(baselineText),
          publishedByName: '县局政策股',
          regionCode: regions.county,
        }),
      ]);

      // The draft is gone; the file shows the version and the ledger shows it scheduled.
      const file = (await county.request('GET', `/api/policies/file?file=${STANDARD}`)).json();
      expect(file).toMatchObject({ draft: null, versionNo: 1, inForceToday: 0, body: raised });
      expect(file.versions.map((v: { versionNo: number }) => v.versionNo)).toEqual([1]);
      // A township caseworker cannot read the county officer's account, but sees who published.
      const seen = (await caseworker.request('GET', `/api/policies/file?file=${STANDARD}`)).json();
      expect(seen.versions[0]).toMatchObject({ versionNo: 1, publishedByName: '县局政策股' });
      expect(seen.draft).toBeNull();
      const historic = (
        await caseworker.request('GET', `/api/policies/version?file=${STANDARD}&versionNo=0`)
      ).json();
      expect(historic).toMatchObject({ baseline: true, body: baselineText });
      const v1 = (
        await caseworker.request('GET', `/api/policies/version?file=${STANDARD}&versionNo=1`)
      ).json();
      expect(v1).toMatchObject({
        baseline: false,
        body: raised,
        reason: '县政府常务会议决定提高农村低保标准',
      });
      expect(
        (await caseworker.request('GET', `/api/policies/version?file=${STANDARD}&versionNo=9`)).statusCode,
      ).toBe(404);

      const audit = await t.db.query<{ action: string; after: { effectiveFrom: string } }>(
        `SELECT action, after FROM audit_log WHERE entity_type IN ('policy_draft', 'policy_version') ORDER BY seq`,
      );
      expect(audit.rows.map((r) => r.action)).toEqual([
        'policy.draft.save',
        'policy.draft.save',
        'policy.publish',
      ]);
      expect(audit.rows[2]?.after.effectiveFrom).toBe(future);
    },
    CHECK_TIMEOUT,
  );

  it(
    'activeCatalog answers with the old values before the effective date and the new ones from it',
    async () => {
      const before = await activeCatalog(t.db, addDays(future, -1));
      const after = await activeCatalog(t.db, future);
      expect(before.version).toBe(diskCatalog().version);
      expect(standardOn(before, future)).toBe(59000);
      expect(after.version).toMatch(/^pv-[0-9a-f]{12}$/);
      expect(after.overlays).toEqual([
        { file: STANDARD, versionNo: 1, sha256: expect.any(String), effectiveFrom: future },
      ]);
      expect(standardOn(after, future)).toBe(62000);
      expect(standardOn(after, addDays(future, -1))).toBe(59000); // the file's own dates still count
      expect(await activeCatalog(t.db, addDays(future, 400))).toBe(after); // cached by version string
      const api = (await caseworker.request('GET', `/api/policies/catalog?date=${future}`)).json();
      expect(api).toMatchObject({ version: after.version, overlays: after.overlays });
      // Readable inside a township caseworker's scoped transaction too (rules are public).
      const scoped = await t.db.transaction(async (tx) => {
        await tx.query('SET LOCAL ROLE doudi_app');
        await tx.query(`SELECT set_config('doudi.scope', '420921100', true)`);
        return activeCatalog(tx, future);
      });
      expect(scoped.version).toBe(after.version);
    },
    CHECK_TIMEOUT,
  );

  it(
    'published versions cannot be changed or deleted, even by the owner role',
    async () => {
      for (const sql of [
        `UPDATE policy_version SET body = 'x'`,
        'DELETE FROM policy_version',
        'TRUNCATE policy_version',
      ]) {
        await expect(asSystem(t.db, (tx) => tx.query(sql))).rejects.toThrow(/immutable/);
      }
      await expect(
        t.db.transaction(async (tx) => {
          await tx.query('SET LOCAL ROLE doudi_app');
          await tx.query(`SELECT set_config('doudi.scope', '420921', true)`);
          await tx.query(`UPDATE policy_version SET reason = 'x'`);
        }),
      ).rejects.toThrow(/permission denied|immutable/);
      const rows = await t.db.query<{ count: number }>('SELECT count(*)::int AS count FROM policy_version');
      expect(rows.rows[0]?.count).toBe(1);
    },
    CHECK_TIMEOUT,
  );

  it(
    'refuses a past effective date and one before an already scheduled version',
    async () => {
      const current = (await county.request('GET', `/api/policies/file?file=${STANDARD}`)).json()
        .body as string;
      const saved = await county.request('PUT', '/api/policies/draft', {
        file: STANDARD,
        body: current.replace(`${future}: 62000`, `${future}: 63000`),
      });
      expect(saved.statusCode).toBe(200);
      const past = await county.request('POST', '/api/policies/draft/publish', {
        file: STANDARD,
        effectiveDate: addDays(today, -1),
        reason: '补发',
        revision: saved.json().revision,
      });
      expect(past.statusCode).toBe(400);
      expect(past.json()).toMatchObject({ field: 'effectiveDate' });
      const beforeScheduled = await county.request('POST', '/api/policies/draft/publish', {
        file: STANDARD,
        effectiveDate: today,
        reason: '提前施行',
        revision: saved.json().revision,
      });
      expect(beforeScheduled.statusCode).toBe(400);
      expect(beforeScheduled.json().message).toContain(future);
      // Saving over a draft needs its revision (no silent lost update).
      const blind = await county.request('PUT', '/api/policies/draft', { file: STANDARD, body: current });
      expect(blind.statusCode).toBe(409);
      expect(blind.json().code).toBe('DRAFT_CHANGED');
      expect((await county.request('DELETE', `/api/policies/draft?file=${STANDARD}`)).statusCode).toBe(200);
      expect((await county.request('DELETE', `/api/policies/draft?file=${STANDARD}`)).statusCode).toBe(404);
    },
    CHECK_TIMEOUT,
  );

  it(
    'a county changes only its own region: province values and township officers are refused',
    async () => {
      const current = (await county.request('GET', `/api/policies/file?file=${STANDARD}`)).json()
        .body as string;
      const provincial = current.replace('2024-01-01: 54000', '2024-01-01: 55000');
      const saved = await county.request('PUT', '/api/policies/draft', { file: STANDARD, body: provincial });
      const check = (await county.request('POST', '/api/policies/draft/check', { file: STANDARD })).json();
      expect(check.passed).toBe(false);
      expect(check.problems).toContainEqual(
        expect.objectContaining({ code: 'out_of_scope', file: STANDARD }),
      );
      const refused = await county.request('POST', '/api/policies/draft/publish', {
        file: STANDARD,
        effectiveDate: future,
        reason: '改省标准',
        revision: saved.json().revision,
      });
      expect(refused.json().code).toBe('CHECK_FAILED');
      await county.request('DELETE', `/api/policies/draft?file=${STANDARD}`);

      const town = t.client();
      await town.login('townofficer', TEST_PASSWORD);
      const townDraft = await town.request('PUT', '/api/policies/draft', { file: STANDARD, body: current });
      expect(townDraft.statusCode).toBe(200);
      const townPublish = await town.request('POST', '/api/policies/draft/publish', {
        file: STANDARD,
        effectiveDate: future,
        reason: '乡镇不能发布',
        revision: 1,
      });
      expect(townPublish.statusCode).toBe(403);
      // Drafts are shared within a region only: the county does not see the township's draft.
      expect((await county.request('GET', `/api/policies/file?file=${STANDARD}`)).json().draft).toBeNull();
    },
    CHECK_TIMEOUT,
  );

  it(
    'a policy and its scenarios are edited and published together',
    async () => {
      const file = 'policies/dibao.yaml';
      const detail = (await county.request('GET', `/api/policies/file?file=${file}`)).json();
      expect(detail.policy).toMatchObject({ id: 'dibao', department: '民政', amount: { unit: 'fen/month' } });
      expect(detail.policy.conditions.length).toBeGreaterThanOrEqual(9);
      const body = (detail.body as string).replace(
        'office: 孝昌县民政局社会救助股',
        'office: 孝昌县民政局社会救助服务中心',
      );
      const wrongScenario = (detail.scenarioBody as string).replace('amountFen: 99800', 'amountFen: 99900');
      await county.request('PUT', '/api/policies/draft', { file, body, scenarioBody: wrongScenario });
      const failing = (await county.request('POST', '/api/policies/draft/check', { file })).json();
      expect(failing.scenarios.failures).toEqual([
        expect.objectContaining({
          file: 'policies/dibao.scenarios.yaml',
          differences: ['dibao.amountFen: expected 99900, got 99800'],
        }),
      ]);
      const fixedScenario = (detail.scenarioBody as string).replace(
        '农村高龄夫妇，补差加分类施保',
        '农村高龄夫妇：补差加分类施保',
      );
      await county.request('PUT', '/api/policies/draft', {
        file,
        body,
        scenarioBody: fixedScenario,
        revision: 1,
      });
      // Saving the policy text alone keeps the drafted scenarios.
      const again = await county.request('PUT', '/api/policies/draft', { file, body, revision: 2 });
      expect(again.json()).toMatchObject({ revision: 3, scenarioBody: fixedScenario });
      const diff = (await county.request('GET', `/api/policies/draft/diff?file=${file}`)).json();
      expect(diff.scenarioHunks.length).toBe(1);
      const published = await county.request('POST', '/api/policies/draft/publish', {
        file,
        effectiveDate: today,
        reason: '经办机构更名',
        revision: 3,
      });
      expect(published.statusCode).toBe(200);
      expect(published.json().versions.map((v: { file: string }) => v.file)).toEqual([
        'policies/dibao.yaml',
        'policies/dibao.scenarios.yaml',
      ]);
      const ledger = (await caseworker.request('GET', '/api/policies')).json();
      expect(ledger.policies.find((p: { id: string }) => p.id === 'dibao')).toMatchObject({
        versionNo: 1,
        effectiveFrom: today,
      });
      // Scenario texts are tests, not rules: the catalogue version counts only the policy file.
      expect((await activeCatalog(t.db, today)).overlays.map((o) => o.file)).toEqual(['policies/dibao.yaml']);
    },
    CHECK_TIMEOUT,
  );

  it(
    'with a second county in the deployment a county may no longer publish policy files',
    async () => {
      await asSystem(t.db, (tx) =>
        tx.query(
          `INSERT INTO region (code, original_code, name, level, parent_code) VALUES ('420922000000', '420922', '大悟县', 3, $1)`,
          [regions.city],
        ),
      );
      const file = 'policies/elderlyAllowance.yaml';
      const body = (await county.request('GET', `/api/policies/file?file=${file}`)).json().body as string;
      await county.request('PUT', '/api/policies/draft', { file, body: `${body}\n# 备注\n` });
      const check = (await county.request('POST', '/api/policies/draft/check', { file })).json();
      expect(check.problems).toEqual([expect.objectContaining({ code: 'out_of_scope' })]);
    },
    CHECK_TIMEOUT,
  );
});
