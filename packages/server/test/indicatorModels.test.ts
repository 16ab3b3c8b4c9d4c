/**
 * Indicator models (catalog/indicators) through policy administration: a malformed model is refused
 * at check and publish with a located error; a changed model and its scenarios publish together
 * with an effective date, and activeCatalog() scores with the new model from that date only.
 */
import { readFileSync } from 'node:fs';
import { evaluateIndicators, type HouseholdFacts } from '@doudi/rules';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { addDays, chinaDate } from '../src/domains/registry/registry.model.ts';
import { activeCatalog, diskCatalog } from '../src/domains/rules/activeCatalog.ts';
import { buildUser, regions, seedPeople, TEST_PASSWORD } from './factories.ts';
import { createTestApp, type TestApp, type TestClient } from './testApp.ts';

const FILE = 'indicators/difficultyIndex.yaml';

const VILLAGE = '420921100224';
// Each check compiles the whole catalogue and runs every scenario: tens of seconds under load.
const CHECK_TIMEOUT = 300_000;

/** The fixtures' 82-year-old living alone, whose house has collapsed. */
function elderWithCollapsedHouse(): HouseholdFacts {
  const fixtures = parse(diskFixtures(), { merge: true }) as Record<string, HouseholdFacts>;
  const base = structuredClone(fixtures.ruralElderAlone) as HouseholdFacts & {
    household: Record<string, unknown>;
  };
  base.household.houseCollapsed = true;
  return base;
}

const diskFixtures = () => readFileSync(`${diskCatalog().dir}/scenarios/fixtures.yaml`, 'utf8');

/** Adds one item to the status group, after the disaster item. */
const DISASTER_ITEM = `      - {
          id: disaster,
          label: 受自然灾害影响,
          condition: has(household.disasterAffected) && household.disasterAffected,
          points: 3,
        }
`;
const withCollapseItem = (text: string) =>
  text.replace(
    DISASTER_ITEM,
    `${DISASTER_ITEM}      - {
          id: houseCollapsed,
          label: 住房因灾倒塌,
          condition: has(household.houseCollapsed) && household.houseCollapsed,
          points: 5,
        }
`,
  );

