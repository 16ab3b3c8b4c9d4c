/**
 * Apply where you live (居住地申办): where the region allows it (the dated, region-scoped parameter
 * `residenceApplication`), a resident-permit holder applies at the township where they live, which
 * then receives and handles the application, although the household is registered in another
 * township. The rules here: the residence is a village inside the caseworker's own scope; the
 * household is registered outside it (otherwise it is an ordinary application); the permit number is
 * recorded; the procedure takes the extended time limit with the split recorded as its reason
 * (DOMAIN.md: 45 working days where hukou and residence are split).
 *
 * Region scope stays with the database (migration 024): finding the household goes through
 * registry_person_location (ids and place names only), and once the application exists the residence
 * township may read that household — and only that one — read-only.
 */
import { checkIdNumber, lookupParameter } from '@doudi/rules';
import type { Database, Queryable } from '../../db/database.ts';
import { asActor } from '../../db/scope.ts';
import { errors } from '../../http/errors.ts';
import { type Actor, authorize, Permission } from '../access/permissions.ts';
import { appendAudit } from '../audit/audit.repo.ts';
import { isWithin, regionLevel } from '../regions/regionCode.ts';
import { normaliseIdNumber, type PersonalDataCipher } from '../registry/personalData.crypto.ts';
import { locatePerson } from '../registry/registry.repo.ts';
import { activeCatalog } from '../rules/activeCatalog.ts';

export const RESIDENCE_PARAMETER = 'residenceApplication';
export const RESIDENCE_EXTENSION_REASON = '户籍地与居住地不一致（居住地申办），办理时限按规定延长';

export interface Residence {
  /** The village where the applicant lives, inside the receiving caseworker's scope. */
  regionCode: string;
  /** 居住证号码 (the resident permit). */
  permitNumber: string;
}

/** Is applying where one lives allowed for this residence region on this day? Unset means no. */
export async function residenceAllowed(tx: Queryable, regionCode: string, onDate: string): Promise<boolean> {
  const active = await activeCatalog(tx, onDate);
  const parameter = active.catalog.parameters.get(RESIDENCE_PARAMETER);
  if (!parameter) return false;
  try {
    return lookupParameter(parameter, onDate, regionCode).value === true;
  } catch {
    return false;
  }
}

const PERMIT = /^[0-9A-Za-z-]{6,30}$/;

/** Checks the residence part of a submission; throws a clear error naming the field. */
export async function checkResidence(
  tx: Queryable,
  actor: Actor,
  residence: Residence,
  householdRegion: string,
  onDate: string,
): Promise<void> {
  if (!PERMIT.test(residence.permitNumber))
    throw errors.validation(
      'residence.permitNumber',
      '居住证号码应为6到30位字母、数字或连字符',
      'the resident permit number is 6–30 letters, digits or hyphens',
    );
  await checkResidencePlace(tx, actor, residence.regionCode, householdRegion, onDate, 'residence.regionCode');
}

/** The place half of the rule: staff of the residence township, a village of theirs, a household from elsewhere, allowed. */
export async function checkResidencePlace(
  tx: Queryable,
  actor: Actor,
  regionCode: string,
  householdRegion: string,
  onDate: string,
  field: string,
): Promise<void> {
  if (!['caseworker', 'countyOfficer', 'gridWorker'].includes(actor.role))
    throw errors.validation(
      'residence',
      '居住地申办须在居住地乡镇（街道）窗口或由网格员代为提出',
      'apply where you live at the township window or through a grid worker',
    );
  if (regionLevel(regionCode) !== 5 || !isWithin(regionCode, actor.regionCode))
    throw errors.validation(
      field,
      '居住地须为您辖区内的村（社区）',
      'the residence must be a village of your region',
    );
  if (isWithin(householdRegion, actor.regionCode))
    throw errors.validation(
      'residence',
      '该户户籍在您的辖区内，请按户籍地正常受理，无需居住地申办',
      'the household is registered in your region: apply normally',
    );
  if (!(await residenceAllowed(tx, regionCode, onDate)))
    throw errors.conflict(
      'RESIDENCE_APPLICATION_NOT_ALLOWED',
      '本地区尚未开展居住地申办（参数“residenceApplication”未启用），请到户籍地乡镇（街道）申请',
      'this region does not take applications where one lives',
      field,
    );
}

