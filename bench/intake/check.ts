/**
 * After the run: was any case lost or duplicated? Compares the ledger of acknowledged answers with
 * the database (read as the superuser, all regions):
 *  - every acknowledged submission exists, once, with one case per item; every answer to the same
 *    Idempotency-Key named the same application and cases; no application exists that nobody asked for;
 *  - each case's events replay its history without a gap: an `open` first, each next event starts at
 *    the step the previous one left, one event per version, the last one leaves the case where it is;
 *  - each case has exactly one event per transition the server acknowledged (plus the opening);
 *  - the audit trail has one `intake.submit` per application and one case entry per transition, and
 *    its hash chain verifies.
 */
import type { Database } from '../../packages/server/src/db/database.ts';
import { verifyAuditChain } from '../../packages/server/src/domains/audit/auditVerify.ts';
import type { Ledger } from './caseworker.ts';

export interface CheckResult {
  label: string;
  ok: boolean;
  detail: string;
}

export async function checkNothingLost(db: Database, ledger: Ledger): Promise<CheckResult[]> {
  const out: CheckResult[] = [];
  const add = (label: string, problems: string[], detail: string) =>
    out.push({
      label,
      ok: problems.length === 0,
      detail: problems.length ? problems.slice(0, 3).join('; ') : detail,
    });

  const apps = await db.query<{ id: string; key: string; submitted_by: string; cases: string[] }>(
    `SELECT a.id, a.idempotency_key AS key, a.submitted_by,
            coalesce(array_agg(c.id::text ORDER BY c.item_no) FILTER (WHERE c.id IS NOT NULL), '{}') AS cases
       FROM intake_application a LEFT JOIN intake_case c ON c.application_id = a.id
      GROUP BY a.id`,
  );
  const byKey = new Map<string, typeof apps.rows>();
  for (const a of apps.rows) byKey.set(a.key, [...(byKey.get(a.key) ?? []), a]);

  // 1. Submissions.
  const problems: string[] = [];
  let acked = 0;
  let retried = 0;
  let unanswered = 0;
  for (const [key, s] of ledger.submissions) {
    const ok = s.answers.filter((a) => a.status === 200);
    const stored = byKey.get(key) ?? [];
    if (s.answers.length > 1) retried += 1;
    if (stored.length > 1) problems.push(`key ${key}: ${stored.length} applications`);
    if (ok.length === 0) {
      if (s.answers.some((a) => a.status === 0 || a.status >= 500)) unanswered += 1;
      else if (stored.length) problems.push(`key ${key}: refused yet stored`);
      continue;
    }
    acked += 1;
    const app = stored[0];
    if (!app) {
      problems.push(`key ${key}: acknowledged as ${ok[0]?.id} but not stored`);
      continue;
    }
    for (const a of ok)
      if (a.id !== app.id || (a.cases ?? []).join() !== app.cases.join())
        problems.push(`key ${key}: an answer named ${a.id}, stored ${app.id}`);
    if (app.cases.length !== s.body.items.length)
      problems.push(`application ${app.id}: ${app.cases.length} cases for ${s.body.items.length} items`);
  }
  const strangers = apps.rows.filter((a) => !ledger.submissions.has(a.key));
  if (strangers.length) problems.push(`${strangers.length} applications nobody submitted`);
  const extra = apps.rows.length - acked;
  if (extra > unanswered) problems.push(`${apps.rows.length} applications stored, ${acked} acknowledged`);
  add(
    'every acknowledged submission stored exactly once, one case per item',
    problems,
    `${acked} acknowledged = ${apps.rows.length} stored (${extra} unanswered but stored); ` +
      `${apps.rows.reduce((s, a) => s + a.cases.length, 0)} cases; ${retried} keys sent twice → one application each`,
  );

  // 2. Event sequences, and events against acknowledged transitions.
  const events = await db.query<{
    case_id: string;
    version: number;
    current_step: string | null;
    status: string;
    actions: string[];
    froms: (string | null)[];
    tos: (string | null)[];
  }>(
    `SELECT c.id AS case_id, c.version, c.current_step, c.status,
            array_agg(e.action ORDER BY e.seq) AS actions, array_agg(e.from_step ORDER BY e.seq) AS froms,
            array_agg(e.to_step ORDER BY e.seq) AS tos
       FROM intake_case c JOIN intake_case_event e ON e.case_id = c.id GROUP BY c.id`,
  );
  const caseCount = Number(
    (await db.query<{ n: string }>('SELECT count(*) AS n FROM intake_case')).rows[0]?.n ?? 0,
  );
  const chain: string[] = [];
  const counts: string[] = [];
  let transitions = 0;
  if (events.rows.length !== caseCount) chain.push(`${caseCount - events.rows.length} cases without events`);
  for (const c of events.rows) {
    if (c.actions[0] !== 'open') chain.push(`case ${c.case_id}: first event ${c.actions[0]}`);
    if (c.actions.length !== c.version)
      chain.push(`case ${c.case_id}: ${c.actions.length} events for version ${c.version}`);
    let at: string | null = c.tos[0] ?? null;
    for (let i = 1; i < c.actions.length; i++) {
      if (c.actions[i] === 'extend' || c.actions[i] === 'handover') continue;
      if (c.froms[i] !== at) chain.push(`case ${c.case_id}: event ${i} from ${c.froms[i]} while at ${at}`);
      if (c.actions[i] !== 'returnToApplicant') at = c.tos[i] ?? null;
    }
    if (at !== c.current_step)
      chain.push(`case ${c.case_id}: events end at ${at}, case at ${c.current_step}`);
    const t = ledger.transitions.get(c.case_id) ?? { acked: 0, unknown: 0 };
    const n = c.actions.length - 1;
    transitions += n;
    if (n < t.acked || n > t.acked + t.unknown)
      counts.push(
        `case ${c.case_id}: ${n} transitions stored, ${t.acked} acknowledged (+${t.unknown} unanswered)`,
      );
  }
  add(
    "each case's events gap-free (open first, each from where the last left, one per version)",
    chain,
    `${events.rows.length} cases replayed`,
  );
  const ackedTransitions = [...ledger.transitions.values()].reduce((s, t) => s + t.acked, 0);
  add(
    'events per case = opening + acknowledged transitions',
    counts,
    `${transitions} transitions stored, ${ackedTransitions} acknowledged`,
  );

  // 3. Audit trail.
  const audit = await db.query<{ action: string; n: string }>(
    `SELECT CASE WHEN action LIKE 'intake.case.%' THEN 'case' ELSE action END AS action, count(*) AS n
       FROM audit_log WHERE action LIKE 'intake.%' GROUP BY 1`,
  );
  const auditCount = (a: string) => Number(audit.rows.find((r) => r.action === a)?.n ?? 0);
  const auditProblems: string[] = [];
  if (auditCount('intake.submit') !== apps.rows.length)
    auditProblems.push(`${auditCount('intake.submit')} submit entries for ${apps.rows.length} applications`);
  if (auditCount('case') !== transitions)
    auditProblems.push(`${auditCount('case')} case entries for ${transitions} transitions`);
  const verified = await verifyAuditChain(db);
  if (!verified.ok) auditProblems.push(`audit chain broken: ${JSON.stringify(verified)}`);
  add(
    'audit: one entry per write, hash chain verifies',
    auditProblems,
    `${auditCount('intake.submit')} submissions + ${auditCount('case')} transitions audited; chain ok`,
  );
  return out;
}
