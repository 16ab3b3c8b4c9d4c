/**
 * Suggestions at intake (受理时的事项提示, issue 6 item 2): the household's facts from the registry
 * (domains/householdFacts), with what the applicant declares at the window standing in for its
 * recorded economic facts, evaluated against the catalogue in force today, the same way screening
 * and the self-check do. Each policy comes back with its status, amount, trace, whether the household
 * already receives it or has an open case for it, and the process template with the documents the
 * household must bring — the wizard's checklist. Nothing is stored: the declaration is typed again
 * into the application's documents when the caseworker submits.
 *
 * Staff only (intake.read and intake.submit): the trace quotes a family's income, so a resident, who
 * may submit online, does not get other households' suggestions here.
 */
import { evaluate, renderTraceZh } from '@doudi/rules';
import { asActor } from '../../db/scope.ts';
import { AppError, errors } from '../../http/errors.ts';
import { type Actor, authorize, Permission } from '../access/permissions.ts';
import { householdFactsFor } from '../householdFacts/householdFacts.ts';
import { activeCatalog } from '../rules/activeCatalog.ts';
import { policyLedger } from '../rules/lint.ts';
import { receives } from '../screening/screening.run.ts';
import { type IntakeDeps, todayOf } from './applications.service.ts';
import { policyRefs } from './intake.views.ts';
import { checkResidencePlace, householdRegionAnyScope } from './residence.ts';
import { processTemplates, templateForPolicy } from './templates.ts';
import { requiredDocuments } from './transitions.ts';

/** Internal screening tools (ranking, monitoring circles): nothing a household applies for. */
const HIDDEN_CATEGORIES = new Set(['监测预警']);
const ORDER: Record<string, number> = { eligible: 0, needsInformation: 1, error: 2, ineligible: 3 };

export const SUGGESTION_NOTICE =
  '以下为规则引擎根据登记信息和本次申报测算的提示，仅供受理参考，是否符合以调查核对和审核确认为准。';

export const RESIDENCE_NOTICE =
  '居住地申办：提交申请前不调取户籍地登记的家庭信息，以下列出可申请的事项和须提交的材料；受理后按程序调查核对。';

export interface SuggestionsInput {
  householdId: string;
  declared?: Record<string, number | boolean | undefined> | undefined;
  residenceRegionCode?: string | undefined;
}