/** The household's registered region, whatever the caller's scope (an unguessable id in, a code out). */
export async function householdRegionAnyScope(tx: Queryable, householdId: string) {
  const r = await tx.query<{ region_code: string }>('SELECT intake_household_region($1) AS region_code', [
    householdId,
  ]);
  return r.rows[0]?.region_code ?? undefined;
}

export interface ResidenceDeps {
  db: Database;
  cipher: PersonalDataCipher;
  today: () => string;
}

/**
 * Finds the household of an applicant registered elsewhere, by ID number, for the residence township.
 * Answers where the household is registered and whether this township may take the application; no
 * personal data (the caseworker has the applicant's ID card in hand). Audited.
 */
export async function lookupResidenceHousehold(
  deps: ResidenceDeps,
  actor: Actor | undefined,
  body: { idNumber: string; regionCode: string },
  requestId?: string,
) {
  authorize(actor, Permission.intakeSubmit);
  const today = deps.today();
  const id = checkIdNumber(normaliseIdNumber(body.idNumber), today);
  if (!id.valid) throw errors.validation('idNumber', id.message, id.messageEn);
  if (regionLevel(body.regionCode) !== 5 || !isWithin(body.regionCode, actor.regionCode))
    throw errors.validation('regionCode', '居住地须为您辖区内的村（社区）', 'a village of your region');
  return asActor(deps.db, actor, requestId, async (tx) => {
    const found = await locatePerson(tx, deps.cipher.blindIndex('idNumber', id.idNumber));
    if (!found) throw errors.notFound('该身份证号码的登记家庭（请先由户籍地登记家庭信息）');
    const registeredHere = isWithin(found.region_code, actor.regionCode);
    const allowed = registeredHere ? false : await residenceAllowed(tx, body.regionCode, today);
    await appendAudit(tx, {
      action: 'intake.residenceLookup',
      entityType: 'household',
      entityId: found.household_id,
      regionCode: body.regionCode,
      actorRole: actor.role,
      after: { residenceRegionCode: body.regionCode, registeredHere, allowed },
    });
    return {
      householdId: found.household_id,
      householdNumber: found.household_number,
      hukouRegionCode: found.region_code,
      hukouVillageName: found.village_name,
      hukouTownshipName: found.township_name,
      registeredHere,
      allowed,
    };
  });
}

/** The hukou township's view of its household's residence cases (state only). */
export async function residenceCasesOf(
  db: Database,
  actor: Actor | undefined,
  householdId: string,
  requestId?: string,
) {
  authorize(actor, Permission.intakeRead);
  return asActor(db, actor, requestId, async (tx) => {
    const r = await tx.query<{
      case_id: string;
      policy_id: string;
      status: string;
      current_step: string | null;
      region_code: string;
      region_name: string | null;
      received_on: string;
      case_due_on: string;
    }>(
      `SELECT case_id, policy_id, status, current_step, region_code, region_name,
              to_char(received_on, 'YYYY-MM-DD') AS received_on, to_char(case_due_on, 'YYYY-MM-DD') AS case_due_on
         FROM intake_residence_cases($1)`,
      [householdId],
    );
    return r.rows.map((c) => ({
      caseId: c.case_id,
      policyId: c.policy_id,
      status: c.status,
      currentStep: c.current_step,
      regionCode: c.region_code,
      regionName: c.region_name,
      receivedOn: c.received_on,
      caseDueOn: c.case_due_on,
    }));
  });
}
