import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../catalog/loadCatalog.ts';
import type { CatalogSources } from '../catalog/types.ts';
import { RuleLoadError } from '../errors.ts';
import { evaluate } from '../evaluate/evaluate.ts';
import { evaluateIndicators, evaluateIndicatorsBatch, UNKNOWN_ALERT_COLOR } from './evaluateIndicators.ts';
import { IndicatorWorkerPool } from './indicatorPool.ts';
import { ALERT_COLORS } from './parseModel.ts';

const facts = {
  'facts.yaml': `
household:
  income: { type: int, unit: fen/month }
  vehicles: { type: int }
  flooded: { type: bool }
member:
  age: { type: int }
  ill: { type: bool }
  away: { type: bool }
`,
};
const parameters = {
  'parameters/redLine.yaml': 'description: 红线\nunit: point\nreference: r\nvalues:\n  2025-01-01: 10\n',
};
const variables = {
  'variables/v.yaml': `
counted:
  entity: member
  type: bool
  formula: '!has(member.away) || !member.away'
poorLabel:
  entity: household
  type: bool
  formula: household.riskScore >= param.redLine
`,
};

const MODEL = `id: risk
name: { zh: 风险模型, en: Risk model }
version: "1"
variable: riskScore
members: member.counted
groups:
  - id: income
    label: 收入组
    items:
      - { id: lowIncome, label: 收入低, condition: household.income < 50000, points: 6 }
      - { id: vehicle, label: 有车, condition: household.vehicles > 0, points: -5 }
  - id: medical
    label: 医疗组
    max: 8
    items:
      - id: ill
        label: 家庭成员患病
        perMember: true
        aggregation: sum
        condition: member.ill
        points: 4
      - { id: elder, label: 有老人, perMember: true, aggregation: any, condition: member.age >= 60, points: 2 }
  - id: housing
    label: 住房组
    items:
      - { id: flooded, label: 住房受淹, condition: household.flooded, points: 3, requires: [household.flooded] }
bands:
  - { alertColor: red, label: 红色, min: redLine }
  - { alertColor: yellow, label: 黄色, min: 5, below: redLine }
  - { alertColor: green, label: 绿色, below: 5 }
`;

const sources = (model = MODEL, extra: Partial<CatalogSources> = {}): Partial<CatalogSources> => ({
  facts,
  parameters,
  variables,
  indicators: { 'indicators/risk.yaml': model },
  ...extra,
});

const D = '2025-06-01';
const R = '420921100224';
const home = (household: Record<string, unknown>, members: Record<string, unknown>[]) => ({
  household: { income: 100000, vehicles: 0, flooded: false, ...household },
  members,
});

function loadError(model: string): RuleLoadError {
  try {
    loadCatalog(sources(model));
  } catch (error) {
    if (error instanceof RuleLoadError) return error;
    throw error;
  }
  throw new Error('loaded without error');
}

