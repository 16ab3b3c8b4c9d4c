/**
 * The text of a PDF made by our renderer (pdfkit, one embedded CJK font), for tests: content streams
 * inflated, glyph ids in TJ/Tj strings mapped back to characters through the font's ToUnicode CMap.
 * Each text object (BT … ET) becomes one line. Enough for pdfkit's own output, not a general reader:
 * it refuses a PDF with more than one CMap rather than guess.
 */
import { inflateSync } from 'node:zlib';

function streams(pdf: Buffer): string[] {
  const text = pdf.toString('latin1');
  const out: string[] = [];
  // Each stream read by its dictionary's /Length: a compressed stream may itself contain "endstream".
  for (const m of text.matchAll(/\/Length (\d+)[^>]*>>\s*stream\r?\n/g)) {
    const start = (m.index ?? 0) + m[0].length;
    const raw = pdf.subarray(start, start + Number(m[1]));
    try {
      out.push(inflateSync(raw).toString('latin1'));
    } catch {
      // The embedded font program and other binary streams: not text.
    }
  }
  return out;
}

const hex = (h: string) => Number.parseInt(h, 16);
const utf16 = (h: string) =>
  String.fromCharCode(...(h.match(/.{4}/g) ?? []).map((c) => Number.parseInt(c, 16)));

function toUnicode(cmap: string): Map<number, string> {
  const map = new Map<number, string>();
  for (const block of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g))
    for (const m of (block[1] as string).matchAll(
      /<([0-9a-f]+)>\s*<([0-9a-f]+)>\s*(\[[^\]]*\]|<[0-9a-f]+>)/gi,
    )) {
      const [from, to, dst] = [hex(m[1] as string), hex(m[2] as string), m[3] as string];
      if (dst.startsWith('[')) {
        const targets = [...dst.matchAll(/<([0-9a-f]+)>/gi)].map((t) => utf16(t[1] as string));
        for (const [i, t] of targets.entries()) map.set(from + i, t);
      } else
        for (let g = from; g <= to; g++) map.set(g, String.fromCharCode(hex(dst.slice(1, -1)) + g - from));
    }
  for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g))
    for (const m of (block[1] as string).matchAll(/<([0-9a-f]+)>\s*<([0-9a-f]+)>/gi))
      map.set(hex(m[1] as string), utf16(m[2] as string));
  return map;
}

export function pdfText(pdf: Buffer): string {
  const all = streams(pdf);
  const cmaps = all.filter((s) => s.includes('begincmap'));
  if (cmaps.length !== 1) throw new Error(`expected one ToUnicode CMap, found ${cmaps.length}`);
  const glyphs = toUnicode(cmaps[0] as string);
  const lines: string[] = [];
  for (const content of all.filter((s) => s.includes('BT'))) {
    for (const object of content.matchAll(/BT([\s\S]*?)ET/g)) {
      let line = '';
      for (const s of (object[1] as string).matchAll(/<([0-9a-f]*)>/gi))
        for (const g of (s[1] as string).match(/.{4}/g) ?? []) line += glyphs.get(hex(g)) ?? '\ufffd';
      lines.push(line);
    }
  }
  return lines.join('\n');
}
