/**
 * Home visit on a phone (入户调查): the first investigator, at the household, saves what was found
 * (when, where, figures, living conditions, photos) and names the second investigator — another
 * staff account of the region; the second confirms on their own login. A visit one person recorded
 * alone is never confirmed: the rule is two investigators (《最低生活保障审核确认办法》第三章).
 * Confirming records the step's visit document on the case (so the step can complete) and hands the
 * figures to take-highest reconciliation (domains/verification, table verification_home_visit).
 *
 * Only a case at a step that needs investigators, and only an officer who acts at that step, may
 * record a visit. Saving is idempotent: one visit per case and step round; an identical retry is
 * answered with the stored visit, a changed body replaces it until it is confirmed.
 */
import { createHash } from 'node:crypto';
import type { Queryable } from '../../db/database.ts';
import { asActor } from '../../db/scope.ts';
import { AppError, errors } from '../../http/errors.ts';
import { type Actor, authorize, Permission, type Role } from '../access/permissions.ts';
import { appendAudit } from '../audit/audit.repo.ts';
import { isWithin } from '../regions/regionCode.ts';
import { chinaDate } from '../registry/registry.model.ts';
import { type IntakeDeps, todayOf } from './applications.service.ts';
import { MAX_PHOTOS, processPhoto } from './homeVisit.photos.ts';
import * as repo from './homeVisit.repo.ts';
import { visitView } from './homeVisit.views.ts';
import * as cases from './intake.repo.ts';
import { templateOf } from './intake.views.ts';
import { stepOf, type TemplateStep } from './templates.ts';
import { actsAt } from './transitions.ts';

/** The documents a confirmed visit stands for, where the step asks for them. */
const VISIT_DOCUMENTS = ['homeVisitRecord', 'investigationRecord'];
/** Who may be the second investigator: staff who go to households. */
const INVESTIGATOR_ROLES: Role[] = ['caseworker', 'gridWorker', 'countyOfficer'];

export interface SaveVisitInput {
  visitedAt: string;
  location: {
    source: 'device' | 'manual';
    latitude?: number | undefined;
    longitude?: number | undefined;
    accuracyM?: number | undefined;
    address?: string | undefined;
  };
  secondInvestigator: string;
  figures: Record<string, number | undefined>;
  living: Record<string, unknown>;
  note?: string | undefined;
}

const conflict = (code: string, zh: string, en: string) => new AppError(409, code, zh, en);
const now = (deps: IntakeDeps) => deps.clock?.() ?? new Date();

/** The case, open at a step that needs investigators, which this actor handles. */
async function visitStep(tx: Queryable, actor: Actor, caseId: string, lock: boolean) {
  const row = await cases.findCase(tx, caseId, lock);
  if (!row) throw errors.notFound('该案件');
  if (row.status !== 'open' || !row.current_step)
    throw conflict('CASE_NOT_AT_VISIT', '该案件不在办理中，不能登记入户调查', 'the case is not open');
  const step: TemplateStep = stepOf(templateOf(row), row.current_step);
  if (!step.investigators)
    throw conflict(
      'CASE_NOT_AT_VISIT',
      `该案件当前环节是“${step.name.zh}”，不是入户调查环节`,
      'the current step is not a home visit',
    );
  if (!actsAt(step, actor, row.department))
    throw new AppError(403, 'NOT_YOUR_STEP', '入户调查应由乡镇（街道）经办人员登记', 'not your step');
  return { row, step };
}

function checkInput(body: SaveVisitInput, today: string) {
  const { location } = body;
  if (location.source === 'device' && (location.latitude === undefined || location.longitude === undefined))
    throw errors.validation('location', '手机定位缺少经纬度，请重新定位或改为手工填写地址', 'no coordinates');
  if (location.source === 'manual' && !location.address?.trim())
    throw errors.validation('location.address', '请填写入户地址', 'an address is required');
  const visitedAt = new Date(body.visitedAt);
  const visitedOn = chinaDate(visitedAt);
  if (Number.isNaN(visitedAt.getTime()) || visitedOn > today)
    throw errors.validation('visitedAt', '入户时间不能晚于今天', 'the visit cannot be in the future');
  return { visitedAt, visitedOn };
}