describe('indicator models: loading', () => {
  it('compiles a model and exposes its score as a household variable', () => {
    const catalog = loadCatalog(sources());
    expect(catalog.indicators.map((m) => m.id)).toEqual(['risk']);
    expect(catalog.variables.get('riskScore')?.type).toBe('int');
    expect(catalog.variableOrder.indexOf('riskScore')).toBeLessThan(
      catalog.variableOrder.indexOf('poorLabel'),
    );
    expect(catalog.indicators[0]?.variables).toEqual(['counted']);
    expect(catalog.indicators[0]?.parameters).toEqual(['redLine']);
  });

  // [text replaced, replacement, error code, text on the line the error must name (default: the replacement)]
  it.each([
    ['points: 6 }', 'points: 6.5 }', 'not_integer'],
    ['{ id: vehicle,', '{ pionts: 1, id: vehicle,', 'unknown_field'],
    ['{ id: elder,', '{ id: ill,', 'duplicate_name'],
    ['condition: household.vehicles > 0', 'condition: household.vehicles', 'wrong_type'],
    ['condition: household.flooded,', 'condition: household.floded,', 'type error'],
    ['min: 5, below: redLine', 'min: 4, below: redLine', 'band_gap', 'alertColor: green'],
    [
      '{ alertColor: green, label: 绿色, below: 5 }',
      '{ alertColor: green, label: 绿色, below: 6 }',
      'band_gap',
    ],
    [
      '{ alertColor: red, label: 红色, min: redLine }',
      '{ alertColor: red, label: 红色, min: 7 }',
      'band_gap',
      'alertColor: yellow',
    ],
    ['alertColor: red,', 'alertColor: purple,', 'bad_field'],
    ['requires: [household.flooded]', 'requires: [member.age]', 'bad_required_fact'],
    ['min: 5, below: redLine', 'min: 5, below: nosuch', 'unknown_parameter'],
  ])('refuses %s → %s with a located %s', (from, to, code, marker = to) => {
    const model = MODEL.replace(from, to);
    expect(model).not.toBe(MODEL);
    const error = loadError(model);
    expect(error.file).toBe('indicators/risk.yaml');
    if (code === 'type error') expect(error.message).toContain('floded');
    else expect(error.code).toBe(code);
    expect(error.line).toBe(model.split('\n').findIndex((l) => l.includes(marker)) + 1);
    expect(error.column).toBeGreaterThan(0);
  });

  it('refuses overlapping bands and a second open band', () => {
    const overlap = MODEL.replace(
      '{ alertColor: yellow, label: 黄色, min: 5, below: redLine }',
      '{ alertColor: yellow, label: 黄色, min: 5, below: redLine }\n  - { alertColor: blue, label: 蓝色, min: 5, below: 9 }',
    );
    expect(loadError(overlap).code).toBe('band_overlap');
    const twoOpen = MODEL.replace(
      '{ alertColor: red, label: 红色, min: redLine }',
      '{ alertColor: red, label: 红色, min: redLine }\n  - { alertColor: blue, label: 蓝色, min: 100 }',
    );
    expect(loadError(twoOpen).code).toBe('band_overlap');
  });

  it('refuses a score variable named like a fact, and a model reading its own score', () => {
    expect(loadError(MODEL.replace('variable: riskScore', 'variable: income')).code).toBe('duplicate_name');
    const cyclic = MODEL.replace('condition: household.income < 50000', 'condition: household.riskScore < 3');
    expect(loadError(cyclic).code).toBe('dependency_cycle');
  });

  it('bounds hostile models: deep nesting and huge literals are refused at load', () => {
    const deep = MODEL.replace(
      'household.income < 50000',
      `${'('.repeat(400)}household.income < 50000${')'.repeat(400)}`,
    );
    expect(() => loadCatalog(sources(deep))).toThrow(RuleLoadError);
    const long = MODEL.replace(
      'household.income < 50000',
      `household.income < 50000 || ${'household.income == 1 || '.repeat(5000)}false`,
    );
    expect(() => loadCatalog(sources(long))).toThrow(RuleLoadError);
  });
});

