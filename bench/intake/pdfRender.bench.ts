/**
 * CPU of issuing one statutory document's PDF (the acceptance notice every intake transition renders):
 *   npx tsx bench/intake/pdfRender.bench.ts [--count 300]
 * Renders the same notice with a different number and addressee each time (so glyph caches see what a
 * server sees), after a warm-up; prints CPU ms per document and checks that rendering the same facts
 * twice gives the same bytes (a stored PDF must be reproducible); the digest of all of them is the
 * figure to compare between trees (the same digest: not one byte changed).
 *
 * door8, 2026-11-23, 300 documents, shared machine:
 * | tree                                              | load | CPU ms/document | digest of all    |
 * | ------------------------------------------------- | ---- | --------------- | ---------------- |
 * | HEAD 524df5c (font parsed once)                   | 10   | 7.30            | 83910101c10bd756 |
 * | + subset glyph cache + shared layout cache (all)  | 10   | 4.42            | 83910101c10bd756 |
 * | HEAD                                              | 14   | 8.01–8.30       | 83910101c10bd756 |
 * | + caches, layout shared for runs ≤ 12 characters  | 14   | 5.44–6.21       | 83910101c10bd756 |
 * What is left (profile): zlib deflate of the font file and content ~25%, fontkit encoding the
 * subset's tables ~20%, pdfkit line wrapping and the fields table ~35%.
 */
import { createHash } from 'node:crypto';
import { renderPdf } from '../../packages/server/src/documents/pdf.ts';
import {
  type DocumentFacts,
  documentSpec,
} from '../../packages/server/src/domains/decisions/documentText.ts';
import { numberOption } from '../lib/index.ts';

const count = numberOption('count', 300);
const NAMES = ['王德福', '李秀英', '张建国', '刘桂兰', '陈志强', '杨丽华', '赵明', '黄淑珍'];

function facts(i: number): DocumentFacts {
  return {
    kind: i % 5 === 4 ? 'refusal' : 'acceptance',
    title: '最低生活保障申请受理通知书',
    number: `孝民低保受〔2026〕第${String(i + 1).padStart(4, '0')}号`,
    issuer: {
      name: '花园镇人民政府',
      series: '孝民低保受',
      reconsideration: '孝昌县人民政府',
      court: '孝昌县人民法院',
      county: '孝昌县',
    },
    issuedOn: '2026-03-02',
    addressee: NAMES[i % NAMES.length] as string,
    idNumber: `42092120000101${String(1000 + (i % 9000)).padStart(4, '0')}`,
    address: `湖北省孝感市孝昌县花园镇${(i % 30) + 1}村${(i % 9) + 1}组${i % 100}号`,
    householdNumber: `420921100${String(i).padStart(6, '0')}`,
    item: '最低生活保障',
    receivedOn: '2026-02-27',
    legalBasis: ['《社会救助暂行办法》第十一条', '《湖北省最低生活保障实施办法》'],
    legalGround: '《社会救助暂行办法》第十一条',
    reason: i % 5 === 4 ? '家庭人均收入高于当地低保标准' : null,
    amountFen: null,
    startsOn: null,
    effectiveOn: null,
    totalWorkingDays: 30,
    extendedWorkingDays: 45,
  };
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
for (let i = 0; i < 30; i++) await renderPdf(documentSpec(facts(i)));
const a = sha(await renderPdf(documentSpec(facts(7))));
const b = sha(await renderPdf(documentSpec(facts(7))));
const cpu0 = process.cpuUsage();
let bytes = 0;
const all = createHash('sha256');
for (let i = 0; i < count; i++) {
  const pdf = await renderPdf(documentSpec(facts(i)));
  bytes += pdf.length;
  all.update(pdf);
}
const cpu = process.cpuUsage(cpu0);
console.log(
  `${count} documents: ${((cpu.user + cpu.system) / 1000 / count).toFixed(2)} CPU ms each, ` +
    `${Math.round(bytes / count)} bytes each; same facts, same bytes: ${a === b ? 'yes' : 'NO'} (${a.slice(0, 12)}); digest of all: ${all.digest('hex').slice(0, 16)}`,
);