export async function saveVisit(
  deps: IntakeDeps,
  actor: Actor | undefined,
  caseId: string,
  body: SaveVisitInput,
  requestId?: string,
) {
  authorize(actor, Permission.intakeHandle);
  const { visitedAt } = checkInput(body, todayOf(deps));
  const figures: Record<string, number> = {};
  for (const [name, value] of Object.entries(body.figures)) {
    if (value === undefined) continue;
    // The schema coerces "Infinity" to a number that slips past `maximum`: refuse it here.
    if (!Number.isSafeInteger(value))
      throw errors.validation(`figures.${name}`, '调查数字须为不超过上限的整数', 'not a safe integer');
    figures[name] = value;
  }
  const requestHash = createHash('sha256').update(JSON.stringify(body)).digest('hex');
  return asActor(deps.db, actor, requestId, async (tx) => {
    const { row, step } = await visitStep(tx, actor, caseId, true);
    const second = await repo.staffByUsername(tx, body.secondInvestigator);
    if (second?.id === actor.userId)
      throw errors.validation(
        'secondInvestigator',
        '入户调查须由两名不同的调查人员共同完成，第二名调查人员不能是您本人',
        'the second investigator must be someone else',
      );
    if (
      !second ||
      !INVESTIGATOR_ROLES.includes(second.role as Role) ||
      !isWithin(row.region_code, second.region_code)
    )
      throw errors.validation(
        'secondInvestigator',
        '第二名调查人员不存在，或不是该户所在地区的工作人员',
        'no such staff member here',
      );
    const values: repo.VisitValues = {
      case_id: row.id,
      step: step.id,
      step_round: row.step_round,
      household_id: row.household_id,
      region_code: row.region_code,
      visited_at: visitedAt,
      location_source: body.location.source,
      latitude: body.location.source === 'device' ? (body.location.latitude ?? null) : null,
      longitude: body.location.source === 'device' ? (body.location.longitude ?? null) : null,
      accuracy_m: body.location.source === 'device' ? (body.location.accuracyM ?? null) : null,
      address: body.location.address?.trim() || null,
      first_investigator_id: actor.userId,
      first_investigator_name: actor.displayName,
      second_investigator_id: second.id,
      second_investigator_name: second.display_name,
      figures,
      living: body.living,
      note: body.note?.trim() || null,
      request_hash: requestHash,
    };
    let visit = await repo.insertVisit(tx, values);
    let action = 'intake.homeVisit.record';
    if (!visit) {
      const existing = (await repo.visitOfRound(tx, row.id, row.step_round, true)) as repo.VisitRow;
      if (existing.status === 'confirmed')
        throw conflict(
          'VISIT_CONFIRMED',
          '该次入户调查已经两名调查人员确认，不能再修改',
          'the visit is confirmed already',
        );
      if (existing.first_investigator_id !== actor.userId)
        throw new AppError(
          403,
          'NOT_FIRST_INVESTIGATOR',
          `该次入户调查由${existing.first_investigator_name}登记，只有登记人可以修改`,
          'only the investigator who recorded the visit may change it',
        );
      if (existing.request_hash === requestHash) return visitView(tx, existing, true);
      visit = await repo.updateVisit(tx, existing.id, values);
      action = 'intake.homeVisit.amend';
    }
    await appendAudit(tx, {
      action,
      entityType: 'intake_home_visit',
      entityId: visit.id,
      regionCode: row.region_code,
      actorRole: actor.role,
      after: {
        caseId: row.id,
        step: step.id,
        visitedAt: visitedAt.toISOString(),
        locationSource: values.location_source,
        secondInvestigator: second.display_name,
        figures,
      },
    });
    return visitView(tx, visit);
  });
}

/** The visit of the case's current round (or its latest one), if any. */
export async function caseVisit(
  deps: IntakeDeps,
  actor: Actor | undefined,
  caseId: string,
  requestId?: string,
) {
  authorize(actor, Permission.intakeRead);
  return asActor(deps.db, actor, requestId, async (tx) => {
    const row = await cases.findCase(tx, caseId);
    if (!row) throw errors.notFound('该案件');
    if (actor.role === 'departmentOfficer' && row.department !== actor.department)
      throw errors.notFound('该案件');
    const visit = await repo.latestVisit(tx, caseId);
    return { visit: visit ? await visitView(tx, visit) : null };
  });
}

async function ownVisit(tx: Queryable, actor: Actor, visitId: string, lock: boolean) {
  const visit = await repo.findVisit(tx, visitId, lock);
  if (!visit) throw errors.notFound('该次入户调查');
  if (![visit.first_investigator_id, visit.second_investigator_id].includes(actor.userId))
    throw new AppError(
      403,
      'NOT_INVESTIGATOR',
      '只有该次入户调查的两名调查人员可以操作',
      'only the investigators of this visit may do this',
    );
  return visit;
}