describe('indicator models: evaluation', () => {
  const catalog = loadCatalog(sources());

  it('scores groups, sums per-member items, caps a group, picks the band', () => {
    const household = home({ income: 30000 }, [
      { age: 70, ill: true },
      { age: 65, ill: true },
      { age: 30, ill: true },
      { age: 40, ill: true, away: true },
    ]);
    const [r] = evaluateIndicators(catalog, household, D, R);
    expect(r).toMatchObject({
      modelId: 'risk',
      status: 'scored',
      score: 14,
      alertColor: 'red',
      missingFacts: [],
    });
    expect(r?.groups).toEqual([
      { id: 'income', label: '收入组', score: 6, capped: false },
      { id: 'medical', label: '医疗组', score: 8, capped: true },
      { id: 'housing', label: '住房组', score: 0, capped: false },
    ]);
    expect(r?.fired.find((f) => f.item === 'ill')).toMatchObject({ points: 12, members: [0, 1, 2] });
    expect(r?.traceZh).toContain(
      '医疗组 +8（已按本组上下限封顶）：家庭成员患病 +12（第 1、2、3 位成员）；有老人 +2（第 1、2 位成员）',
    );
    expect(r?.traceZh?.at(-1)).toBe('合计 14 分 → 红色：红色');
  });

  it('averages per member and over the household when the model says so', () => {
    const averaged = MODEL.replace('aggregation: sum', 'aggregation: average').replace(
      'groups:',
      'scoring: perMemberAverage\ngroups:',
    );
    const c = loadCatalog(sources(averaged));
    expect(c.variables.get('riskScore')?.type).toBe('double');
    const [r] = evaluateIndicators(
      c,
      home({ income: 30000 }, [
        { age: 30, ill: true },
        { age: 30, ill: false },
        { age: 30, ill: false },
      ]),
      D,
      R,
    );
    // ill: 4 × 1/3 = 1.33; total (6 + 1.33) / 3 counted members = 2.44
    expect(r?.score).toBe(2.44);
    expect(r?.alertColor).toBe('green');
  });

  it('reports missing facts: the item scores 0, the range says what it could be, the band only when certain', () => {
    const missingIllness = home({ income: 30000, vehicles: 0 }, [{ age: 30 }]);
    const [a] = evaluateIndicators(catalog, missingIllness, D, R);
    expect(a).toMatchObject({
      status: 'incomplete',
      score: 6,
      scoreRange: { min: 6, max: 10 },
      alertColor: null,
    });
    expect(a?.possibleAlertColors).toEqual(['yellow', 'red']);
    expect(a?.missingFacts).toEqual(['members[0].ill']);
    expect(a?.traceZh?.at(-1)).toContain('暂不定档');
    // `any`: one member meeting the condition settles the item, whatever another member lacks.
    const settled = home({}, [
      { age: 70, ill: false },
      { age: null, ill: false },
    ]);
    expect(evaluateIndicators(catalog, settled, D, R)[0]).toMatchObject({ status: 'scored', score: 2 });
    // Required fact absent: the guarded condition alone would have said false.
    const [b] = evaluateIndicators(
      catalog,
      home({ income: 90000, flooded: null }, [{ age: 30, ill: false }]),
      D,
      R,
    );
    expect(b).toMatchObject({
      status: 'incomplete',
      score: 0,
      scoreRange: { min: 0, max: 3 },
      alertColor: 'green',
    });
    expect(b?.missingItems).toEqual([{ group: 'housing', item: 'flooded', facts: ['household.flooded'] }]);
    // A policy reading the score asks for the facts instead of using a partial score.
    const policy = `id: p\nname: { zh: 测试, en: Test }\nreference: r\nconditions:\n  - id: c\n    expression: household.poorLabel\n    explanation: 说明\n`;
    const withPolicy = loadCatalog(sources(MODEL, { policies: { 'policies/p.yaml': policy } }));
    const [decision] = evaluate(withPolicy, missingIllness, D, R);
    expect(decision).toMatchObject({ status: 'needsInformation', missingFacts: ['members[0].ill'] });
    const [known] = evaluate(withPolicy, home({ income: 30000 }, [{ age: 30, ill: true }]), D, R);
    expect(known?.status).toBe('eligible');
  });

  it('batch results equal one-by-one results', () => {
    const households = Array.from({ length: 200 }, (_, i) =>
      home(
        {
          income: (i * 7919) % 120000,
          vehicles: i % 5 === 0 ? 1 : 0,
          flooded: i % 7 === 0 ? null : i % 3 === 0,
        },
        [
          { age: 20 + (i % 70), ill: i % 4 === 0 },
          ...(i % 2 ? [{ age: 70, ill: i % 11 === 0 ? null : true, away: i % 9 === 0 }] : []),
        ],
      ),
    );
    const batch = evaluateIndicatorsBatch(catalog, households, D, R, {
      detailColours: { risk: ['red', 'yellow'] },
    });
    expect(batch.modelIds).toEqual(['risk']);
    let detailed = 0;
    households.forEach((h, i) => {
      const [one] = evaluateIndicators(catalog, h, D, R);
      expect(batch.scores[i]).toBe(one?.score);
      expect(batch.alertColors[i]).toBe(
        one?.alertColor ? ALERT_COLORS.indexOf(one.alertColor) : UNKNOWN_ALERT_COLOR,
      );
      // The detail (what an alert's evidence shows) is the traced path's, for the colours asked.
      const detail = batch.details.get(i);
      if (one?.alertColor === 'red' || one?.alertColor === 'yellow') {
        detailed += 1;
        expect(detail).toEqual({
          score: one.score,
          bandLabel: one.bandLabel,
          groups: one.groups,
          fired: one.fired,
        });
      } else expect(detail).toBeUndefined();
    });
    expect(detailed).toBeGreaterThan(20);
    // Without detailColours, no second scoring.
    expect(evaluateIndicatorsBatch(catalog, households, D, R).details.size).toBe(0);
  });

  it('colour-only batches skip items worth 0 points: same scores, colours and details', () => {
    // Zeroed items (as calibration leaves them), one lacking a fact on some households.
    const zeroed = loadCatalog(
      sources(
        MODEL.replace(
          '      - { id: vehicle,',
          '      - { id: noted, label: 记录项, condition: household.income < 80000, points: 0 }\n' +
            '      - { id: vehicle,',
        ).replace(
          '  - id: housing',
          '      - { id: aged, label: 高龄, perMember: true, aggregation: sum, condition: member.age >= 80, points: 0 }\n' +
            '      - { id: illNoted, label: 患病（记录）, perMember: true, aggregation: sum, condition: member.ill, points: 0 }\n' +
            '  - id: housing',
        ),
      ),
    );
    const households = Array.from({ length: 300 }, (_, i) =>
      home(
        { income: (i * 7919) % 120000, vehicles: i % 5 === 0 ? 1 : 0, flooded: i % 7 === 0 ? null : false },
        [
          { age: 20 + (i % 75), ill: i % 4 === 0 },
          ...(i % 2 ? [{ age: 85, ill: i % 11 === 0 ? null : true, away: i % 9 === 0 }] : []),
        ],
      ),
    );
    const options = { detailColours: { risk: ['red', 'yellow'] as const } };
    const all = evaluateIndicatorsBatch(zeroed, households, D, R, options);
    const colourOnly = evaluateIndicatorsBatch(zeroed, households, D, R, { ...options, colourOnly: true });
    expect(colourOnly.scores).toEqual(all.scores);
    expect(colourOnly.alertColors).toEqual(all.alertColors);
    expect(colourOnly.details).toEqual(all.details);
    expect(all.details.size).toBeGreaterThan(20);
    // The zero-point items are in the evidence (fired), as on the traced path.
    expect([...all.details.values()].some((d) => d.fired.some((f) => f.item === 'noted'))).toBe(true);
  });

  it('on worker threads: the same scores, colours and details, in input order', async () => {
    const households = Array.from({ length: 700 }, (_, i) =>
      home({ income: (i * 7919) % 120000, vehicles: i % 5 === 0 ? 1 : 0 }, [
        { age: 20 + (i % 70), ill: i % 4 === 0 },
        ...(i % 2 ? [{ age: 70, ill: i % 11 === 0 ? null : true }] : []),
      ]),
    );
    households[3] = home({ income: 'lots' }, []); // malformed: that household only fails
    const options = { detailColours: { risk: ['red', 'yellow'] as const } };
    const local = evaluateIndicatorsBatch(catalog, households, D, R, options);
    const pool = new IndicatorWorkerPool(sources() as CatalogSources, {
      size: 2,
      decoder: new URL('../evaluate/jsonDecoder.fixture.ts', import.meta.url),
    });
    try {
      const items = households.map((h) => JSON.stringify(h));
      const pooled = await pool.evaluateItems(items, D, R, options);
      expect(pooled.householdCount).toBe(700);
      expect([...pooled.scores]).toEqual([...local.scores]);
      expect([...pooled.alertColors]).toEqual([...local.alertColors]);
      expect([...pooled.statuses]).toEqual([...local.statuses]);
      expect(pooled.statuses[3]).toBe(2);
      expect(pooled.details.size).toBeGreaterThan(50);
      expect(pooled.details).toEqual(local.details);
      expect((await pool.evaluateItems([], D, R, options)).householdCount).toBe(0);
      expect(pool.busyMs).toBeGreaterThan(0);
    } finally {
      await pool.close();
    }
  }, 60_000);

  it('a malformed household fails that household only', () => {
    const batch = evaluateIndicatorsBatch(catalog, [home({ income: 'lots' }, []), home({}, [])], D, R);
    expect(Number.isNaN(batch.scores[0])).toBe(true);
    expect(batch.statuses[0]).toBe(2);
    expect(batch.statuses[1]).toBe(0);
  });
});
