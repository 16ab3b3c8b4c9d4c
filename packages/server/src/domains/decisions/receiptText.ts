/**
 * The receipt of service (送达回执) of one document: what is served (title and number), on whom and
 * where, the four methods with the one used ticked, the date, and lines for the signatures of the
 * recipient, the witness (留置送达) and the server. Printed before service it is the blank form the
 * caseworker takes along; issued when the service is recorded first it carries what was recorded.
 * Pure: the service gathers the facts.
 */
import type { DocumentBlock, DocumentSpec } from '../../documents/pdf.ts';
import { dateZh } from './documentText.ts';
import {
  METHOD_ZH,
  RELATION_ZH,
  type RecipientRelation,
  type ServiceMethod,
  ServiceMethods,
} from './serviceRules.ts';

export interface ReceiptFacts {
  title: string;
  number: string;
  issuer: string;
  issuedOn: string;
  served: { title: string; number: string; issuedOn: string };
  addressee: string;
  address: string;
  service: {
    method: ServiceMethod;
    servedOn: string;
    recipientName: string;
    recipientRelation: RecipientRelation;
    witnessName: string | null;
    refusalReason: string | null;
    trackingNumber: string | null;
    serverName: string;
  } | null;
}

const BLANK = '　　　　　　　　　　';
const BLANK_DATE = '　　　　年　　月　　日';
/** Room to sign by hand: two empty lines, then the words under the signature. */
const SIGN = (words: string) => `\n\n${BLANK}${BLANK}${words}`;

export function receiptSpec(f: ReceiptFacts): DocumentSpec {
  const s = f.service;
  const methods = ServiceMethods.map((m) => `${s?.method === m ? '■' : '□'}${METHOD_ZH[m]}`).join('　');
  const recipient = s
    ? `${s.recipientName}（${RELATION_ZH[s.recipientRelation]}）`
    : `\n\n${BLANK}（签名或盖章）　　　　年　　月　　日`;
  const fields: [string, string][] = [
    ['送达文书名称', f.served.title],
    ['文书编号', f.served.number],
    ['成文日期', dateZh(f.served.issuedOn)],
    ['受送达人', f.addressee],
    ['送达地址', f.address || '—'],
    ['送达方式', methods],
    ['送达时间', s ? dateZh(s.servedOn) : BLANK_DATE],
    ['受送达人签收', s?.method === 'electronic' ? '电子送达，以系统送达记录为准' : recipient],
    ['签收人身份', s ? RELATION_ZH[s.recipientRelation] : '□本人　□同住成年家属　□代理人'],
    ['拒收事由', s?.refusalReason ?? BLANK],
    ['见证人', s?.witnessName ? `${s.witnessName}${SIGN('（签名）')}` : SIGN('（签名）')],
    ['邮件号码', s?.trackingNumber ?? BLANK],
    ['送达人', s ? `${s.serverName}${SIGN('（签名）')}` : SIGN('（签名）')],
  ];
  const notes: DocumentBlock[] = [
    {
      kind: 'paragraph',
      tone: 'muted',
      text:
        '　　说明：受送达人本人不在的，可交其同住成年家属签收；受送达人拒绝签收的（留置送达），送达人应当邀请有关基层组织' +
        '或者所在单位的代表到场，说明情况，在本回执上记明拒收事由和日期，由送达人、见证人签名，把文书留在受送达人' +
        '的住所，即视为送达。邮寄送达的，填写邮件号码，以回执上注明的收件日期为送达日期。申请行政复议、提起行政诉讼的期限自送达之日起计算。',
    },
  ];
  return {
    title: f.title,
    documentNumber: f.number,
    blocks: [
      { kind: 'fields', items: fields },
      ...notes,
      { kind: 'seal', office: f.issuer, date: f.issuedOn },
    ],
    footer: f.issuer,
    author: f.issuer,
    subject: f.number,
    createdAt: new Date(`${f.issuedOn}T00:00:00Z`),
  };
}
