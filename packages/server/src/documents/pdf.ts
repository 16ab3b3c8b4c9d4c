/**
 * Printable documents (文书) as PDF, with an embedded Chinese font. Generic on purpose: the
 * verification report is the first user; notices, decisions and certificates of other domains are
 * meant to render through the same `renderPdf` with their own blocks.
 *
 * A document is a title, a numbered document id (文书编号), optional header lines, blocks
 * (headings, paragraphs, label/value lists, tables, the issuing office's seal area) and a footer
 * repeated on every page with "第 N 页 共 M 页". Layout, text wrapping, table page breaks and font
 * subsetting are pdfkit's.
 *
 * The font: pdfkit's built-in fonts have no Chinese glyphs, so a CJK font file must be on the
 * machine. `DOUDI_PDF_FONT` (a .ttf/.ttc/.otf path, optionally `path#PostScriptName` for a
 * collection) wins; else the first of FONT_CANDIDATES that exists. Debian: fonts-wqy-microhei
 * (about 5 MB, TrueType: the smallest that works); fonts-noto-cjk is also accepted.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as fontkit from 'fontkit';
import PDFDocument from 'pdfkit';
import { AppError } from '../http/errors.ts';
import { cacheSubsetGlyphs, shareLayoutCache } from './fontCaches.ts';

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
    }
  | {
      /**
       * The issuing office under a letter: its name and the date in Chinese capitals
       * (二〇二六年十一月二十三日), inside a circle outline where the seal goes. Drawn as vector and
       * marked 电子文书 以系统存档为准: a print is not a sealed original, the stored PDF is the record.
       */
      kind: 'seal';
      office: string;
      /** ISO date (YYYY-MM-DD). */
      date: string;
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

/**
 * Parsed fonts by path and face, kept for the life of the process. Reading and parsing the 5 MB
 * collection for every document cost about 45 ms of CPU of the 50 a notice took; with the parsed
 * font kept (pdfkit accepts a fontkit font), a notice costs about 6 ms, and the font's glyph cache
 * warms up. Subsetting still happens per document, so each PDF embeds only its own glyphs.
 */
const parsedFonts = new Map<string, fontkit.Font>();

function parsedFont(font: CjkFont): fontkit.Font {
  const key = `${font.path}#${font.family ?? ''}`;
  let parsed = parsedFonts.get(key);
  if (!parsed) {
    const created = fontkit.create(readFileSync(font.path), font.family);
    // A collection without the named face gives the collection back, which cannot lay text out.
    if (!('layout' in created)) throw new Error(`font ${key}: no such face in the collection`);
    parsed = created;
    cacheSubsetGlyphs(parsed);
    parsedFonts.set(key, parsed);
  }
  return parsed;
}

const MARGIN = 56;
const BODY_SIZE = 10.5;
const COLOURS = { normal: '#000000', muted: '#555555', warning: '#a8071a' } as const;
const SEAL_RED = '#c8102e';
/** Radius of the seal area: a 42 mm seal is about 119 pt across. */
const SEAL_RADIUS = 58;

const CAPITAL_DIGITS = '〇一二三四五六七八九';

/** 1..31 as written in a date: 十, 十一, 二十, 三十一. */
function chineseNumber(n: number): string {
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  const head = tens === 0 ? '' : tens === 1 ? '十' : `${CAPITAL_DIGITS[tens]}十`;
  return ones === 0 && tens > 0 ? head : `${head}${CAPITAL_DIGITS[ones]}`;
}

/** 2026-11-23 → 二〇二六年十一月二十三日, as official documents are dated (GB/T 9704). */
export function chineseDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  const [month, day] = [Number(m?.[2]), Number(m?.[3])];
  if (!m || month < 1 || month > 12 || day < 1 || day > 31) throw new RangeError(`not a date: ${iso}`);
  const year = [...(m[1] as string)].map((d) => CAPITAL_DIGITS[Number(d)]).join('');
  return `${year}年${chineseNumber(month)}月${chineseNumber(day)}日`;
}

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
    // No default Helvetica: pdfkit would parse its AFM metrics for every document, never to use them.
    font: null as unknown as string,
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
  // pdfkit 0.20 takes a fontkit font (it checks for `layout`); its typings predate that.
  // Registered under its PostScript name as the family: pdfkit's tables set the font again for every
  // cell from (source, family), and with a font object and no family that misses its font cache and
  // embeds the font anew each time (measured: most of a table-heavy document's cost).
  const parsed = parsedFont(font);
  doc.registerFont('cjk', parsed as unknown as PDFKit.Mixins.PDFFontSource, parsed.postscriptName);
  doc.font('cjk');
  shareLayoutCache(doc, parsed);

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
    case 'seal':
      writeSeal(doc, block.office, chineseDate(block.date));
      break;
  }
}

/**
 * The office and date centred in a circle outline at the right, as a seal sits over them on paper.
 * Kept on one page: moved to the next when the rest of this one is too short.
 */
function writeSeal(doc: PDFKit.PDFDocument, office: string, date: string): void {
  const r = SEAL_RADIUS;
  if (doc.y + 2 * r + 16 > doc.page.height - doc.page.margins.bottom) doc.addPage();
  const top = doc.y + 8;
  const right = doc.page.width - MARGIN;
  doc.fontSize(BODY_SIZE);
  // Wide enough for a long office name (花园镇人民政府（受孝昌县民政局委托）) on one or two lines.
  const width = Math.min(Math.max(2 * r + 24, doc.widthOfString(office) + 4), 260);
  const cx = right - Math.max(width / 2, r);
  const cy = top + r;
  doc.save().lineWidth(1.2).strokeColor(SEAL_RED).circle(cx, cy, r).stroke().restore();
  doc
    .fontSize(7)
    .fillColor(SEAL_RED)
    .text('电子文书', cx - r, cy - r * 0.72, { width: 2 * r, align: 'center', lineBreak: false });
  doc.text('以系统存档为准', cx - r, cy + r * 0.5, { width: 2 * r, align: 'center', lineBreak: false });
  doc
    .fontSize(BODY_SIZE)
    .fillColor(COLOURS.normal)
    .text(office, cx - width / 2, cy - 16, { width, align: 'center' });
  doc.text(date, cx - width / 2, doc.y + 2, { width, align: 'center' });
  doc.x = MARGIN;
  doc.y = Math.max(doc.y, top + 2 * r) + 8;
}
