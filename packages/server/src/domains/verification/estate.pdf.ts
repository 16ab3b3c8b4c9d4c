/** The estate inquiry report (身后一件事) as a printable document (documents/pdf.ts); Chinese. */
import { type DocumentBlock, renderPdf } from '../../documents/pdf.ts';
import type { EstateInquiryView } from './estate.service.ts';
import { yuanText } from './report.build.ts';

const RELATIONSHIP: Record<string, string> = {
  spouse: '配偶',
  child: '子女',
  parent: '父母',
  sibling: '兄弟姐妹',
  grandparent: '祖父母、外祖父母',
  grandchild: '孙子女、外孙子女',
  administrator: '遗产管理人',
};
const BASIS: Record<string, string> = {
  household: '户籍登记为同一户',
  supporter: '已登记的赡养（扶养）关系',
  notarised: '公证文书',
};
const EVIDENCE: Record<string, string> = {
  registry: '户籍库死亡日期',
  death: '民政殡葬数据',
  hukou: '公安户籍死亡注销',
};

export function estateDocument(v: EstateInquiryView, printedBy: string, printedAt: Date) {
  const report = v.report;
  const blocks: DocumentBlock[] = [
    { kind: 'heading', text: '一、被查询人' },
    {
      kind: 'fields',
      items: [
        ['姓名', v.deceased.name],
        ['身份证号码', v.deceased.idNumberMasked],
        ['死亡日期', v.deceased.deathDate ?? '—'],
        [
          '死亡记录',
          v.deathEvidence.map((e) => `${EVIDENCE[e.kind] ?? e.kind}（${e.date}）`).join('；') || '—',
        ],
        ['死亡证明编号', v.deathCertificate ?? '—'],
      ],
    },
    { kind: 'heading', text: '二、申请人' },
    {
      kind: 'fields',
      items: [
        ['姓名', v.heir.name],
        ['身份证号码', v.heir.idNumberMasked],
        ['与被查询人关系', RELATIONSHIP[v.heir.relationship] ?? v.heir.relationship],
        [
          '关系依据',
          `${BASIS[v.heir.kinshipBasis ?? ''] ?? '—'}${v.heir.notarisedReference ? `（${v.heir.notarisedReference}）` : ''}`,
        ],
        ['授权书', `${v.authorisation.reference}（${v.authorisation.signedOn}签署）`],
      ],
    },
  ];
  let n = 3;
  const numerals = '一二三四五六七八九十';
  for (const section of report?.sections ?? []) {
    const title = `${numerals[n - 1] ?? n}、${section.label}${section.total !== null ? `（合计${yuanText(section.total)}）` : ''}`;
    n++;
    blocks.push({ kind: 'heading', text: title });
    blocks.push({
      kind: 'table',
      columns: [
        { header: '数据来源', width: 110 },
        { header: '登记内容' },
        { header: '数据日期', width: 70 },
      ],
      rows: section.items.map((i) => [
        i.label,
        i.fields.map((f) => `${f.label}：${f.text}`).join('；'),
        `${i.validFrom}${i.afterDeath ? '（死亡后）' : ''}`,
      ]),
      empty: section.sources.every((s) => s.lastAsOf === null)
        ? '截至死亡之日尚未导入该类数据，情况不明。'
        : '未查到登记。',
    });
  }
  for (const note of report?.notes ?? [])
    blocks.push({ kind: 'paragraph', tone: 'muted', text: `说明：${note.zh}` });
  blocks.push({
    kind: 'paragraph',
    tone: 'muted',
    text: `打印人：${printedBy}　打印时间：${printedAt.toISOString().slice(0, 16).replace('T', ' ')}（UTC）。本报告依据各部门截至死亡之日提供的数据出具，仅供申请人办理继承相关事项使用；身份证号码已脱敏。`,
  });
  return {
    title: '身后一件事财产查询报告',
    documentNumber: v.documentNumber,
    header: [`被查询人 ${v.deceased.name} · 截至 ${report?.asOf ?? v.deceased.deathDate ?? ''}`],
    blocks,
    footer: '身后一件事 · 社会救助家庭经济状况核对',
    subject: `身后一件事 ${v.documentNumber}`,
    createdAt: printedAt,
  };
}

export function estatePdf(v: EstateInquiryView, printedBy: string, printedAt = new Date()): Promise<Buffer> {
  return renderPdf(estateDocument(v, printedBy, printedAt));
}