describe('indicator models in policy administration', () => {
  let t: TestApp;
  let county: TestClient;
  let today: string;
  let future: string;
  let baseline: { body: string; scenarioBody: string; scenarioFile: string; kind: string };

  beforeAll(async () => {
    t = await createTestApp(); // migration 010 lets drafts and versions name indicators/ files
    await seedPeople(t.db);
    await buildUser(t.db, 'county', 'countyOfficer', regions.county, { displayName: '县局政策股' });
    county = t.client();
    await county.login('county', TEST_PASSWORD);
    today = chinaDate(new Date());
    future = addDays(today, 30);
    baseline = (await county.request('GET', `/api/policies/file?file=${FILE}`)).json();
  });
  afterAll(() => t.drop());

  it('an indicator model is an editable file with its scenarios beside it', () => {
    expect(baseline).toMatchObject({
      kind: 'indicators',
      scenarioFile: 'indicators/difficultyIndex.scenarios.yaml',
    });
    expect(baseline.scenarioBody).toContain('model: difficultyIndex');
  });

  it(
    'a malformed model is refused at check and at publish with file:line:column',
    async () => {
      // [text replaced, replacement, error code, text on the line the error names (default: the
      // replacement)]; every other located error is covered in packages/rules indicators.test.ts.
      const cases: [string, string, string, string?][] = [
        ['points: 4 }', 'points: 4.5 }', 'not_integer'],
        [
          'min: 15, below: difficultyIndexThreshold',
          'min: 16, below: difficultyIndexThreshold',
          'band_gap',
          'alertColor: green',
        ],
        ['condition: household.wageIncome == 0', 'condition: household.wageIncome', 'wrong_type'],
      ];
      let revision: number | undefined;
      for (const [from, to, code, marker = to] of cases) {
        const body = baseline.body.replace(from, to);
        expect(body).not.toBe(baseline.body);
        const saved = await county.request('PUT', '/api/policies/draft', {
          file: FILE,
          body,
          ...(revision ? { revision } : {}),
        });
        expect(saved.statusCode).toBe(200);
        revision = saved.json().revision as number;
        const check = (await county.request('POST', '/api/policies/draft/check', { file: FILE })).json();
        expect(check.passed).toBe(false);
        const line = body.split('\n').findIndex((l: string) => l.includes(marker)) + 1;
        expect(check.problems).toContainEqual(expect.objectContaining({ file: FILE, code, line }));
        expect(check.problems[0].column).toBeGreaterThan(0);
        const refused = await county.request('POST', '/api/policies/draft/publish', {
          file: FILE,
          effectiveDate: future,
          reason: '错误的修改',
          revision,
        });
        expect(refused.statusCode).toBe(409);
        expect(refused.json().code).toBe('CHECK_FAILED');
      }
      expect((await activeCatalog(t.db, future)).version).toBe(diskCatalog().version);
      const removed = await county.request('DELETE', `/api/policies/draft?file=${FILE}`);
      expect([200, 204]).toContain(removed.statusCode);
    },
    CHECK_TIMEOUT,
  );

  it(
    'a changed model publishes with its scenarios and scores from the effective date',
    async () => {
      const body = withCollapseItem(baseline.body);
      expect(body).not.toBe(baseline.body);
      const scenarioBody = `${baseline.scenarioBody}  - name: "住房因灾倒塌 +5：40 + 5 = 45"
    household: { base: ruralElderAlone, household: { houseCollapsed: true } }
    expect: { status: scored, score: 45, alertColor: red, groups: { status: 17 } }
`;
      // A scenario that disagrees with the model blocks the check.
      const wrong = scenarioBody.replace('score: 45', 'score: 46');
      // Continue any draft an earlier case left (a timed-out run), so this case stands on its own.
      const existing = (await county.request('GET', `/api/policies/file?file=${FILE}`)).json().draft;
      const saved = await county.request('PUT', '/api/policies/draft', {
        file: FILE,
        body,
        scenarioBody: wrong,
        ...(existing ? { revision: existing.revision } : {}),
      });
      expect(saved.statusCode).toBe(200);
      const failing = (await county.request('POST', '/api/policies/draft/check', { file: FILE })).json();
      expect(failing.scenarios.failures).toEqual([
        expect.objectContaining({
          file: 'indicators/difficultyIndex.scenarios.yaml',
          differences: ['difficultyIndex.score: expected 46, got 45'],
        }),
      ]);
      const fixed = await county.request('PUT', '/api/policies/draft', {
        file: FILE,
        body,
        scenarioBody,
        revision: saved.json().revision,
      });
      const passing = (await county.request('POST', '/api/policies/draft/check', { file: FILE })).json();
      expect(passing).toMatchObject({ passed: true, problems: [], scenarios: { failures: [] } });
      const published = await county.request('POST', '/api/policies/draft/publish', {
        file: FILE,
        effectiveDate: future,
        reason: '增加“住房因灾倒塌”指标',
        revision: fixed.json().revision,
      });
      expect(published.statusCode).toBe(200);
      expect(published.json().versions.map((v: { file: string }) => v.file)).toEqual([
        FILE,
        'indicators/difficultyIndex.scenarios.yaml',
      ]);

      const household = elderWithCollapsedHouse();
      const before = await activeCatalog(t.db, addDays(future, -1));
      const after = await activeCatalog(t.db, future);
      expect(before.version).toBe(diskCatalog().version);
      expect(after.overlays.map((o) => o.file)).toEqual([FILE]);
      const [old] = evaluateIndicators(before.catalog, household, future, VILLAGE, {
        models: ['difficultyIndex'],
      });
      const [now] = evaluateIndicators(after.catalog, household, future, VILLAGE, {
        models: ['difficultyIndex'],
      });
      expect(old).toMatchObject({ score: 40, alertColor: 'red' });
      expect(now).toMatchObject({ score: 45, alertColor: 'red' });
      expect(now?.fired.map((f) => f.item)).toContain('houseCollapsed');
      // The policy reading the score sees the new model too.
      const ledger = (await county.request('GET', '/api/policies')).json();
      expect(ledger.files.find((f: { file: string }) => f.file === FILE)).toMatchObject({
        latestVersionNo: 1,
      });
    },
    CHECK_TIMEOUT,
  );
});
