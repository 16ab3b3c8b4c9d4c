/** The verification report as a printable document (documents/pdf.ts); Chinese, as it is filed. */
import { type DocumentBlock, renderPdf } from '../../documents/pdf.ts';
import { yuanText } from './report.build.ts';
import type { ReportView } from './report.service.ts';

const RELATIONSHIP: Record<string, string> = {
  head: '户主',
  spouse: '配偶',
  son: '子',
  daughter: '女',
  daughterInLaw: '儿媳',
  sonInLaw: '女婿',
  grandson: '孙子',
  granddaughter: '孙女',
  father: '父亲',
  mother: '母亲',
  parent: '父母',
  sibling: '兄弟姐妹',
  other: '其他',
};

const money = (fen: unknown) => (typeof fen === 'number' ? yuanText(fen) : '—');
const text = (v: unknown) => (v === null || v === undefined || v === '' ? '—' : String(v));

export function reportDocument(r: ReportView, printedBy: string, printedAt: Date) {
  const t = r.totals;
  // A figure from a source never loaded by the date is unknown (—), not zero.
  const loaded = new Set(r.sourcesLoaded.map((s) => s.source));
  const from =
    (...sources: string[]) =>
    (fen: unknown) =>
      sources.some((s) => loaded.has(s)) ? money(fen) : '—';
  const tax = from('tax');
  const si = from('socialInsurance');
  const fin = from('bankDeposit', 'securities', 'commercialInsurance');
  const blocks: DocumentBlock[] = [
    { kind: 'heading', text: '一、家庭基本情况' },
    {
      kind: 'fields',
      items: [
        ['户号', r.household.householdNumber],
        ['所在村（社区）', `${r.household.townshipName ?? ''}${r.household.regionName}`],
        ['地址', r.household.address],
        ['城乡类别', r.household.urban ? '城镇' : '农村'],
        ['核对截止日期', r.asOf],
      ],
    },
    { kind: 'heading', text: '二、核对对象' },
    {
      kind: 'table',
      columns: [
        { header: '姓名' },
        { header: '身份证号码', width: 130 },
        { header: '身份' },
        { header: '关系' },
      ],
      rows: r.persons.map((p) => [
        p.name,
        p.idNumberMasked,
        p.role === 'member' ? '家庭成员' : '赡养义务人（不共同生活）',
        RELATIONSHIP[p.relationship] ?? p.relationship,
      ]),
    },
    { kind: 'heading', text: '三、核对发现的疑点' },
    ...(r.flags.length === 0
      ? [{ kind: 'paragraph' as const, text: '未发现超过参数上限的情形。' }]
      : r.flags.map((f, i) => ({
          kind: 'paragraph' as const,
          tone: 'warning' as const,
          text: `${i + 1}. ${f.text}。依据：${f.parameter.description}（${f.parameter.effectiveDate}起施行），${f.parameter.reference}`,
        }))),
    { kind: 'heading', text: '四、收入情况（月均）' },
    {
      kind: 'table',
      columns: [
        { header: '姓名' },
        { header: '工资性收入', align: 'right' },
        { header: '计入收入的养老金', align: 'right' },
        { header: '不计入的基础养老金', align: 'right' },
        { header: '失业保险金', align: 'right' },
      ],
      rows: [
        ...r.persons
          .filter((p) => p.role === 'member')
          .map((p) => [
            p.name,
            tax(p.income?.wageIncome),
            si(p.income?.pensionIncome),
            si(p.income?.exemptPension),
            si(p.income?.transferIncome),
          ]),
        ['家庭合计', tax(t.wageIncome), si(t.pensionIncome), si(t.exemptIncome), si(t.transferIncome)],
      ],
    },
    { kind: 'heading', text: '五、金融资产' },
    {
      kind: 'table',
      columns: [
        { header: '姓名' },
        { header: '存款及理财', align: 'right' },
        { header: '证券基金', align: 'right' },
        { header: '商业保险现金价值', align: 'right' },
        { header: '合计', align: 'right' },
      ],
      rows: r.persons.map((p) => [
        `${p.name}${p.role === 'supporter' ? '（赡养人）' : ''}`,
        fin(p.assets?.deposits),
        fin(p.assets?.securities),
        fin(p.assets?.insurance),
        fin(p.assets?.total),
      ]),
    },
    { kind: 'heading', text: '六、不动产' },
    {
      kind: 'table',
      columns: [
        { header: '权利人' },
        { header: '不动产权证号' },
        { header: '坐落' },
        { header: '用途' },
        { header: '面积(㎡)', align: 'right' },
      ],
      rows: r.properties.map((p) => [
        p.personName,
        text(p.certificateNumber),
        text(p.location),
        p.useLabel,
        text(p.areaM2),
      ]),
      empty: '未查到不动产登记。',
    },
    { kind: 'heading', text: '七、车辆（不含残疾人专用车）' },
    {
      kind: 'table',
      columns: [
        { header: '所有人' },
        { header: '号牌' },
        { header: '类型' },
        { header: '品牌' },
        { header: '购置价', align: 'right' },
      ],
      rows: r.vehicles.map((v) => [
        v.personName,
        text(v.plate),
        v.kindLabel,
        text(v.brand),
        money(v.purchasePriceFen),
      ]),
      empty: '未查到机动车登记。',
    },
    ...(t.disabilityVehicles > 0
      ? [
          {
            kind: 'paragraph' as const,
            tone: 'muted' as const,
            text: `另有残疾人专用车${t.disabilityVehicles}辆，不计入。`,
          },
        ]
      : []),
    { kind: 'heading', text: '八、市场主体任职' },
    {
      kind: 'table',
      columns: [
        { header: '姓名' },
        { header: '市场主体名称' },
        { header: '任职身份' },
        { header: '注册资本', align: 'right' },
      ],
      rows: r.businessRoles.map((b) => [
        b.personName,
        text(b.entityName),
        b.roleLabel,
        money(b.registeredCapitalFen),
      ]),
      empty: '未查到市场主体登记。',
    },
    { kind: 'heading', text: '九、数据来源' },
    {
      kind: 'table',
      columns: [{ header: '数据来源' }, { header: '最近截至日期' }],
      rows: r.sourcesLoaded.map((s) => [s.label, s.lastAsOf]),
      empty: '截至核对日期尚未导入任何部门数据。',
    },
    ...r.notes.map((n) => ({ kind: 'paragraph' as const, tone: 'muted' as const, text: `说明：${n.zh}` })),
    {
      kind: 'paragraph',
      tone: 'muted',
      text: `打印人：${printedBy}　打印时间：${printedAt.toISOString().slice(0, 16).replace('T', ' ')}（UTC）。本报告依据各部门截至核对日期提供的数据生成，身份证号码已脱敏；仅供社会救助审核确认使用，不得用于其他用途。`,
    },
  ];
  return {
    title: '家庭经济状况核对报告',
    documentNumber: r.documentNumber,
    header: [
      `${r.household.townshipName ?? ''}${r.household.regionName} · 户号 ${r.household.householdNumber}`,
    ],
    blocks,
    footer: '社会救助家庭经济状况核对',
    subject: `核对报告 ${r.household.householdNumber} ${r.asOf}`,
    createdAt: printedAt,
  };
}

export function reportPdf(r: ReportView, printedBy: string, printedAt = new Date()): Promise<Buffer> {
  return renderPdf(reportDocument(r, printedBy, printedAt));
}
