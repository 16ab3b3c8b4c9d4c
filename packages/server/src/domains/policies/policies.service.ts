/**
 * Policy administration (issue 4 item 7): a county officer edits a catalogue file as a draft,
 * checks it (compile + lint + every scenario), reads the diff, and publishes it from an effective
 * date. Published versions are immutable rows; activeCatalog() overlays them on the baseline.
 *
 * Decisions (documented in catalog/README.md):
 * - Drafts are shared by the officers of one region (one draft per file per region, with a
 *   revision number against lost updates): colleagues review and finish each other's drafts.
 * - The effective date is today (Asia/Shanghai) or later, never earlier: decisions already made
 *   recorded the version they used, and a correction takes effect from today with a new version.
 *   It may not precede an already scheduled version of the same file, so per file the version
 *   number and the effective date rise together and "newest version in force" is unambiguous.
 * - Region scope: a county officer changes only its own region's overrides in a parameter file;
 *   policy and variable files apply to every county of the deployment, so publishing one needs a
 *   scope covering every county in the region table.
 * - Heavy work (compiling, ~0.7 s) runs outside transactions; publishing re-checks under a lock
 *   that nothing changed in between.
 */
import type { Database } from '../../db/database.ts';
import { asActor } from '../../db/scope.ts';
import { errors } from '../../http/errors.ts';
import { type Actor, authorize, Permission } from '../access/permissions.ts';
import { appendAudit } from '../audit/audit.repo.ts';
import { TRIGGER_FILE } from '../monitoring/triggers.ts';
import { chinaDate, today } from '../registry/registry.model.ts';
import { activeCatalog, sha256Hex } from '../rules/activeCatalog.ts';
import * as repo from './policies.repo.ts';
import { baselineText, buildHead, type Head, headText } from './policyCheck.ts';
import { EDITABLE_FILE, fileKind, scenarioFileOf, textProblems } from './policyText.ts';
import { draftView, type FileDetail, ledgerRow, policyView, versionView } from './policyViews.ts';

export function requireEditableFile(file: string): void {
  if (!EDITABLE_FILE.test(file))
    throw errors.validation(
      'file',
      '只能编辑 parameters/、variables/、policies/、indicators/ 下已有的文件和 triggers/triggers.yaml',
      'not an editable file',
    );
}

export function requireHeadText(head: Head, file: string) {
  const current = headText(head, file);
  if (!current) throw errors.notFound('政策文件');
  return current;
}

export async function listLedger(db: Database, actor: Actor | undefined, date?: string, requestId?: string) {
  authorize(actor, Permission.policyRead);
  const onDate = date ?? today();
  return asActor(db, actor, requestId, async (tx) => {
    const active = await activeCatalog(tx, onDate);
    const inForce = new Map((await repo.versionsInForce(tx, onDate)).map((v) => [v.file, v]));
    const latest = new Map((await repo.latestVersions(tx)).map((v) => [v.file, v]));
    const drafts = new Set((await repo.listDrafts(tx, actor.regionCode)).map((d) => d.file));
    const files = [
      ...Object.keys(active.sources.parameters),
      ...Object.keys(active.sources.variables),
      ...Object.keys(active.sources.indicators ?? {}),
      TRIGGER_FILE,
    ];
    return {
      date: onDate,
      version: active.version,
      policies: Object.entries(active.sources.policies)
        .map(([file, text]) => ledgerRow(file, text, inForce.get(file), latest.get(file), drafts.has(file)))
        // 民政 (civil affairs, the bureau that runs the ledger) first, then other departments.
        .sort(
          (a, b) =>
            Number(b.department === '民政') - Number(a.department === '民政') ||
            a.department.localeCompare(b.department, 'zh') ||
            a.id.localeCompare(b.id),
        ),
      files: files.sort().map((file) => ({
        file,
        versionNo: inForce.get(file)?.version_no ?? 0,
        effectiveFrom: inForce.get(file)?.effective_from ?? null,
        latestVersionNo: latest.get(file)?.version_no ?? 0,
        hasDraft: drafts.has(file),
      })),
    };
  });
}

export async function getFile(db: Database, actor: Actor | undefined, file: string, requestId?: string) {
  authorize(actor, Permission.policyRead);
  requireEditableFile(file);
  const today = chinaDate(new Date());
  return asActor(db, actor, requestId, async (tx): Promise<FileDetail> => {
    const head = buildHead(await repo.latestVersions(tx));
    const current = requireHeadText(head, file);
    const scenarioFile = scenarioFileOf(file);
    const inForce = (await repo.versionsInForce(tx, today)).find((v) => v.file === file);
    const draft = await repo.findDraft(tx, actor.regionCode, file);
    const versions = await repo.listVersions(tx, file);
    return {
      file,
      kind: fileKind(file),
      body: current.text,
      sha256: current.sha256,
      versionNo: current.versionNo,
      scenarioFile: scenarioFile ?? null,
      scenarioBody: scenarioFile ? (headText(head, scenarioFile)?.text ?? '') : null,
      inForceToday: inForce?.version_no ?? 0,
      versions: versions.map(versionView),
      scenarioVersions: scenarioFile ? (await repo.listVersions(tx, scenarioFile)).map(versionView) : [],
      draft: draft ? draftView(draft, draft.base_sha256 !== current.sha256) : null,
      policy: fileKind(file) === 'policies' ? policyView(current.text) : null,
    };
  });
}

