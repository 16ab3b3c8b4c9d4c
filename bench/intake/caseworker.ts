/**
 * One simulated member of staff, in a loop until the deadline, with a think time between actions:
 * a township caseworker submits applications at the window (Idempotency-Key; some retried, at once
 * or after the answer, as a double click or a lost answer does), lists the workbench (and its overdue
 * lists), opens a case, and acts on one at a township step: completes it with its documents (so a
 * step may go back to the applicant when papers are missing), or records the papers the household
 * brought (resubmit). A verification-centre officer completes the verification steps that follow.
 * Every answer the server acknowledged is written to the ledger the checks read afterwards.
 */
import type { Browser, Reply } from './client.ts';
import type { Staff } from './setup.ts';

export interface Ledger {
  /** Idempotency-Key → the body sent and every answer to it. */
  submissions: Map<string, { body: Submit; answers: { status: number; id?: string; cases?: string[] }[] }>;
  /** Case id → transitions answered 200, and those with no answer (timeout, network). */
  transitions: Map<string, { acked: number; unknown: number }>;
  /** Transition answers by result (moved, returned, resumed, finished). */
  results: Map<string, number>;
}

interface Submit {
  householdId: string;
  channel: 'window';
  items: { policyId: string; documents: string[] }[];
}

export const newLedger = (): Ledger => ({
  submissions: new Map(),
  transitions: new Map(),
  results: new Map(),
});

/** The items a window clerk takes, with the household's papers for the first step of each. */
const MIXES: { weight: number; items: { policyId: string; documents: string[] }[] }[] = [
  { weight: 50, items: [{ policyId: 'dibao', documents: ['idCard', 'authorisation', 'declaration'] }] },
  { weight: 20, items: [{ policyId: 'temporaryAid', documents: ['idCard', 'hardshipStatement'] }] },
  {
    weight: 15,
    items: [
      { policyId: 'dibao', documents: ['idCard', 'authorisation', 'declaration'] },
      { policyId: 'compulsoryEducationAid', documents: ['idCard', 'itemForm'] },
    ],
  },
  { weight: 15, items: [{ policyId: 'emergencyAid', documents: ['idCard', 'emergencyStatement'] }] },
];

