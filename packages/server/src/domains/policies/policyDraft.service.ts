/**
 * Checking and publishing a draft (see policies.service.ts for the decisions). Checking compiles
 * the whole catalogue with the draft applied; publishing repeats the check on the exact texts it
 * inserts, so a draft that fails anything is never published, whatever the client does.
 */
import type { Database } from '../../db/database.ts';
import { asActor } from '../../db/scope.ts';
import { AppError, errors } from '../../http/errors.ts';
import { type Actor, authorize, Permission } from '../access/permissions.ts';
import { appendAudit } from '../audit/audit.repo.ts';
import { regionLevel, regionPrefix } from '../regions/regionCode.ts';
import { chinaDate, today } from '../registry/registry.model.ts';
import { sha256Hex } from '../rules/activeCatalog.ts';
import * as repo from './policies.repo.ts';
import { requireEditableFile, requireHeadText } from './policies.service.ts';
import {
  buildHead,
  type CheckResult,
  type Head,
  headText,
  type Located,
  lineDiff,
  parameterScopeProblem,
} from './policyCheck.ts';
import { runCheck } from './policyCheckRunner.ts';
import { fileKind, scenarioFileOf, textProblems } from './policyText.ts';
import { versionView } from './policyViews.ts';

async function draftAndHead(db: Database, actor: Actor, file: string, requestId?: string) {
  return asActor(db, actor, requestId, async (tx) => {
    const draft = await repo.findDraft(tx, actor.regionCode, file);
    if (!draft) throw errors.notFound('草稿');
    const head = buildHead(await repo.latestVersions(tx));
    const countiesOutside = await repo.countiesOutsideScope(tx);
    return { draft, head, countiesOutside };
  });
}

/** The texts a draft changes (file → text), only those that differ from the newest version. */
function draftChanges(head: Head, draft: repo.DraftRow): Map<string, string> {
  const changes = new Map<string, string>();
  if (headText(head, draft.file)?.text !== draft.body) changes.set(draft.file, draft.body);
  const scenarioFile = scenarioFileOf(draft.file);
  if (
    scenarioFile &&
    draft.scenario_body !== null &&
    headText(head, scenarioFile)?.text !== draft.scenario_body
  )
    changes.set(scenarioFile, draft.scenario_body);
  return changes;
}

function scopeProblems(actor: Actor, head: Head, draft: repo.DraftRow, countiesOutside: number): Located[] {
  const at = (code: string, message: string): Located => ({
    file: draft.file,
    line: 1,
    column: 1,
    code,
    message,
  });
  const problems: Located[] = [];
  const current = headText(head, draft.file);
  if (current && current.sha256 !== draft.base_sha256)
    problems.push(at('stale_draft', '草稿起草后该文件已发布新版本，请对照差异重新起草'));
  if (fileKind(draft.file) === 'parameters') {
    if (current && textProblems(draft.body).length === 0 && textProblems(current.text).length === 0) {
      const message = parameterScopeProblem(current.text, draft.body, regionPrefix(actor.regionCode));
      if (message) problems.push(at('out_of_scope', message));
    }
  } else if (countiesOutside > 0) {
    problems.push(
      at('out_of_scope', '政策、变量、指标模型文件适用于全部县（市、区），须由覆盖全部县的上级发布'),
    );
  }
  return problems;
}

export async function checkDraft(
  db: Database,
  actor: Actor | undefined,
  file: string,
  effectiveDate?: string,
  requestId?: string,
): Promise<CheckResult> {
  authorize(actor, Permission.policyEdit);
  requireEditableFile(file);
  const { draft, head, countiesOutside } = await draftAndHead(db, actor, file, requestId);
  return runCheck(
    head,
    draftChanges(head, draft),
    actor.regionCode,
    effectiveDate ?? today(),
    scopeProblems(actor, head, draft, countiesOutside),
  );
}

