/**
 * The wording of each statutory document, as a county bureau or township government issues it: title,
 * number, addressee, body with the facts, amount and legal basis, the route of appeal where the
 * decision goes against the household (行政复议 within 60 days, 行政诉讼 within 6 months), the issuing
 * authority and date in the seal area. Pure: the service gathers the facts.
 */
import type { DocumentBlock, DocumentSpec } from '../../documents/pdf.ts';
import type { Issuer, ServedKind } from './documentCatalog.ts';

export interface DocumentFacts {
  kind: ServedKind;
  title: string;
  number: string;
  issuer: Issuer;
  issuedOn: string;
  addressee: string;
  /**
   * The addressee's ID number as printed: in full on documents issued since the service receipt
   * (the household's own number on a document served on them; every download is logged as a full
   * view), masked on older ones.
   */
  idNumber: string | null;
  address: string;
  householdNumber: string;
  item: string;
  receivedOn: string | null;
  /** The procedure's legal texts (the template's legalBasis), the first cited for the whole. */
  legalBasis: readonly string[];
  legalGround: string;
  reason: string | null;
  amountFen: number | null;
  startsOn: string | null;
  /** Termination: the first day without payment. */
  effectiveOn: string | null;
  totalWorkingDays: number | null;
  extendedWorkingDays: number | null;
}