export interface WorkerOptions {
  deadline: number;
  thinkMs: number;
  retryShare: number;
  random: () => number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pick = <T>(list: readonly T[], random: () => number): T | undefined =>
  list[Math.floor(random() * list.length)];

function weighted<T extends { weight: number }>(list: readonly T[], random: () => number): T {
  let r = random() * list.reduce((s, x) => s + x.weight, 0);
  for (const x of list) {
    r -= x.weight;
    if (r < 0) return x;
  }
  return list[list.length - 1] as T;
}

type CaseSummary = {
  id: string;
  status: string;
  currentStep: { id: string; office: string } | null;
};

export async function runStaff(
  staff: Staff,
  index: number,
  browser: Browser,
  ledger: Ledger,
  o: WorkerOptions,
) {
  let seen: CaseSummary[] = [];
  /** Cases of this caseworker's own intakes (首问负责: they follow them), newest last. */
  const own: string[] = [];
  let submitted = 0;
  const act = staff.role === 'caseworker' ? caseworkerAction : verifierAction;
  // Staggered start: 200 people do not click in the same millisecond.
  await sleep(o.random() * o.thinkMs);
  while (Date.now() < o.deadline) {
    const out = await act();
    if (out) seen = out;
    if (o.thinkMs > 0) await sleep(o.thinkMs * (0.5 + o.random()));
  }

  async function caseworkerAction(): Promise<CaseSummary[] | undefined> {
    const r = o.random();
    if (r < 0.2) {
      await submit();
      return undefined;
    }
    if (r < 0.45) return workbench();
    if (r < 0.6) {
      const c = pick(seen, o.random);
      if (c) await browser.request('open case', 'GET', `/api/intake/cases/${c.id}`);
      else return workbench();
      return undefined;
    }
    // Act on a case: mostly one of their own intakes, else one of the office's at a township step
    // (not one that must wait out its notice period).
    const mine = o.random() < 0.7 ? pick(own.slice(-30), o.random) : undefined;
    const actionable = seen.filter(
      (c) => c.currentStep?.office === 'township' && c.currentStep.id !== 'publicNotice',
    );
    const id = mine ?? pick(actionable, o.random)?.id;
    if (!id) return workbench();
    await actOn(id, 'township');
    return undefined;
  }

  async function verifierAction(): Promise<CaseSummary[] | undefined> {
    const list = await browser.request(
      'workbench list',
      'GET',
      '/api/intake/cases?office=verificationCentre&status=open&page=1&pageSize=50',
    );
    const c = pick((list.json?.items ?? []) as CaseSummary[], o.random);
    if (c) await actOn(c.id, 'verification');
    return undefined;
  }

  async function workbench(): Promise<CaseSummary[]> {
    // The workbench page: "my office's open cases" most often, everything in scope sometimes; the
    // overdue summary loads with the page.
    const query = o.random() < 0.7 ? 'office=township&status=open&page=1&pageSize=20' : 'page=1&pageSize=20';
    const list = await browser.request('workbench list', 'GET', `/api/intake/cases?${query}`);
    if (o.random() < 0.3) await browser.request('overdue lists', 'GET', '/api/intake/overdue');
    return list.status === 200 ? (list.json.items as CaseSummary[]) : seen;
  }

  async function submit() {
    const householdId = pick(staff.households, o.random);
    if (!householdId) return;
    const mix = weighted(MIXES, o.random);
    const items = mix.items.map((i) => ({ ...i, documents: [...i.documents] }));
    // A quarter of households come without one of their papers: the intake step will send them back.
    if (o.random() < 0.25) items[0]?.documents.splice(Math.floor(o.random() * items[0].documents.length), 1);
    const body: Submit = { householdId, channel: 'window', items };
    const key = `bench-${index}-${++submitted}-${Date.now().toString(36)}`;
    const entry = { body, answers: [] as { status: number; id?: string; cases?: string[] }[] };
    ledger.submissions.set(key, entry);
    const send = async (op: string) => {
      const reply = await browser.request(op, 'POST', '/api/intake/applications', body, {
        'idempotency-key': key,
      });
      if (reply.status === 200 && entry.answers.every((a) => a.status !== 200))
        for (const c of reply.json.cases as { id: string }[]) own.push(c.id);
      entry.answers.push(
        reply.status === 200
          ? {
              status: 200,
              id: reply.json.id,
              cases: (reply.json.cases as { id: string }[]).map((c) => c.id),
            }
          : { status: reply.status },
      );
      return reply;
    };
    const retry = o.random() < o.retryShare;
    if (retry && o.random() < 0.5) await Promise.all([send('submit'), send('submit (retry, same time)')]);
    else {
      await send('submit');
      if (retry) await send('submit (retry, after answer)');
    }
  }

  /** Opens the case (as the drawer does) and acts at its current step with what the page shows. */
  async function actOn(id: string, as: 'township' | 'verification') {
    const detail = await browser.request('open case', 'GET', `/api/intake/cases/${id}`);
    if (detail.status !== 200 || !detail.json.currentStep) return;
    const c = detail.json;
    const step = c.currentStep;
    // Someone else's step now (the verification centre, the county, a department), or the notice period.
    const mayAct = as === 'verification' ? 'verificationCentre' : 'township';
    if (step.office !== mayAct || step.id === 'publicNotice') return;
    const missing = (step.documents as { id: string; from: string; recordedOn: string | null }[]).filter(
      (d) => !d.recordedOn,
    );
    let body: Record<string, unknown>;
    let op: string;
    if (c.status === 'awaitingApplicant') {
      // The household brought the missing papers: record them and restart the step's clock.
      body = { action: 'resubmit', documents: missing.map((d) => d.id) };
      op = 'resubmit (attach documents)';
    } else {
      // The office's own papers are made here; a household's missing ones are, in a third of cases,
      // not there yet (the step then goes back to the applicant with the full list).
      const attach = missing.filter((d) => d.from !== 'applicant' || o.random() < 0.67).map((d) => d.id);
      body = { action: 'complete', documents: attach };
      const outcomes = step.outcomes as string[];
      if (outcomes.length)
        body.outcome = outcomes.includes('noObjection') ? 'noObjection' : pick(outcomes, o.random);
      if (step.investigators) body.investigators = ['调查员甲', '调查员乙'];
      op = as === 'verification' ? 'complete verification' : 'complete step';
    }
    const reply: Reply = await browser.request(op, 'POST', `/api/intake/cases/${id}/transitions`, {
      version: c.version,
      step: step.id,
      ...body,
    });
    const t = ledger.transitions.get(id) ?? { acked: 0, unknown: 0 };
    ledger.transitions.set(id, t);
    if (reply.status === 200) {
      t.acked += 1;
      const result = String(reply.json.result);
      ledger.results.set(result, (ledger.results.get(result) ?? 0) + 1);
    } else if (reply.status === 0 || reply.status >= 500) t.unknown += 1;
  }
}
