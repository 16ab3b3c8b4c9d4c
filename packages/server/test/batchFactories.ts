/**
 * Batch re-verification fixtures: two enrolled households (Huayuan: a couple and their son, whose
 * case the Huayuan caseworker owns; Fengshan: one person), June's department files, and July's with
 * one change of every kind for the Huayuan household and a deposit increase in Fengshan.
 */
import { expect } from 'vitest';
import type { Database } from '../src/db/database.ts';
import { runBatch } from '../src/domains/verification/batch.run.ts';
import { createRun } from '../src/domains/verification/batch.service.ts';
import { buildUser, regions } from './factories.ts';
import { householdBody, idFor, seedRegistryPeople } from './registryFactories.ts';
import { login, upload } from './sourcesFactories.ts';
import type { TestApp, TestClient } from './testApp.ts';
import { sourceCsv } from './verificationFactories.ts';

export const JUNE = '2025-06-30';
export const JULY = '2025-07-31';

export interface BatchWorld {
  county: TestClient;
  verify: TestClient;
  huayuan: TestClient;
  fengshan: TestClient;
  a: { id: string; number: string };
  b: { id: string; number: string };
  huayuanUserId: string;
}

type Person = { name: string; idNumber: string };
const row = (p: Person, extra: Record<string, string | number>) => ({ ...p, ...extra });

export async function seedBatchWorld(t: TestApp): Promise<BatchWorld> {
  await seedRegistryPeople(t.db);
  await buildUser(t.db, 'verify', 'verificationCentre', regions.county);
  await buildUser(t.db, 'verifyHuayuan', 'verificationCentre', regions.huayuan);
  const county = await login(t, 'county');
  const huayuan = await login(t, 'huayuan');
  const head = { name: '王建华', idNumber: idFor('1961-02-03', 'male') };
  const spouse = { name: '刘秀兰', idNumber: idFor('1963-04-05', 'female') };
  const son = { name: '王小军', idNumber: idFor('1990-06-07', 'male') };
  const lone = { name: '陈老汉', idNumber: idFor('1950-01-01', 'male') };
  const bodyA = householdBody({
    head,
    members: [
      { ...spouse, relationshipToHead: 'spouse' },
      { ...son, relationshipToHead: 'son' },
    ],
  });
  const createdA = await huayuan.request('POST', '/api/households', bodyA);
  expect(createdA.statusCode, createdA.body).toBe(200);
  const bodyB = householdBody({
    regionCode: regions.fengshanVillage,
    address: '丰山镇阳岗社区5号',
    head: lone,
    members: [],
  });
  const createdB = await county.request('POST', '/api/households', bodyB);
  expect(createdB.statusCode, createdB.body).toBe(200);
  const a = { id: createdA.json().id as string, number: bodyA.householdNumber as string };
  const b = { id: createdB.json().id as string, number: bodyB.householdNumber as string };
  const owner = await t.db.query<{ id: string }>("SELECT id FROM app_user WHERE username = 'huayuan'");
  const huayuanUserId = owner.rows[0]?.id as string;
  await enrol(t.db, a.id, regions.huayuanVillage, huayuanUserId);
  await enrol(t.db, b.id, regions.fengshanVillage, null);

  const verify = await login(t, 'verify');
  const june: [string, Record<string, string | number>[]][] = [
    [
      'realEstate',
      [
        row(head, {
          recordId: 'RE-1',
          certificateNumber: '鄂(2015)孝昌县不动产权第0101号',
          location: '花园镇建设路1号',
          areaCentiM2: '80',
          use: '成套住宅',
          registeredOn: '2015-01-01',
        }),
      ],
    ],
    [
      'vehicle',
      [
        row(head, {
          recordId: 'V-1',
          plate: '鄂K10001',
          kind: '小型汽车',
          brand: '五菱',
          purchasePriceFen: '30000',
          registeredOn: '2019-01-01',
          disabilityVehicle: '是',
        }),
      ],
    ],
    [
      'bankDeposit',
      [
        row(head, {
          recordId: 'D-1',
          bank: '孝昌农商银行',
          kind: '储蓄存款',
          balanceFen: '10000',
          balanceOn: JUNE,
        }),
        row(lone, {
          recordId: 'D-9',
          bank: '邮储银行',
          kind: '储蓄存款',
          balanceFen: '5000',
          balanceOn: JUNE,
        }),
      ],
    ],
    ['business', []],
  ];
  const july: typeof june = [
    [
      'realEstate',
      [
        ...(june[0]?.[1] ?? []),
        row(head, {
          recordId: 'RE-2',
          certificateNumber: '鄂(2025)孝昌县不动产权第0202号',
          location: '孝感市城站路9号',
          areaCentiM2: '110',
          use: '成套住宅',
          registeredOn: '2025-07-01',
        }),
      ],
    ],
    [
      'vehicle',
      [
        ...(june[1]?.[1] ?? []),
        row(spouse, {
          recordId: 'V-2',
          plate: '鄂K99999',
          kind: '小型汽车',
          brand: '奔驰',
          purchasePriceFen: '380000',
          registeredOn: '2025-07-05',
          disabilityVehicle: '否',
        }),
      ],
    ],
    [
      'bankDeposit',
      [
        row(head, {
          recordId: 'D-1',
          bank: '孝昌农商银行',
          kind: '储蓄存款',
          balanceFen: '45000',
          balanceOn: JULY,
        }),
        row(lone, {
          recordId: 'D-9',
          bank: '邮储银行',
          kind: '储蓄存款',
          balanceFen: '60000',
          balanceOn: JULY,
        }),
      ],
    ],
    [
      'business',
      [
        row(spouse, {
          recordId: 'B-1',
          entityName: '孝昌县秀兰商贸有限公司',
          creditCode: '91420921MA000009X',
          entityType: '有限责任公司',
          role: '法定代表人',
          registeredCapitalFen: '500000',
          registeredOn: '2025-07-08',
        }),
      ],
    ],
  ];
  for (const [source, rows] of june) await load(t, verify, source, rows, JUNE);
  for (const [source, rows] of july) await load(t, verify, source, rows, JULY);
  // The son died in July (the registry's death date; hukou cancellation follows).
  await t.db.query("UPDATE person SET death_date = '2025-07-10' WHERE household_id = $1 AND name = $2", [
    a.id,
    son.name,
  ]);
  return {
    county,
    verify,
    huayuan,
    fengshan: await login(t, 'fengshan'),
    a,
    b,
    huayuanUserId,
  };
}