export function dateZh(iso: string): string {
  const [y, m, d] = iso.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

const monthZh = (iso: string) => {
  const [y, m] = iso.split('-').map(Number);
  return `${y}年${m}月`;
};

const DIGITS = '零壹贰叁肆伍陆柒捌玖';
const UNITS = ['', '拾', '佰', '仟'];
const SECTIONS = ['', '万', '亿'];

/** 62000 fen → 陆佰贰拾元整 (the amount in capitals, as on a payment document). */
export function amountInCapitals(fen: number): string {
  if (!Number.isSafeInteger(fen) || fen < 0) return '';
  const yuan = Math.floor(fen / 100);
  const jiao = Math.floor((fen % 100) / 10);
  const fenPart = fen % 10;
  let text = '';
  if (yuan === 0) text = '零';
  else {
    let section = 0;
    let rest = yuan;
    let needZero = false;
    while (rest > 0) {
      const part = rest % 10000;
      let partText = '';
      let zero = false;
      for (let i = 0, p = part; i < 4; i++, p = Math.floor(p / 10)) {
        const digit = p % 10;
        if (digit === 0) {
          if (partText) zero = true;
        } else {
          partText = `${DIGITS[digit]}${UNITS[i]}${zero ? '零' : ''}${partText}`;
          zero = false;
        }
      }
      if (partText) text = `${partText}${SECTIONS[section]}${needZero ? '零' : ''}${text}`;
      needZero = part > 0 && part < 1000;
      rest = Math.floor(rest / 10000);
      section++;
    }
  }
  text += '元';
  if (jiao === 0 && fenPart === 0) return `${text}整`;
  if (jiao > 0) text += `${DIGITS[jiao]}角`;
  else if (yuan > 0) text += '零';
  if (fenPart > 0) text += `${DIGITS[fenPart]}分`;
  return text;
}

const yuan = (fen: number) => (fen / 100).toFixed(2);
const P = (text: string): DocumentBlock => ({ kind: 'paragraph', text: `　　${text}` });

function appeal(issuer: Issuer): DocumentBlock {
  return P(
    `如对本决定不服，可以自收到本文书之日起六十日内向${issuer.reconsideration}申请行政复议，` +
      `也可以自收到本文书之日起六个月内依法向${issuer.court}提起行政诉讼（《中华人民共和国行政复议法》第二十条、` +
      '《中华人民共和国行政诉讼法》第四十六条）。',
  );
}

function body(f: DocumentFacts): DocumentBlock[] {
  const applied = f.receivedOn
    ? `你（户）于${dateZh(f.receivedOn)}提出的${f.item}申请`
    : `你（户）的${f.item}申请`;
  const basis = f.legalBasis[0] ?? '有关规定';
  const reason = f.reason?.trim() || '经审查不符合规定条件';
  switch (f.kind) {
    case 'acceptance':
      return [
        P(`${applied}及所附材料收悉。经审查，申请材料齐全，符合法定形式，根据${basis}的规定，决定予以受理。`),
        P(
          `我们将依法对你家庭的经济状况进行核对和调查，${
            f.totalWorkingDays
              ? `自受理之日起${f.totalWorkingDays}个工作日内作出决定`
              : '并在法定时限内作出决定'
          }${f.extendedWorkingDays ? `（有特殊情况的，可以延长至${f.extendedWorkingDays}个工作日）` : ''}。` +
            '办理期间请保持联系方式畅通，如实配合入户调查；家庭人口、收入、财产状况发生变化的，请及时告知。',
        ),
        P('特此通知。'),
      ];
    case 'intakeRefusal':
      return [
        P(`${applied}收悉。经审查，因${reason}，根据${f.legalGround}，决定不予受理。`),
        appeal(f.issuer),
        P('特此通知。'),
      ];
    case 'confirmation': {
      const money =
        f.amountFen !== null
          ? `，月保障（救助）金额为人民币${yuan(f.amountFen)}元（大写：${amountInCapitals(f.amountFen)}）`
          : '';
      const from = f.startsOn ? `自${monthZh(f.startsOn)}起` : '';
      return [
        P(
          `${applied}，经家庭经济状况核对、入户调查、公示等程序，审核确认你户符合${f.item}条件。` +
            `根据${f.legalBasis.join('、')}的规定，决定${from}给予你户${f.item}${money}。`,
        ),
        P(
          '保障期间，你户家庭人口、收入、财产状况发生变化的，应当及时告知乡镇人民政府（街道办事处）；' +
            '我们将定期复核，并根据变化情况决定增发、减发或者停发。',
        ),
        P('特此决定。'),
      ];
    }
    case 'refusal':
      return [
        P(
          `${applied}，经家庭经济状况核对、入户调查等程序，审核认为你户不符合${f.item}条件，理由如下：${reason}。`,
        ),
        P(`根据${f.legalGround}，决定不予批准（确认）。`),
        appeal(f.issuer),
        P('特此通知。'),
      ];
    case 'termination':
      return [
        P(
          `你户${f.startsOn ? `自${monthZh(f.startsOn)}起` : ''}享受${f.item}。经复核，因${reason}，` +
            `根据${f.legalGround}，决定自${
              f.effectiveOn ? monthZh(f.effectiveOn) : '本通知送达之月的次月'
            }起终止你户${f.item}，停发相应救助金。`,
        ),
        appeal(f.issuer),
        P('特此通知。'),
      ];
  }
}

export function documentSpec(f: DocumentFacts): DocumentSpec {
  const fields: [string, string][] = [
    ['申请人（户主）', f.addressee],
    ...(f.idNumber ? ([['公民身份号码', f.idNumber]] as [string, string][]) : []),
    ['家庭住址', f.address || '—'],
    ['户编号', f.householdNumber],
    ['事项', f.item],
  ];
  if (f.kind === 'confirmation' && f.amountFen !== null)
    fields.push(['月保障（救助）金额', `${yuan(f.amountFen)}元`]);
  if (f.kind === 'confirmation' && f.startsOn) fields.push(['起始月份', monthZh(f.startsOn)]);
  if (f.kind === 'termination' && f.effectiveOn) fields.push(['停发月份', monthZh(f.effectiveOn)]);
  fields.push(['依据', f.legalGround]);
  return {
    title: f.title,
    documentNumber: f.number,
    blocks: [
      { kind: 'paragraph', text: `${f.addressee}：` },
      ...body(f),
      { kind: 'fields', items: fields },
      { kind: 'seal', office: f.issuer.name, date: f.issuedOn },
    ],
    footer: f.issuer.name,
    author: f.issuer.name,
    subject: f.number,
    createdAt: new Date(`${f.issuedOn}T00:00:00Z`),
  };
}
