/**
 * The font caches behind renderPdf (documents/fontCaches.ts) change no byte: a subset built from the
 * cached glyph data equals fontkit's own (simple and compound glyphs, any order), and a document
 * rendered with warm caches, after others, equals the same document rendered first.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as fontkit from 'fontkit';
import { describe, expect, it } from 'vitest';
import { cacheSubsetGlyphs } from '../src/documents/fontCaches.ts';
import { findCjkFont, renderPdf } from '../src/documents/pdf.ts';
import { documentSpec } from '../src/domains/decisions/documentText.ts';

const font = findCjkFont();
const open = () => {
  if (!font) throw new Error('no CJK font');
  return fontkit.create(readFileSync(font.path), font.family) as fontkit.Font;
};
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

const facts = (name: string, number: number) =>
  documentSpec({
    kind: 'refusal',
    title: '最低生活保障不予批准通知书',
    number: `孝民低保确〔2026〕第${String(number).padStart(4, '0')}号`,
    issuer: {
      name: '孝昌县民政局',
      series: '孝民低保确',
      county: '孝昌县',
      reconsideration: '孝昌县人民政府',
      court: '孝昌县人民法院',
    },
    issuedOn: '2026-03-02',
    addressee: name,
    idNumber: '420921200001011234',
    address: '湖北省孝感市孝昌县花园镇青龙村3组12号 (Room 5, "A" & <B>)',
    householdNumber: '420921100000123',
    item: '最低生活保障',
    receivedOn: '2026-02-27',
    legalBasis: ['《社会救助暂行办法》第十一条'],
    legalGround: '《社会救助暂行办法》第十一条',
    reason: '家庭人均收入高于当地低保标准；ﬁ ligature, 𠀀 outside the BMP, émigré',
    amountFen: null,
    startsOn: null,
    effectiveOn: null,
    totalWorkingDays: null,
    extendedWorkingDays: null,
  });

describe.skipIf(!font)('font caches of the PDF renderer', () => {
  it('builds the same subset as fontkit from cached glyph data', () => {
    const plain = open();
    const cached = open();
    cacheSubsetGlyphs(cached);
    const text = '最低生活保障不予批准通知书 ABC xyz 0123 （）〔〕《》、，。ﬁ';
    const gids = [...plain.layout(text).glyphs.map((g) => g.id as number), 0, 1, 2, 3];
    // And ids spread over the whole font, so compound glyphs are in if the font has any.
    for (let id = 0; id < plain.numGlyphs; id += Math.max(1, Math.floor(plain.numGlyphs / 400)))
      gids.push(id);
    for (const order of [gids, [...gids].reverse()]) {
      const a = plain.createSubset();
      const b = cached.createSubset();
      for (const id of order)
        expect(b.includeGlyph(cached.getGlyph(id))).toBe(a.includeGlyph(plain.getGlyph(id)));
      expect(sha(b.encode())).toBe(sha(a.encode()));
    }
  });

  it('renders a document with warm caches to the same bytes as cold', async () => {
    const first = sha(await renderPdf(facts('王德福', 1)));
    for (const [i, name] of ['李秀英', '张建国', '欧阳娜娜', 'Zhang San'].entries())
      await renderPdf(facts(name, i + 2));
    expect(sha(await renderPdf(facts('王德福', 1)))).toBe(first);
  });
});