export async function addPhoto(
  deps: IntakeDeps,
  actor: Actor | undefined,
  visitId: string,
  input: Buffer,
  caption: string | undefined,
  requestId?: string,
) {
  authorize(actor, Permission.intakeHandle);
  if (caption !== undefined && caption.length > 100)
    throw errors.validation('caption', '照片说明不能超过100个字', 'caption too long');
  // Decoding is CPU work: done before the transaction, so no row lock waits on it.
  const photo = await processPhoto(input);
  return asActor(deps.db, actor, requestId, async (tx) => {
    const visit = await ownVisit(tx, actor, visitId, true);
    if (visit.status === 'confirmed')
      throw conflict('VISIT_CONFIRMED', '该次入户调查已确认，不能再添加照片', 'the visit is confirmed');
    const existing = await repo.photosOf(tx, visitId);
    const stored = await (existing.length >= MAX_PHOTOS
      ? tx
          .query<{ id: string }>(
            'SELECT id FROM intake_home_visit_photo WHERE visit_id = $1 AND sha256 = $2',
            [visitId, photo.sha256],
          )
          .then((r) => {
            if (!r.rows[0])
              throw conflict(
                'TOO_MANY_PHOTOS',
                `每次入户调查最多上传${MAX_PHOTOS}张照片`,
                `at most ${MAX_PHOTOS} photos`,
              );
            return { id: r.rows[0].id, replayed: true };
          })
      : repo.insertPhoto(tx, {
          visit_id: visitId,
          region_code: visit.region_code,
          sha256: photo.sha256,
          bytes: photo.jpeg,
          width: photo.width,
          height: photo.height,
          caption: caption?.trim() || null,
        }));
    if (!stored.replayed)
      await appendAudit(tx, {
        action: 'intake.homeVisit.photo',
        entityType: 'intake_home_visit',
        entityId: visitId,
        regionCode: visit.region_code,
        actorRole: actor.role,
        after: { photoId: stored.id, sha256: photo.sha256, bytes: photo.jpeg.length },
      });
    return visitView(tx, visit, stored.replayed);
  });
}

export async function photoContent(
  deps: IntakeDeps,
  actor: Actor | undefined,
  visitId: string,
  photoId: string,
  requestId?: string,
) {
  authorize(actor, Permission.intakeRead);
  return asActor(deps.db, actor, requestId, async (tx) => {
    const visit = await repo.findVisit(tx, visitId);
    if (!visit) throw errors.notFound('该照片');
    const bytes = await repo.photoBytes(tx, visitId, photoId);
    if (!bytes) throw errors.notFound('该照片');
    return bytes;
  });
}

/**
 * The second investigator confirms: the visit is then the record of two, the case gets the step's
 * visit document and the figures go to take-highest reconciliation.
 */
export async function confirmVisit(
  deps: IntakeDeps,
  actor: Actor | undefined,
  visitId: string,
  body: { version: number },
  requestId?: string,
) {
  authorize(actor, Permission.intakeHandle);
  return asActor(deps.db, actor, requestId, async (tx) => {
    const visit = await ownVisit(tx, actor, visitId, true);
    if (visit.second_investigator_id !== actor.userId)
      throw new AppError(
        403,
        'NOT_SECOND_INVESTIGATOR',
        `须由第二名调查人员${visit.second_investigator_name}本人登录确认，登记人不能自己确认`,
        'only the named second investigator may confirm',
      );
    if (visit.status === 'confirmed') return visitView(tx, visit, true);
    if (visit.version !== body.version)
      throw errors.conflict(
        'VISIT_VERSION_CONFLICT',
        '该次入户调查刚刚被修改过，请核对最新内容后再确认',
        'the visit changed; review it again',
      );
    const row = await cases.findCase(tx, visit.case_id, true);
    if (row?.status !== 'open' || row.current_step !== visit.step || row.step_round !== visit.step_round)
      throw conflict('CASE_MOVED_ON', '该案件已不在这次入户调查的环节，不能再确认', 'the case moved on');
    if ((await repo.photosOf(tx, visitId)).length === 0)
      throw errors.validation('photos', '请至少上传一张入户照片后再确认', 'at least one photo is required');
    const confirmed = await repo.confirmVisit(tx, visitId, now(deps));
    const step = stepOf(templateOf(row), row.current_step);
    const documents = (step.documents ?? []).filter((d) => VISIT_DOCUMENTS.includes(d));
    await cases.recordDocuments(tx, row.id, row.region_code, step.id, todayOf(deps), documents);
    const investigators = [visit.first_investigator_name, visit.second_investigator_name];
    // In this transaction (not through verification's recordStatement, which opens its own and
    // needs verification.reconcile, which a grid worker confirming does not hold): same table, same key.
    if (Object.keys(visit.figures).length)
      await repo.feedVerification(tx, {
        household_id: visit.household_id,
        region_code: visit.region_code,
        figures: visit.figures,
        note: visit.note,
        visited_on: chinaDate(new Date(visit.visited_at)),
        investigators,
      });
    await appendAudit(tx, {
      action: 'intake.homeVisit.confirm',
      entityType: 'intake_home_visit',
      entityId: visitId,
      regionCode: visit.region_code,
      actorRole: actor.role,
      after: { caseId: row.id, step: step.id, documents, investigators, figures: visit.figures },
    });
    return visitView(tx, confirmed);
  });
}

/** Visits waiting for me as the second investigator. */
export async function awaitingMe(deps: IntakeDeps, actor: Actor | undefined, requestId?: string) {
  authorize(actor, Permission.intakeRead);
  return asActor(deps.db, actor, requestId, async (tx) => {
    const rows = await repo.awaitingConfirmationBy(tx, actor.userId);
    const out = [];
    for (const v of rows) out.push(await visitView(tx, v));
    return out;
  });
}
