/**
 * Seeing personal data in full: revealing one field of one person, exporting a list. Each is
 * permitted to a few roles only, needs a stated purpose (export: only when unmasked), and leaves
 * a row in personal_data_access and in the audit trail, in the same transaction.
 */
import { stringify } from 'csv-stringify/sync';
import { asActor } from '../../db/scope.ts';
import { errors } from '../../http/errors.ts';
import { type Actor, authorize, Permission } from '../access/permissions.ts';
import { appendAudit } from '../audit/audit.repo.ts';
import { isWithin } from '../regions/regionCode.ts';
import * as search from './householdSearch.repo.ts';
import { type HouseholdQuery, householdFilter } from './households.service.ts';
import { normaliseIdNumber, type PersonalField } from './personalData.crypto.ts';
import { type AccessLogFilter, listAccessLog } from './personalDataAccess.repo.ts';
import { checkDate, today } from './registry.model.ts';
import * as repo from './registry.repo.ts';
import type { RegistryDeps } from './registry.views.ts';

export const EXPORT_ROW_LIMIT = 200_000;

function checkPurpose(purpose: string | undefined): string {
  const trimmed = purpose?.trim() ?? '';
  if ([...trimmed].length < 4 || [...trimmed].length > 200)
    throw errors.validation(
      'purpose',
      '请说明查看用途（4至200个字）',
      'purpose must have 4 to 200 characters',
    );
  return trimmed;
}

export async function revealPersonalData(
  deps: RegistryDeps,
  actor: Actor | undefined,
  personId: string,
  input: { field: PersonalField; purpose: string },
  requestId?: string,
) {
  authorize(actor, Permission.personalDataReveal);
  const purpose = checkPurpose(input.purpose);
  return asActor(deps.db, actor, requestId, async (tx) => {
    const row = await repo.personCipher(tx, personId);
    if (!row) throw errors.notFound('人员');
    const cipherText = input.field === 'idNumber' ? row.id_number_cipher : row.phone_cipher;
    if (!cipherText) throw errors.validation('field', '该人员未登记联系电话', 'no phone on record');
    const value = deps.cipher.decrypt(input.field, cipherText);
    await tx.query(
      `INSERT INTO personal_data_access (actor_role, person_id, field, purpose, region_code) VALUES ($1, $2, $3, $4, $5)`,
      [actor.role, personId, input.field, purpose, row.region_code],
    );
    await appendAudit(tx, {
      action: 'personalData.reveal',
      entityType: 'person',
      entityId: personId,
      regionCode: row.region_code,
      actorRole: actor.role,
      after: { field: input.field, purpose },
    });
    return { personId, field: input.field, value };
  });
}

export interface AccessLogQuery {
  personId?: string | undefined;
  idNumber?: string | undefined;
  actorId?: string | undefined;
  regionCode?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  page: number;
  pageSize: number;
}

/** Who saw whose personal data, newest first; for auditors and the county office. */
export async function listPersonalDataAccess(
  deps: RegistryDeps,
  actor: Actor | undefined,
  query: AccessLogQuery,
  requestId?: string,
) {
  authorize(actor, Permission.personalDataAccessLogRead);
  const from = query.from ? checkDate(query.from, 'from') : undefined;
  const to = query.to ? checkDate(query.to, 'to') : undefined;
  if (from && to && from > to)
    throw errors.validation('to', '截止日期不能早于起始日期', 'to must not be before from');
  if (query.regionCode && !isWithin(query.regionCode, actor.regionCode)) throw errors.outOfScope('所选地区');
  const idNumber = query.idNumber ? normaliseIdNumber(query.idNumber) : '';
  const filter: AccessLogFilter = {
    personId: query.personId,
    // The log names persons by id; an auditor asked about a person has the ID number.
    idNumberIndex: idNumber ? deps.cipher.blindIndex('idNumber', idNumber) : undefined,
    actorId: query.actorId,
    regionPrefix: query.regionCode?.replace(/0+$/, ''),
    from,
    to,
  };
  return asActor(deps.db, actor, requestId, async (tx) => {
    const { rows, total } = await listAccessLog(
      tx,
      filter,
      (query.page - 1) * query.pageSize,
      query.pageSize,
    );
    return {
      items: rows.map((r) => ({
        id: r.id,
        at: new Date(r.at).toISOString(),
        actorId: r.actor_id,
        actorRole: r.actor_role,
        actorName: r.actor_name,
        personId: r.person_id,
        personName: r.person_name,
        idNumberMasked: r.id_number_masked,
        field: r.field,
        purpose: r.purpose,
        detail: r.detail ?? null,
        regionCode: r.region_code,
        requestId: r.request_id,
      })),
      total,
      page: query.page,
      pageSize: query.pageSize,
    };
  });
}

