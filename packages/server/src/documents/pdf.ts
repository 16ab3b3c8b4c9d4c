/**
 * Printable documents (文书) as PDF, with an embedded Chinese font. Generic on purpose: the
 * verification report is the first user; notices, decisions and certificates of other domains are
 * meant to render through the same `renderPdf` with their own blocks.
 *
 * A document is a title, a numbered document id (文书编号), optional header lines, blocks
 * (headings, paragraphs, label/value lists, tables) and a footer repeated on every page with
 * "第 N 页 共 M 页". Layout, text wrapping, table page breaks and font subsetting are pdfkit's.
 *
 * The font: pdfkit's built-in fonts have no Chinese glyphs, so a CJK font file must be on the
 * machine. `DOUDI_PDF_FONT` (a .ttf/.ttc/.otf path, optionally `path#PostScriptName` for a
 * collection) wins; else the first of FONT_CANDIDATES that exists. Debian: fonts-wqy-microhei
 * (about 5 MB, TrueType: the smallest that works); fonts-noto-cjk is also accepted.
 */
import { existsSync } from 'node:fs';
import PDFDocument from 'pdfkit';
import { AppError } from '../http/errors.ts';

export type DocumentBlock =
  | { kind: 'heading'; text: string }
  | {
      kind: 'paragraph';
      text: string;
      tone?: 'normal' | 'muted' | 'warning';
      /** Default left; right for the issuer and date under a letter. */
      align?: 'left' | 'right' | 'center';
    }
  | { kind: 'fields'; items: readonly (readonly [string, string])[] }
  | {
      kind: 'table';
      columns: readonly { header: string; width?: number; align?: 'left' | 'right' | 'center' }[];
      rows: readonly (readonly string[])[];
      /** Shown in place of an empty table. */
      empty?: string;
    };

export interface DocumentSpec {
  title: string;
  /** 文书编号, printed under the title and in the footer of every page. */
  documentNumber: string;
  /** Lines under the number (issuing office, date …). */
  header?: readonly string[];
  blocks: readonly DocumentBlock[];
  /** Printed at the bottom of every page, before the page numbers. */
  footer?: string;
  /** PDF metadata. */
  author?: string;
  subject?: string;
  /** Fixed creation date: the same inputs give the same bytes (tests, re-prints). */
  createdAt?: Date;
}

export interface CjkFont {
  path: string;
  /** PostScript name of the face inside a collection (.ttc); undefined for a single-face file. */
  family?: string;
}

export const FONT_CANDIDATES: readonly CjkFont[] = [
  { path: '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc', family: 'WenQuanYiMicroHei' },
  { path: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', family: 'NotoSansCJKsc-Regular' },
  { path: '/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc', family: 'WenQuanYiZenHei' },
  { path: '/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf' },
];

/** The CJK font to embed, or undefined when the machine has none. */
export function findCjkFont(env: NodeJS.ProcessEnv = process.env): CjkFont | undefined {
  const configured = env.DOUDI_PDF_FONT?.trim();
  if (configured) {
    const [path, family] = configured.split('#');
    if (path && existsSync(path)) return family ? { path, family } : { path };
  }
  return FONT_CANDIDATES.find((f) => existsSync(f.path));
}

const MARGIN = 56;
const BODY_SIZE = 10.5;
const COLOURS = { normal: '#000000', muted: '#555555', warning: '#a8071a' } as const;

/** Renders the document; resolves with the whole PDF (documents are a few pages, not streams). */
export function renderPdf(spec: DocumentSpec, fontChoice?: CjkFont | null): Promise<Buffer> {
  // undefined: look the font up; null: there is none (tests of the refusal).
  const font = fontChoice === undefined ? findCjkFont() : fontChoice;
  if (!font)
    throw new AppError(
      503,
      'PDF_FONT_MISSING',
      '服务器未安装中文字体（fonts-wqy-microhei），暂时无法生成PDF，请联系系统管理员',
      'no CJK font installed (Debian package fonts-wqy-microhei); set DOUDI_PDF_FONT',
    );
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: MARGIN, bottom: MARGIN + 18, left: MARGIN, right: MARGIN },
    bufferPages: true,
    info: {
      Title: spec.title,
      Author: spec.author ?? 'Doudi',
      Subject: spec.subject ?? spec.documentNumber,
      CreationDate: spec.createdAt ?? new Date(),
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('cjk', font.path, font.family as string);
  doc.font('cjk');

  doc.fontSize(18).text(spec.title, { align: 'center' });
  doc.moveDown(0.3);
  doc.fontSize(BODY_SIZE).fillColor(COLOURS.muted).text(spec.documentNumber, { align: 'center' });
  for (const line of spec.header ?? []) doc.text(line, { align: 'center' });
  doc.fillColor(COLOURS.normal).moveDown(0.8);

  for (const block of spec.blocks) writeBlock(doc, block);

  // Footers last, once the page count is known (bufferPages keeps every page open).
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const text = `${spec.footer ? `${spec.footer}    ` : ''}${spec.documentNumber}    第 ${i + 1} 页 共 ${range.count} 页`;
    const y = doc.page.height - MARGIN;
    // Writing below the bottom margin would start a new page: lift the margin for this line only.
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc
      .fontSize(8)
      .fillColor(COLOURS.muted)
      .text(text, MARGIN, y, { width: doc.page.width - 2 * MARGIN, align: 'center', lineBreak: false });
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  return done;
}

function writeBlock(doc: PDFKit.PDFDocument, block: DocumentBlock): void {
  const width = doc.page.width - 2 * MARGIN;
  doc.x = MARGIN;
  switch (block.kind) {
    case 'heading':
      doc.moveDown(0.6).fontSize(13).fillColor(COLOURS.normal).text(block.text, { width });
      doc.moveDown(0.3);
      break;
    case 'paragraph':
      doc
        .fontSize(BODY_SIZE)
        .fillColor(COLOURS[block.tone ?? 'normal'])
        .text(block.text, { width, lineGap: 2, align: block.align ?? 'left' });
      doc.fillColor(COLOURS.normal).moveDown(0.3);
      break;
    case 'fields':
      doc.fontSize(BODY_SIZE).fillColor(COLOURS.normal);
      doc.table({
        columnStyles: [110, '*'],
        defaultStyle: { border: 0.5, borderColor: '#999999', padding: [3, 4, 3, 4] },
        data: block.items.map(([label, value]) => [{ text: label, backgroundColor: '#f2f2f2' }, value]),
      });
      doc.moveDown(0.5);
      break;
    case 'table': {
      doc.fontSize(9).fillColor(COLOURS.normal);
      if (block.rows.length === 0) {
        doc.fillColor(COLOURS.muted).text(block.empty ?? '无', { width });
        doc.fillColor(COLOURS.normal).moveDown(0.4).fontSize(BODY_SIZE);
        break;
      }
      doc.table({
        columnStyles: block.columns.map((c) => ({
          width: c.width ?? '*',
          align: { x: c.align ?? 'left', y: 'top' },
        })),
        defaultStyle: { border: 0.5, borderColor: '#999999', padding: [2, 3, 2, 3] },
        data: [
          block.columns.map((c) => ({ text: c.header, backgroundColor: '#f2f2f2', type: 'TH' as const })),
          ...block.rows.map((r) => [...r]),
        ],
      });
      doc.moveDown(0.5).fontSize(BODY_SIZE);
      break;
    }
  }
}