export async function diffDraft(db: Database, actor: Actor | undefined, file: string, requestId?: string) {
  authorize(actor, Permission.policyRead);
  requireEditableFile(file);
  const { draft, head } = await draftAndHead(db, actor, file, requestId);
  const current = requireHeadText(head, file);
  const scenarioFile = scenarioFileOf(file);
  const scenarioCurrent = scenarioFile ? (headText(head, scenarioFile)?.text ?? '') : '';
  return {
    file,
    base: { versionNo: current.versionNo, sha256: current.sha256 },
    hunks: lineDiff(file, current.text, draft.body),
    scenarioFile: scenarioFile ?? null,
    scenarioHunks:
      scenarioFile && draft.scenario_body !== null
        ? lineDiff(scenarioFile, scenarioCurrent, draft.scenario_body)
        : [],
  };
}

export interface PublishInput {
  file: string;
  effectiveDate: string;
  reason: string;
  revision: number;
}

const checkFailed = (result: CheckResult) =>
  new AppError(
    409,
    'CHECK_FAILED',
    `检查未通过：${result.problems.length} 个问题，${result.scenarios.failures.length} 个场景测试失败，不能发布`,
    `check failed: ${result.problems.length} problems, ${result.scenarios.failures.length} failing scenarios`,
  );

export async function publishDraft(
  db: Database,
  actor: Actor | undefined,
  input: PublishInput,
  requestId?: string,
) {
  authorize(actor, Permission.policyPublish);
  requireEditableFile(input.file);
  if (regionLevel(actor.regionCode) > 3) throw errors.forbidden(Permission.policyPublish);
  const today = chinaDate(new Date());
  if (input.effectiveDate < today)
    throw errors.validation(
      'effectiveDate',
      `生效日期不能早于今天（${today}）`,
      'effective date is in the past',
    );
  const { draft, head, countiesOutside } = await draftAndHead(db, actor, input.file, requestId);
  if (draft.revision !== input.revision)
    throw errors.conflict(
      'DRAFT_CHANGED',
      '草稿在检查后又被修改，请重新检查',
      'the draft changed',
      'revision',
    );
  const changes = draftChanges(head, draft);
  if (changes.size === 0)
    throw errors.validation('file', '草稿与现行版本相同，没有可发布的修改', 'no changes');
  for (const file of changes.keys()) {
    const scheduled = head.latest.get(file)?.effective_from;
    if (scheduled && input.effectiveDate < scheduled)
      throw errors.validation(
        'effectiveDate',
        `该文件已有 ${scheduled} 生效的版本，新版本的生效日期不能早于它`,
        'effective date precedes a scheduled version',
      );
  }
  const result = await runCheck(
    head,
    changes,
    actor.regionCode,
    input.effectiveDate,
    scopeProblems(actor, head, draft, countiesOutside),
  );
  if (!result.passed) throw checkFailed(result);
  return asActor(db, actor, requestId, async (tx) => {
    const published = [];
    for (const [file, body] of changes) {
      const inserted = await repo.insertVersion(tx, {
        file,
        body,
        sha256: sha256Hex(body),
        baseSha256: headText(head, file)?.sha256 ?? sha256Hex(''),
        effectiveFrom: input.effectiveDate,
        reason: input.reason,
        regionCode: actor.regionCode,
        publishedBy: actor.userId,
        publisherName: actor.displayName,
      });
      // Under the file lock: a version published since the check means this one was not reviewed against it.
      const previous = head.latest.get(file)?.version_no ?? 0;
      if (inserted.version_no !== previous + 1)
        throw errors.conflict(
          'STALE_DRAFT',
          '检查后该文件已发布新版本，请重新检查',
          'a newer version was published',
        );
      published.push(versionView(inserted));
    }
    // Same draft, same revision: nobody saved over it between the check and now.
    const still = await repo.findDraft(tx, actor.regionCode, input.file);
    if (still?.revision !== input.revision)
      throw errors.conflict(
        'DRAFT_CHANGED',
        '草稿在检查后又被修改，请重新检查',
        'the draft changed',
        'revision',
      );
    await repo.deleteDraft(tx, actor.regionCode, input.file);
    await appendAudit(tx, {
      action: 'policy.publish',
      entityType: 'policy_version',
      entityId: input.file,
      regionCode: actor.regionCode,
      actorRole: actor.role,
      after: {
        versions: published.map((v) => ({ file: v.file, versionNo: v.versionNo, sha256: v.sha256 })),
        effectiveFrom: input.effectiveDate,
        reason: input.reason,
        scenarios: result.scenarios.total,
      },
    });
    return { versions: published, check: result };
  });
}
