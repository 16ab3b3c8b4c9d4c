/**
 * The figures that take-highest reconciliation (就高原则) decides, under the catalogue's household
 * fact names (catalog/facts/household.yaml), so the approved figures are directly the facts the
 * rules engine reads. Pure: no database.
 *
 * Only income and assets are reconciled this way: for them "the highest" is the prudent reading
 * (a household may forget or hide, a department rarely invents). Rigid expenses and the yes/no
 * questions (public employee, luxury consumption …) stay as declared: taking the highest expense
 * would favour whoever claims most, which is not what the rule is for.
 */

export type FigureUnit = 'fen/month' | 'fen' | 'count';

export interface FigureSpec {
  name: string;
  label: string;
  labelEn: string;
  unit: FigureUnit;
  group: 'income' | 'assets';
}

export const FIGURES: readonly FigureSpec[] = [
  {
    name: 'wageIncome',
    label: '工资性收入（月均）',
    labelEn: 'Wages (monthly)',
    unit: 'fen/month',
    group: 'income',
  },
  {
    name: 'businessIncome',
    label: '经营净收入（月均）',
    labelEn: 'Business income (monthly)',
    unit: 'fen/month',
    group: 'income',
  },
  {
    name: 'agriculturalIncome',
    label: '农业生产净收入（月均）',
    labelEn: 'Farm income (monthly)',
    unit: 'fen/month',
    group: 'income',
  },
  {
    name: 'propertyIncome',
    label: '财产净收入（月均）',
    labelEn: 'Property income (monthly)',
    unit: 'fen/month',
    group: 'income',
  },
  {
    name: 'remittanceIncome',
    label: '务工寄回收入（月均）',
    labelEn: 'Remittances (monthly)',
    unit: 'fen/month',
    group: 'income',
  },
  {
    name: 'pensionIncome',
    label: '计入收入的养老金（月均）',
    labelEn: 'Counted pensions (monthly)',
    unit: 'fen/month',
    group: 'income',
  },
  {
    name: 'transferIncome',
    label: '其他转移净收入（月均）',
    labelEn: 'Other transfers (monthly)',
    unit: 'fen/month',
    group: 'income',
  },
  {
    name: 'financialAssets',
    label: '家庭金融资产',
    labelEn: 'Financial assets',
    unit: 'fen',
    group: 'assets',
  },
  { name: 'housingUnits', label: '住房套数', labelEn: 'Homes', unit: 'count', group: 'assets' },
  {
    name: 'vehicleCount',
    label: '机动车辆数（不含残疾人专用车）',
    labelEn: 'Vehicles (disability vehicles excluded)',
    unit: 'count',
    group: 'assets',
  },
  {
    name: 'businessCount',
    label: '登记市场主体数',
    labelEn: 'Registered businesses',
    unit: 'count',
    group: 'assets',
  },
];

export const FIGURE_NAMES: ReadonlySet<string> = new Set(FIGURES.map((f) => f.name));

/** Largest figure accepted (fen): 10 billion yuan; counts at most 1,000. */
export const MAX_FEN = 1_000_000_000_000;
export const MAX_COUNT = 1_000;

export type FigureSource = 'declared' | 'homeVisit' | 'verified' | 'override';
export type Figures = Record<string, number>;

export interface ReconciledFigure {
  name: string;
  label: string;
  labelEn: string;
  unit: FigureUnit;
  declared: number | null;
  homeVisit: number | null;
  verified: number | null;
  /** The highest of the three (null when none is known). */
  highest: number | null;
  highestFrom: Exclude<FigureSource, 'override'> | null;
  /** What is approved: the highest, or the override. */
  approved: number | null;
  approvedFrom: FigureSource | null;
  overrideReason: string | null;
}

export interface Override {
  value: number;
  reason: string;
}

/**
 * Take-highest: the approved value of each figure is the highest of declared, home visit and
 * verified; on a tie the better-evidenced source is named (verified, then home visit, then
 * declared). An override replaces it and carries its reason. A figure nobody gave stays null:
 * the rules engine will then ask for it rather than read it as zero.
 */
export function reconcile(
  declared: Figures,
  homeVisit: Figures,
  verified: Figures,
  overrides: Readonly<Record<string, Override>> = {},
): ReconciledFigure[] {
  return FIGURES.map((spec) => {
    const values = {
      verified: verified[spec.name] ?? null,
      homeVisit: homeVisit[spec.name] ?? null,
      declared: declared[spec.name] ?? null,
    };
    let highest: number | null = null;
    let highestFrom: ReconciledFigure['highestFrom'] = null;
    for (const from of ['verified', 'homeVisit', 'declared'] as const) {
      const v = values[from];
      if (v !== null && (highest === null || v > highest)) {
        highest = v;
        highestFrom = from;
      }
    }
    const override = overrides[spec.name];
    return {
      name: spec.name,
      label: spec.label,
      labelEn: spec.labelEn,
      unit: spec.unit,
      ...values,
      highest,
      highestFrom,
      approved: override ? override.value : highest,
      approvedFrom: override ? 'override' : highestFrom,
      overrideReason: override ? override.reason : null,
    };
  });
}

/** Only known figure names with whole, non-negative values in range; anything else is refused. */
export function figureProblem(name: string, value: unknown): string | undefined {
  const spec = FIGURES.find((f) => f.name === name);
  if (!spec) return `没有名为 ${name.slice(0, 40)} 的核对项目`;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0)
    return `${spec.label}应为非负整数（金额以分计）`;
  if (value > (spec.unit === 'count' ? MAX_COUNT : MAX_FEN)) return `${spec.label}数值过大`;
  return undefined;
}

/** Economic facts picked out of a household_economy row: only the reconciled figures. */
export function figuresOf(facts: Record<string, unknown> | null | undefined): Figures {
  const out: Figures = {};
  for (const spec of FIGURES) {
    const v = facts?.[spec.name];
    if (typeof v === 'number' && Number.isFinite(v)) out[spec.name] = v;
  }
  return out;
}
