/**
 * The trigger file published through policy versions (issue 7, triggers as data): a county officer
 * drafts triggers/triggers.yaml, the check refuses a malformed trigger with its file, line and column
 * (and publishing is refused), a correct draft is published with a version, and the monitoring run
 * created afterwards records and uses the published triggers.
 */
import { makeIdNumber } from '@doudi/rules';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMonitoring } from '../src/domains/monitoring/monitoring.run.ts';
import { createRun } from '../src/domains/monitoring/monitoring.service.ts';
import {
  loadTriggers,
  TRIGGER_FILE,
  triggersOf,
  triggersVersion,
} from '../src/domains/monitoring/triggers.ts';
import { chinaDate } from '../src/domains/registry/registry.model.ts';
import { activeCatalog, diskCatalog } from '../src/domains/rules/activeCatalog.ts';
import { regions } from './factories.ts';
import { county, importMonitoringSources } from './monitoringFactories.ts';
import { createTestApp, type TestApp, type TestClient } from './testApp.ts';

const CHECK_TIMEOUT = 180_000;

/** A trigger appended to the release's file: every inpatient stay in ten years (yellow). */
const INPATIENT = `
  - id: inpatientStay
    label: 住院治疗
    source: medicalClaim
    date: dischargeDate
    windowMonths: 120
    condition: record.inpatient
    colour: yellow
    summary: "{name}于{date}出院（{hospital}）"
`;

describe('triggers published as policy versions', () => {
  let t: TestApp;
  let officer: TestClient;
  let baseline: string;
  const today = chinaDate(new Date());
  let revision: number | undefined;
  /** Saves the shared draft with the revision last seen (a second officer's save would be refused). */
  const saveDraft = async (body: string) => {
    const r = await officer.request('PUT', '/api/policies/draft', { file: TRIGGER_FILE, body, revision });
    expect(r.statusCode, r.body).toBe(200);
    revision = r.json().revision;
    return r;
  };

  beforeAll(async () => {
    t = await createTestApp();
    ({ officer } = await importMonitoringSources(t, makeIdNumber('420921', '1979-03-04', 992)));
    const file = await officer.request('GET', `/api/policies/file?file=${TRIGGER_FILE}`);
    expect(file.statusCode, file.body).toBe(200);
    expect(file.json()).toMatchObject({ kind: 'triggers', versionNo: 0, scenarioFile: null });
    baseline = file.json().body;
  }, 180_000);
  afterAll(() => t.drop());

  it('lists the trigger file in the ledger; other paths under triggers/ are not editable', async () => {
    const ledger = (await officer.request('GET', '/api/policies')).json();
    expect(ledger.files.map((f: { file: string }) => f.file)).toContain(TRIGGER_FILE);
    for (const file of ['triggers/other.yaml', 'triggers/../policies/dibao.yaml', 'triggers/triggers.yml'])
      expect(
        (await officer.request('PUT', '/api/policies/draft', { file, body: baseline })).statusCode,
        file,
      ).toBe(400);
  });

  it(
    'refuses a malformed trigger at check and at publish, naming file, line and column',
    async () => {
      const broken = `${baseline.trimEnd()}\n${INPATIENT.replace('record.inpatient', 'record.inpatent == true')}`;
      const line = broken.split('\n').findIndex((l) => l.includes('record.inpatent')) + 1;
      const saved = await saveDraft(broken);
      const check = (
        await officer.request('POST', '/api/policies/draft/check', { file: TRIGGER_FILE })
      ).json();
      expect(check.passed).toBe(false);
      expect(check.problems).toEqual([
        expect.objectContaining({ file: TRIGGER_FILE, line, column: expect.any(Number), code: 'type_error' }),
      ]);
      expect(check.problems[0].column).toBeGreaterThan(15);
      const refused = await officer.request('POST', '/api/policies/draft/publish', {
        file: TRIGGER_FILE,
        effectiveDate: today,
        reason: '新增住院触发',
        revision: saved.json().revision,
      });
      expect(refused.statusCode).toBe(409);
      expect(refused.json().code).toBe('CHECK_FAILED');
      // An unknown indicator model, a duplicate id, a bad colour: each located.
      for (const [bad, code] of [
        [baseline.replace('model: xiaochang', 'model: nosuchmodel'), 'unknown_model'],
        [`${baseline.trimEnd()}\n${INPATIENT}${INPATIENT}`, 'duplicate_name'],
        [`${baseline.trimEnd()}\n${INPATIENT.replace('colour: yellow', 'colour: purple')}`, 'bad_field'],
      ] as const) {
        await saveDraft(bad);
        const result = (
          await officer.request('POST', '/api/policies/draft/check', { file: TRIGGER_FILE })
        ).json();
        expect(result.passed, code).toBe(false);
        expect(result.problems[0], code).toMatchObject({ file: TRIGGER_FILE, code });
        expect(result.problems[0].line, code).toBeGreaterThanOrEqual(1);
      }
      expect((await t.db.query(`SELECT 1 FROM policy_version WHERE file = $1`, [TRIGGER_FILE])).rows).toEqual(
        [],
      );
    },
    CHECK_TIMEOUT,
  );

  let runId: string;
  it(
    'publishes a new trigger; the next run records the published version',
    async () => {
      const body = `${baseline.trimEnd()}\n${INPATIENT}`.replace('version: "2025.1"', 'version: "2025.2"');
      const draft = await saveDraft(body);
      const check = (
        await officer.request('POST', '/api/policies/draft/check', { file: TRIGGER_FILE })
      ).json();
      expect(check).toMatchObject({ passed: true, problems: [] });
      const published = await officer.request('POST', '/api/policies/draft/publish', {
        file: TRIGGER_FILE,
        effectiveDate: today,
        reason: '县局决定：住院即预警（试行）',
        revision: draft.json().revision,
      });
      expect(published.statusCode, published.body).toBe(200);
      expect(published.json().versions).toEqual([
        expect.objectContaining({ file: TRIGGER_FILE, versionNo: 1, effectiveFrom: today }),
      ]);

      // In force today, not on an earlier date; the catalogue version moves with it.
      const active = await activeCatalog(t.db, today);
      expect(active.version).not.toBe(diskCatalog().version);
      const set = triggersOf(active);
      expect(set.version).toBe('2025.2');
      expect(set.triggers.map((x) => x.id)).toContain('inpatientStay');
      expect(triggersOf(await activeCatalog(t.db, '2025-06-30')).triggers.map((x) => x.id)).not.toContain(
        'inpatientStay',
      );

      const { row } = await createRun(t.db, county, {
        kind: 'full',
        regionCode: regions.county,
        asOf: today,
        sourceImportId: null,
      });
      expect(row.triggers_version).toBe(triggersVersion(set));
      expect(row.triggers_version).not.toBe(triggersVersion(loadTriggers()));
      expect(row.catalog_version).toBe(active.version);
      runId = row.id;
    },
    CHECK_TIMEOUT,
  );

  it(
    'the run uses the published triggers and raises the new trigger’s alerts',
    async () => {
      const outcome = await runMonitoring(t.db, runId);
      expect(outcome.status).toBe('completed');
      const alerts = await t.db.query<{ summary_zh: string; colour: string }>(
        `SELECT summary_zh, colour FROM monitoring_alert WHERE cause = 'trigger:inpatientStay'`,
      );
      expect(alerts.rows.length).toBeGreaterThanOrEqual(1);
      expect(alerts.rows.every((a) => a.colour === 'yellow' && /出院/.test(a.summary_zh))).toBe(true);
    },
    CHECK_TIMEOUT,
  );
});