export async function suggestItems(
  deps: IntakeDeps,
  actor: Actor | undefined,
  body: SuggestionsInput,
  requestId?: string,
) {
  authorize(actor, Permission.intakeRead);
  authorize(actor, Permission.intakeSubmit);
  const today = todayOf(deps);
  // Own, plain-data copy: only the schema's names reach the engine, never a prototype key.
  const declared: Record<string, number | boolean> = {};
  for (const [k, v] of Object.entries(body.declared ?? {})) {
    if (typeof v === 'number' && !Number.isSafeInteger(v))
      throw errors.validation(`declared.${k}`, '申报金额或数量须为不超过上限的整数', 'not a safe integer');
    if (typeof v === 'number' || typeof v === 'boolean') declared[k] = v;
  }

  return asActor(deps.db, actor, requestId, async (tx) => {
    if (body.residenceRegionCode) {
      // Apply where you live: the township cannot read the household before the application exists.
      const registered = await householdRegionAnyScope(tx, body.householdId);
      if (!registered) throw errors.notFound('该户');
      await checkResidencePlace(
        tx,
        actor,
        body.residenceRegionCode,
        registered,
        today,
        'residenceRegionCode',
      );
      const active = await activeCatalog(tx, today);
      const ledger = policyLedger(active.sources);
      const templates = processTemplates();
      const items = [];
      for (const policy of active.catalog.policies) {
        const ref = policyRefs().get(policy.id);
        const entry = ledger.get(policy.id) ?? {};
        if (!ref || HIDDEN_CATEGORIES.has(String(entry.category ?? ''))) continue;
        const template = templateForPolicy(templates, ref);
        const first = template.steps[0];
        const documents = first
          ? requiredDocuments(template, first, { policyId: policy.id, flags: [] }).filter(
              (d) => d.from === 'applicant',
            )
          : [];
        items.push({
          policyId: policy.id,
          name: policy.name.zh,
          nameEn: policy.name.en,
          department: typeof entry.department === 'string' ? entry.department : '',
          status: 'needsInformation',
          suggested: false,
          receiving: false,
          openCaseId: null,
          amountFen: null,
          amountUnit: null,
          missingFacts: [],
          traceZh: RESIDENCE_NOTICE,
          templateId: template.id,
          templateName: template.name.zh,
          templateNameEn: template.name.en,
          documents: documents.map((d) => ({ id: d.id, name: d.zh, nameEn: d.en, from: d.from })),
        });
      }
      items.sort((a, b) => a.policyId.localeCompare(b.policyId));
      return {
        date: today,
        householdId: body.householdId,
        regionCode: body.residenceRegionCode,
        catalogVersion: active.version,
        economySource: 'none',
        notice: RESIDENCE_NOTICE,
        items,
      };
    }
    const assembled = await householdFactsFor(tx, body.householdId, today);
    if (!assembled) throw errors.notFound('该户');
    const active = await activeCatalog(tx, today);
    const facts = {
      ...assembled.facts,
      household: { ...assembled.facts.household, ...declared },
    };
    let results: ReturnType<typeof evaluate>;
    try {
      results = evaluate(active.catalog, facts, today, `${assembled.regionCode.slice(0, 9)}000`);
    } catch {
      // The message may quote the household's figures: never echoed, never logged.
      throw new AppError(500, 'EVALUATION_FAILED', '规则测算出错，请联系管理员', 'evaluation failed');
    }
    const open = await tx.query<{ id: string; policy_id: string }>(
      `SELECT id, policy_id FROM intake_case
        WHERE household_id = $1 AND status IN ('open', 'awaitingApplicant') ORDER BY created_at`,
      [body.householdId],
    );
    const openCase = new Map(open.rows.map((r) => [r.policy_id, r.id]));
    const categories = (assembled.facts.household?.currentCategories as string[] | undefined) ?? [];
    const ledger = policyLedger(active.sources);
    const templates = processTemplates();
    const items = [];
    for (const r of results) {
      const ref = policyRefs().get(r.policyId);
      const entry = ledger.get(r.policyId) ?? {};
      if (!ref || HIDDEN_CATEGORIES.has(String(entry.category ?? ''))) continue;
      const template = templateForPolicy(templates, ref);
      const first = template.steps[0];
      const documents = first
        ? requiredDocuments(template, first, { policyId: r.policyId, flags: [] }).filter(
            (d) => d.from === 'applicant',
          )
        : [];
      const receiving = receives(r.policyId, categories);
      const openCaseId = openCase.get(r.policyId) ?? null;
      items.push({
        policyId: r.policyId,
        name: r.trace.policyName.zh,
        nameEn: r.trace.policyName.en,
        department: typeof entry.department === 'string' ? entry.department : '',
        status: r.status,
        suggested: r.status === 'eligible' && !receiving && !openCaseId,
        receiving,
        openCaseId,
        amountFen: r.status === 'eligible' ? r.amountFen : null,
        amountUnit: r.trace.amount?.unit ?? null,
        missingFacts: [...new Set(r.missingFacts.map((f) => r.trace.missingFactLabels[f] ?? f))],
        traceZh: renderTraceZh(r.trace),
        templateId: template.id,
        templateName: template.name.zh,
        templateNameEn: template.name.en,
        documents: documents.map((d) => ({ id: d.id, name: d.zh, nameEn: d.en, from: d.from })),
      });
    }
    items.sort(
      (a, b) =>
        Number(b.suggested) - Number(a.suggested) ||
        (ORDER[a.status] ?? 9) - (ORDER[b.status] ?? 9) ||
        a.policyId.localeCompare(b.policyId),
    );
    return {
      date: today,
      householdId: assembled.householdId,
      regionCode: assembled.regionCode,
      catalogVersion: active.version,
      economySource: Object.keys(declared).length ? 'declared' : (assembled.economySource ?? 'none'),
      notice: SUGGESTION_NOTICE,
      items,
    };
  });
}
