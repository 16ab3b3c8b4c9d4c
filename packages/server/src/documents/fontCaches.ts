/**
 * Work on the CJK font kept across documents (the parsed font already is, pdf.ts). Every statutory
 * document issued inside an intake transition paid, per glyph, fontkit's full outline decode (only to
 * learn whether the glyph is compound) when the font subset was built, and pdfkit's text layout of
 * every word afresh (its layout cache lives and dies with one document). Both results depend on the
 * font alone, so they are computed once per process. The bytes of a PDF do not change: the subset
 * holds the same glyph data in the same order, and the layout runs are the ones pdfkit would compute
 * (bench/intake/pdfRender.bench.ts compares the digest of 300 documents with the uncached renderer).
 *
 * Both reach into library internals (fontkit's TTFSubset._addGlyph, pdfkit's EmbeddedFont.layoutCache),
 * pinned by the lockfile; a font they do not fit (CFF outlines, variations) is left alone.
 */
import type * as fontkit from 'fontkit';

/** The parts of fontkit's TrueType subset (fontkit 2, dist/module.mjs TTFSubset) used here. */
interface TtfSubset {
  glyf: Uint8Array[];
  loca: { offsets: number[] };
  hmtx: { metrics: { advance: number; bearing: number }[] };
  offset: number;
  includeGlyph(gid: number): number;
}

interface FontInternals {
  _variationProcessor?: unknown;
  directory: { tables: Record<string, unknown> };
  loca: { offsets: number[] };
  _getTableStream(tag: string): { pos: number; readBuffer(length: number): Uint8Array };
  getGlyph(gid: number): {
    advanceWidth: number;
    _decode(): { numberOfContours: number; components?: { glyphID: number; pos: number }[] } | null;
    _getMetrics(): { leftBearing: number };
  };
  createSubset(): unknown;
}

interface GlyphEntry {
  /** The glyph's bytes in the glyf table (a view of the font file: never written to). */
  data: Uint8Array;
  /** Compound glyphs: the components, renumbered in each subset. */
  components: { glyphID: number; pos: number }[] | null;
  advance: number;
  bearing: number;
}

const patched = new WeakSet<object>();

/**
 * Makes `font.createSubset()` return a subset that reads each glyph's data and metrics from a
 * per-font cache; otherwise fontkit's own `_addGlyph`, step for step.
 */
export function cacheSubsetGlyphs(font: fontkit.Font): void {
  const f = font as unknown as FontInternals;
  if (patched.has(font)) return;
  patched.add(font);
  const probe = f.createSubset() as TtfSubset & {
    constructor: new (font: unknown) => TtfSubset;
    _addGlyph?: unknown;
  };
  // TrueType outlines only (CFF subsets differ), and no variations (fontkit re-encodes those).
  if (f._variationProcessor || typeof probe._addGlyph !== 'function' || !f.directory.tables.glyf) return;
  const cache = new Map<number, GlyphEntry>();
  const entry = (gid: number): GlyphEntry => {
    let e = cache.get(gid);
    if (!e) {
      const glyph = f.getGlyph(gid);
      const glyf = glyph._decode();
      const start = f.loca.offsets[gid] as number;
      const stream = f._getTableStream('glyf');
      stream.pos += start;
      const data = stream.readBuffer((f.loca.offsets[gid + 1] as number) - start);
      e = {
        data,
        components: glyf && glyf.numberOfContours < 0 ? (glyf.components ?? []) : null,
        advance: glyph.advanceWidth,
        bearing: glyph._getMetrics().leftBearing,
      };
      cache.set(gid, e);
    }
    return e;
  };
  class CachedSubset extends probe.constructor {
    _addGlyph(this: TtfSubset, gid: number): number {
      const e = entry(gid);
      let buffer = e.data;
      if (e.components) {
        // As fontkit does: components are included (and numbered) before the glyph itself.
        buffer = new Uint8Array(buffer);
        const view = new DataView(buffer.buffer);
        for (const c of e.components) view.setUint16(c.pos, this.includeGlyph(c.glyphID));
      }
      this.glyf.push(buffer);
      this.loca.offsets.push(this.offset);
      this.hmtx.metrics.push({ advance: e.advance, bearing: e.bearing });
      this.offset += buffer.length;
      return this.glyf.length - 1;
    }
  }
  f.createSubset = () => new CachedSubset(font);
}

/**
 * Runs of texts up to this long are shared: the characters and short words that line wrapping
 * measures one by one, the same in every document. Longer runs (whole lines, sentences with a name
 * in them) rarely recur across documents and hold an array per character, so they stay with their
 * document as pdfkit keeps them.
 */
const SHARED_TEXT_LENGTH = 12;
/** Above this many shared runs the cache starts again (a bound on memory, not expected in practice). */
const SHARED_RUN_LIMIT = 20_000;
const layoutCaches = new WeakMap<object, { runs: Map<string, unknown> }>();

/**
 * Gives the document's current font (just selected with `doc.font`) a layout cache that falls back
 * on the runs shared by every document using `font`. pdfkit already shares one run between all uses
 * within a document and copies a position before changing it, so sharing across documents changes
 * nothing in the output.
 */
export function shareLayoutCache(doc: PDFKit.PDFDocument, font: fontkit.Font): void {
  const embedded = (doc as unknown as { _font?: { font?: unknown; layoutCache?: Record<string, unknown> } })
    ._font;
  // Only a font pdfkit embeds from this fontkit object, with its cache on (the default).
  if (!embedded || embedded.font !== font || !embedded.layoutCache) return;
  let shared = layoutCaches.get(font);
  if (!shared || shared.runs.size > SHARED_RUN_LIMIT) {
    shared = { runs: new Map() };
    layoutCaches.set(font, shared);
  }
  const { runs } = shared;
  const own: Record<string, unknown> = Object.create(null);
  embedded.layoutCache = new Proxy(own, {
    get: (target, key) => (typeof key === 'string' ? (target[key] ?? runs.get(key)) : undefined),
    set(target, key, value) {
      if (typeof key !== 'string') return false;
      target[key] = value;
      if (key.length <= SHARED_TEXT_LENGTH) runs.set(key, value);
      return true;
    },
  });
}