export async function getVersion(
  db: Database,
  actor: Actor | undefined,
  file: string,
  versionNo: number,
  requestId?: string,
) {
  authorize(actor, Permission.policyRead);
  if (!EDITABLE_FILE.test(file) && !EDITABLE_FILE.test(file.replace(/\.scenarios\.yaml$/, '.yaml')))
    throw errors.validation('file', '文件名不正确', 'bad file name');
  if (versionNo === 0) {
    const body = baselineText(file);
    if (body === undefined) throw errors.notFound('政策文件版本');
    return { file, versionNo: 0, body, sha256: sha256Hex(body), effectiveFrom: null, baseline: true };
  }
  const row = await asActor(db, actor, requestId, (tx) => repo.getVersion(tx, file, versionNo));
  if (!row) throw errors.notFound('政策文件版本');
  return { ...versionView(row), body: row.body, baseline: false };
}

export async function catalogInForce(
  db: Database,
  actor: Actor | undefined,
  date?: string,
  requestId?: string,
) {
  authorize(actor, Permission.policyRead);
  const onDate = date ?? today();
  const active = await asActor(db, actor, requestId, (tx) => activeCatalog(tx, onDate));
  return { date: onDate, version: active.version, overlays: active.overlays };
}

export interface DraftInput {
  file: string;
  body: string;
  scenarioBody?: string | undefined;
  revision?: number | undefined;
}

function refuseHostileText(field: string, text: string): void {
  // YAML mistakes are kept (a draft is work in progress); text no file may contain is refused.
  const problem = textProblems(text).find((p) => p.code !== 'yaml_syntax' && p.code !== 'yaml_alias');
  if (problem) throw errors.validation(field, `${problem.message}（第 ${problem.line} 行）`, problem.code);
}

export async function saveDraft(
  db: Database,
  actor: Actor | undefined,
  input: DraftInput,
  requestId?: string,
) {
  authorize(actor, Permission.policyEdit);
  requireEditableFile(input.file);
  const scenarioFile = scenarioFileOf(input.file);
  if (input.scenarioBody !== undefined && !scenarioFile)
    throw errors.validation('scenarioBody', '只有政策文件带场景测试', 'only policy files have scenarios');
  refuseHostileText('body', input.body);
  if (input.scenarioBody !== undefined) refuseHostileText('scenarioBody', input.scenarioBody);
  return asActor(db, actor, requestId, async (tx) => {
    const head = buildHead(await repo.latestVersions(tx));
    const current = requireHeadText(head, input.file);
    // Scenarios left out of the request stay as drafted (or start from the newest version).
    const existing = await repo.findDraft(tx, actor.regionCode, input.file);
    const scenarioBody = scenarioFile
      ? (input.scenarioBody ?? existing?.scenario_body ?? headText(head, scenarioFile)?.text ?? '')
      : null;
    const saved = await repo.saveDraft(tx, {
      regionCode: actor.regionCode,
      file: input.file,
      body: input.body,
      scenarioBody,
      baseSha256: current.sha256,
      userId: actor.userId,
      revision: input.revision,
    });
    if (!saved)
      throw errors.conflict(
        'DRAFT_CHANGED',
        '草稿已被他人修改，请刷新后再保存',
        'the draft was changed by someone else; reload it',
        'revision',
      );
    await appendAudit(tx, {
      action: 'policy.draft.save',
      entityType: 'policy_draft',
      entityId: input.file,
      regionCode: actor.regionCode,
      actorRole: actor.role,
      after: {
        file: input.file,
        revision: saved.revision,
        sha256: sha256Hex(saved.body),
        chars: saved.body.length,
      },
    });
    return draftView(saved, saved.base_sha256 !== current.sha256);
  });
}

export async function discardDraft(db: Database, actor: Actor | undefined, file: string, requestId?: string) {
  authorize(actor, Permission.policyEdit);
  requireEditableFile(file);
  await asActor(db, actor, requestId, async (tx) => {
    if (!(await repo.deleteDraft(tx, actor.regionCode, file))) throw errors.notFound('草稿');
    await appendAudit(tx, {
      action: 'policy.draft.discard',
      entityType: 'policy_draft',
      entityId: file,
      regionCode: actor.regionCode,
      actorRole: actor.role,
    });
  });
  return { ok: true };
}