async function load(
  t: TestApp,
  who: TestClient,
  source: string,
  rows: Record<string, string | number>[],
  asOf: string,
) {
  const response = await upload(t, who, source, sourceCsv(source, rows), {
    asOf,
    fileName: `${source}-${asOf}.csv`,
  });
  expect(response.statusCode, response.body).toBe(200);
  expect(response.json(), source).toMatchObject({ status: 'done', rejected: 0 });
}

/** An enrolment on a completed dibao case whose application the owner took (首问负责). */
async function enrol(db: Database, householdId: string, village: string, ownerId: string | null) {
  let caseId: string | null = null;
  if (ownerId) {
    const app = await db.query<{ id: string }>(
      `INSERT INTO intake_application (household_id, region_code, channel, received_on, submitted_by, submitted_by_name,
         submitted_by_role, owner_id, owner_name, idempotency_key, request_hash)
       VALUES ($1, $2, 'window', '2025-01-05', $3, 'huayuan', 'caseworker', $3, 'huayuan', $4, 'x') RETURNING id`,
      [householdId, village, ownerId, `batch-${householdId}`],
    );
    const c = await db.query<{ id: string }>(
      `INSERT INTO intake_case (application_id, item_no, household_id, region_code, policy_id, template_id, status,
         received_on, case_due_on)
       VALUES ($1, 1, $2, $3, 'dibao', 'dibao', 'completed', '2025-01-05', '2025-02-05') RETURNING id`,
      [app.rows[0]?.id, householdId, village],
    );
    caseId = c.rows[0]?.id ?? null;
  }
  await db.query(
    `INSERT INTO enrolment (household_id, region_code, category, policy_id, case_id, monthly_amount_fen, decided_on,
       starts_on, review_months, next_review_on, legal_ground)
     VALUES ($1, $2, 'dibao', 'dibao', $3, 50000, '2025-02-01', '2025-03-01', 12, '2026-03-01', '测试')`,
    [householdId, village, caseId],
  );
}

export const COUNTY_ACTOR = {
  userId: 'county-test',
  username: 'county',
  displayName: '县民政局',
  role: 'countyOfficer' as const,
  department: null,
  regionCode: regions.county,
};

/** A whole run over the county's enrolled households, run in this process. */
export async function countyRun(t: TestApp, asOf: string, options: Parameters<typeof runBatch>[2] = {}) {
  const row = await createRun(t.db, COUNTY_ACTOR, {
    regionCode: regions.county,
    kind: 'all',
    asOf,
    householdIds: null,
  });
  return { id: row.id, outcome: await runBatch(t.db, row.id, options) };
}

/** The changes as a comparable list (no ids, run ids or clocks). */
export async function changeState(t: TestApp) {
  const r = await t.db.query<Record<string, unknown>>(
    `SELECT household_id, period, kind, subject_key, person_id, reason_zh, owner_id, status
       FROM verification_change ORDER BY household_id, kind, subject_key`,
  );
  return r.rows;
}

/** Polls a run through the API until it is no longer running. */
export async function waitForRun(client: TestClient, id: string) {
  for (let i = 0; i < 300; i++) {
    const r = await client.request('GET', `/api/verification/batch/runs/${id}`);
    expect(r.statusCode, r.body).toBe(200);
    if (r.json().status !== 'running') return r.json();
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('run did not finish');
}
