import type { noticesZh } from './notices.zh-CN';

/** English texts of the public notice page; same keys as notices.zh-CN.ts. */
export const noticesEn: typeof noticesZh = {
  menu: 'Public notices',
  title: 'Public notices',
  hint: 'Proposed recipients are posted in their village: name, masked ID number, household size, proposed amount and notice period. Objections go to the case, which must then go to community appraisal or a new investigation.',
  filterAll: 'All',
  status: { open: 'Posted', closed: 'Closed' },
  columns: {
    name: 'Head',
    idNumber: 'ID number',
    size: 'Size',
    amount: 'Proposed yuan / month',
    period: 'Notice period',
    region: 'Village',
    objections: 'Objections',
    status: 'Status',
  },
  pending: 'Cases waiting for their notice',
  pendingHint: 'Cases at the notice step with no notice posted yet. Enter the proposed amount and post.',
  noPending: 'No case is waiting for a notice',
  publish: 'Post notice',
  amountYuan: 'Proposed monthly amount (yuan)',
  published: 'Notice posted',
  detail: 'Notice',
  objections: 'Objections',
  noObjections: 'No objection was lodged',
  anonymous: 'Anonymous',
  object: 'Object',
  days: '{{days}} days ({{kind}})',
  dayKind: { calendar: 'calendar days', working: 'working days' },
};