const RELATIONSHIP_ZH: Record<string, string> = {
  head: '户主',
  spouse: '配偶',
  son: '子',
  daughter: '女',
  daughterInLaw: '儿媳',
  sonInLaw: '女婿',
  grandson: '孙子',
  granddaughter: '孙女',
  father: '父亲',
  mother: '母亲',
  sibling: '兄弟姐妹',
  other: '其他',
};
const CATEGORY_ZH: Record<string, string> = {
  dibao: '低保',
  tekun: '特困',
  nearDibao: '低保边缘',
  relapseWatch: '防返贫监测',
  expenditureHardship: '支出型困难',
  otherHardship: '其他困难',
};

/** CSV of the households matching the list filters, one row per member, masked unless revealed. */
export async function exportHouseholds(
  deps: RegistryDeps,
  actor: Actor | undefined,
  query: HouseholdQuery & { reveal?: boolean | undefined; purpose?: string | undefined },
  requestId?: string,
): Promise<{ csv: string; rows: number; fileName: string }> {
  authorize(actor, Permission.personalDataExport);
  const reveal = query.reveal === true;
  const purpose = reveal ? checkPurpose(query.purpose) : query.purpose?.trim() || '导出名单（已脱敏）';
  if (query.regionCode && !isWithin(query.regionCode, actor.regionCode)) throw errors.outOfScope('所选地区');
  const filter = householdFilter(deps, actor, query);
  return asActor(deps.db, actor, requestId, async (tx) => {
    const count = await search.countExportRows(tx, filter);
    if (count > EXPORT_ROW_LIMIT)
      throw errors.validation(
        'regionCode',
        `导出人数${count}超过上限${EXPORT_ROW_LIMIT}，请缩小地区范围或增加筛选条件`,
        'too many rows; narrow the filters',
      );
    const rows = await search.exportRows(tx, filter, reveal);
    const body = rows.map((r) => [
      r.household_number,
      r.region_name,
      r.address,
      r.name,
      RELATIONSHIP_ZH[r.relationship_to_head] ?? r.relationship_to_head,
      reveal ? deps.cipher.decrypt('idNumber', r.id_number_cipher) : r.id_number_masked,
      r.sex === 'male' ? '男' : '女',
      r.birth_date,
      reveal && r.phone_cipher ? deps.cipher.decrypt('phone', r.phone_cipher) : (r.phone_masked ?? ''),
      r.categories.map((c) => CATEGORY_ZH[c] ?? c).join('、'),
    ]);
    const csv = `\uFEFF${stringify(
      [
        [
          '户号',
          '村（社区）',
          '地址',
          '姓名',
          '与户主关系',
          '身份证号码',
          '性别',
          '出生日期',
          '联系电话',
          '救助类别',
        ],
        ...body,
      ],
      { record_delimiter: '\r\n' },
    )}`;
    const regionCode = query.regionCode ?? actor.regionCode;
    const { idNumber: _i, phone: _p, ...loggedFilters } = query;
    const detail = {
      filters: { ...loggedFilters, ...(query.idNumber ? { idNumber: '（已隐去）' } : {}) },
      rows: rows.length,
      reveal,
    };
    await tx.query(
      `INSERT INTO personal_data_access (actor_role, field, purpose, detail, region_code) VALUES ($1, 'export', $2, $3, $4)`,
      [actor.role, purpose, JSON.stringify(detail), regionCode],
    );
    await appendAudit(tx, {
      action: 'personalData.export',
      entityType: 'household',
      regionCode,
      actorRole: actor.role,
      after: { purpose, ...detail },
    });
    return {
      csv,
      rows: rows.length,
      fileName: `households-${regionCode}-${today()}.csv`,
    };
  });
}
