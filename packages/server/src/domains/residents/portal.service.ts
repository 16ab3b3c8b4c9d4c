/**
 * The resident portal (mobile): my household, my applications and the progress of each case (steps,
 * due dates, papers still missing), notices of my village while open (mine marked, until decided)
 * and my enrolments. Only the resident's own household, found through their linked person;
 * row-level security keeps even that to their village.
 */
import { asActor } from '../../db/scope.ts';
import { errors } from '../../http/errors.ts';
import { type Actor, authorize, Permission } from '../access/permissions.ts';
import { type IntakeDeps, todayOf } from '../intake/applications.service.ts';
import * as intakeRepo from '../intake/intake.repo.ts';
import { caseView, templateOf } from '../intake/intake.views.ts';
import { residentHousehold } from './residents.repo.ts';

function progress(
  row: intakeRepo.CaseRow,
  today: string,
  documents: { document_id: string; recorded_on: string }[],
) {
  const t = templateOf(row);
  const v = caseView(row, today, documents);
  const done = new Set(row.completed_steps);
  // Steps reached only by a side branch (community appraisal after an objection) are shown only once
  // the case has gone there.
  const main = new Set(t.steps.flatMap((s) => s.next.slice(0, 1).map((n) => n.to)));
  const side = new Set(
    t.steps.flatMap((s) => s.next.slice(1).map((n) => n.to)).filter((id) => !main.has(id)),
  );
  return {
    id: v.id,
    policyId: v.policyId,
    policyName: v.policyName,
    policyNameEn: v.policyNameEn,
    status: v.status,
    receivedOn: v.receivedOn,
    caseDueOn: v.caseDueOn,
    outcomeReason: v.outcomeReason,
    currentStep: v.currentStep
      ? {
          name: v.currentStep.name,
          nameEn: v.currentStep.nameEn,
          office: v.currentStep.office,
          officeName: v.currentStep.officeName,
          dueOn: v.currentStep.clock?.dueOn ?? null,
          dueStatus: v.currentStep.clock?.dueStatus ?? null,
          missingDocuments: v.currentStep.documents
            .filter((d) => d.from === 'applicant' && !d.recordedOn)
            .map((d) => ({ name: d.name, nameEn: d.nameEn })),
        }
      : null,
    steps: t.steps
      .filter((s) => !side.has(s.id) || done.has(s.id) || s.id === row.current_step)
      .map((s) => ({
        id: s.id,
        name: s.name.zh,
        nameEn: s.name.en,
        state: done.has(s.id)
          ? ('done' as const)
          : s.id === row.current_step
            ? ('current' as const)
            : ('todo' as const),
      })),
  };
}

export async function myPortal(deps: IntakeDeps, actor: Actor | undefined, requestId?: string) {
  authorize(actor, Permission.residentPortal);
  const today = todayOf(deps);
  return asActor(deps.db, actor, requestId, async (tx) => {
    const mine = await residentHousehold(tx, actor.userId);
    if (!mine) return { linked: false, household: null, applications: [], notices: [], enrolments: [] };
    const h = (
      await tx.query<{ household_number: string; address: string; region_name: string | null }>(
        `SELECT h.household_number, h.address, r.name AS region_name
           FROM household h LEFT JOIN region r ON r.code = h.region_code WHERE h.id = $1`,
        [mine.household_id],
      )
    ).rows[0];
    if (!h) throw errors.notFound('您的家庭');
    const members = await tx.query<{
      name: string;
      relationship_to_head: string;
      id_number_masked: string;
      me: boolean;
    }>(
      `SELECT name, relationship_to_head, id_number_masked, id = $2 AS me FROM person
        WHERE household_id = $1 AND merged_into IS NULL AND death_date IS NULL
        ORDER BY relationship_to_head <> 'head', birth_date`,
      [mine.household_id, mine.person_id],
    );
    const apps = await tx.query<{ id: string; channel: string; received_on: string }>(
      `SELECT id, channel, to_char(received_on, 'YYYY-MM-DD') AS received_on FROM intake_application
        WHERE household_id = $1 ORDER BY created_at DESC LIMIT 20`,
      [mine.household_id],
    );
    const applications = [];
    for (const a of apps.rows) {
      const cases = [];
      for (const c of await intakeRepo.casesOfApplication(tx, a.id))
        cases.push(progress(c, today, await intakeRepo.documentsOf(tx, c.id)));
      applications.push({ id: a.id, channel: a.channel, receivedOn: a.received_on, cases });
    }
    const notices = await tx.query<{
      id: string;
      head_name: string;
      id_number_masked: string;
      household_size: number;
      proposed_amount_fen: string;
      starts_on: string;
      ends_on: string;
      status: string;
      policy_id: string;
      mine: boolean;
    }>(
      `SELECT id, head_name, id_number_masked, household_size, proposed_amount_fen, policy_id, status,
              to_char(starts_on, 'YYYY-MM-DD') AS starts_on, to_char(ends_on, 'YYYY-MM-DD') AS ends_on,
              household_id = $1 AS mine
         FROM public_notice n
        -- A notice is there for objections: neighbours see it during its period only; the household
        -- sees its own until the case is decided, when the decision (文书) takes its place.
        WHERE region_code = $2
          AND ((status = 'open' AND $3::date BETWEEN starts_on AND ends_on)
               OR (household_id = $1
                   AND EXISTS (SELECT 1 FROM intake_case c WHERE c.id = n.case_id
                                AND c.status IN ('open', 'awaitingApplicant'))
                   AND NOT EXISTS (SELECT 1 FROM case_decision d WHERE d.case_id = n.case_id)))
        ORDER BY starts_on DESC LIMIT 50`,
      [mine.household_id, mine.region_code, today],
    );
    const enrolments = await tx.query<{
      category: string;
      monthly_amount_fen: string | null;
      starts_on: string;
      next_review_on: string;
      status: string;
    }>(
      `SELECT category, monthly_amount_fen, status, to_char(starts_on, 'YYYY-MM-DD') AS starts_on,
              to_char(next_review_on, 'YYYY-MM-DD') AS next_review_on
         FROM enrolment WHERE household_id = $1 ORDER BY created_at DESC`,
      [mine.household_id],
    );
    return {
      linked: true,
      household: {
        id: mine.household_id,
        householdNumber: h.household_number,
        address: h.address,
        regionName: h.region_name ?? '',
        members: members.rows.map((m) => ({
          name: m.name,
          relationship: m.relationship_to_head,
          idNumberMasked: m.id_number_masked,
          me: m.me,
        })),
      },
      applications,
      notices: notices.rows.map((n) => ({
        id: n.id,
        headName: n.head_name,
        idNumberMasked: n.id_number_masked,
        householdSize: n.household_size,
        proposedAmountFen: Number(n.proposed_amount_fen),
        policyId: n.policy_id,
        startsOn: n.starts_on,
        endsOn: n.ends_on,
        status: n.status,
        mine: n.mine,
      })),
      enrolments: enrolments.rows.map((e) => ({
        category: e.category,
        monthlyAmountFen: e.monthly_amount_fen === null ? null : Number(e.monthly_amount_fen),
        startsOn: e.starts_on,
        nextReviewOn: e.next_review_on,
        status: e.status,
      })),
    };
  });
}
