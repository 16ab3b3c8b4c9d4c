/**
 * Verification test helpers: a household with an adult son living apart in another township, and
 * department files about them built from the source catalogue's own headers.
 */
import { stringify } from 'csv-stringify/sync';
import { expect } from 'vitest';
import { findSource } from '../src/domains/sources/catalogue/index.ts';
import { buildUser, regions } from './factories.ts';
import { householdBody, idFor, seedRegistryPeople } from './registryFactories.ts';
import { login, upload } from './sourcesFactories.ts';
import type { TestApp, TestClient } from './testApp.ts';

export const REPORT_DATE = '2025-06-30';

/** A CSV for one source: columns are the catalogue's headers, cells by field name. */
export function sourceCsv(source: string, rows: Record<string, string | number>[]): string {
  const spec = findSource(source);
  if (!spec) throw new Error(source);
  return stringify([
    spec.fields.map((f) => f.header),
    ...rows.map((r) => spec.fields.map((f) => (r[f.name] === undefined ? '' : String(r[f.name])))),
  ]);
}

export interface VerificationWorld {
  county: TestClient;
  huayuan: TestClient;
  verify: TestClient;
  householdId: string;
  otherHouseholdId: string;
  head: { name: string; idNumber: string };
  spouse: { name: string; idNumber: string };
  son: { name: string; idNumber: string };
  supporter: { name: string; idNumber: string };
}

export async function seedVerification(t: TestApp): Promise<VerificationWorld> {
  await seedRegistryPeople(t.db);
  await buildUser(t.db, 'verify', 'verificationCentre', regions.county);
  const county = await login(t, 'county');
  const huayuan = await login(t, 'huayuan');
  const verify = await login(t, 'verify');
  const head = { name: '张建国', idNumber: idFor('1960-03-05', 'male') };
  const spouse = { name: '李桂英', idNumber: idFor('1962-08-09', 'female') };
  const son = { name: '张小明', idNumber: idFor('2012-05-01', 'male') };
  const supporter = { name: '张大伟', idNumber: idFor('1988-04-02', 'male') };
  const body = householdBody({
    head: { ...head, phone: '13812345678' },
    members: [
      { ...spouse, relationshipToHead: 'spouse' },
      { ...son, relationshipToHead: 'son' },
    ],
  });
  const created = await huayuan.request('POST', '/api/households', body);
  expect(created.statusCode, created.body).toBe(200);
  // The adult son has his own household in another township: outside the Huayuan caseworker's region.
  const other = await county.request(
    'POST',
    '/api/households',
    householdBody({
      regionCode: regions.fengshanVillage,
      address: '丰山镇丰山村3组',
      head: supporter,
      members: [],
    }),
  );
  expect(other.statusCode, other.body).toBe(200);

  const files: [string, Record<string, string | number>[]][] = [
    [
      'realEstate',
      [
        {
          recordId: 'RE-1',
          ...head,
          certificateNumber: '鄂(2019)孝昌县不动产权第0001号',
          location: '花园镇建设路12号',
          areaCentiM2: '98.5',
          use: '成套住宅',
          registeredOn: '2019-05-01',
        },
        {
          recordId: 'RE-2',
          ...head,
          certificateNumber: '鄂(2021)孝昌县不动产权第0002号',
          location: '孝感市城站路8号',
          areaCentiM2: '120',
          use: '成套住宅',
          registeredOn: '2021-09-01',
        },
        {
          recordId: 'RE-3',
          ...spouse,
          certificateNumber: '鄂(2022)孝昌县不动产权第0003号',
          location: '花园镇商业街1号',
          areaCentiM2: '40',
          use: '商业服务',
          registeredOn: '2022-01-01',
        },
      ],
    ],
    [
      'vehicle',
      [
        {
          recordId: 'V-1',
          ...spouse,
          plate: '鄂K88888',
          kind: '小型汽车',
          brand: '奔驰',
          purchasePriceFen: '380000',
          registeredOn: '2023-03-01',
          disabilityVehicle: '否',
        },
        {
          recordId: 'V-2',
          ...head,
          plate: '鄂K12345',
          kind: '小型汽车',
          brand: '五菱',
          purchasePriceFen: '30000',
          registeredOn: '2020-03-01',
          disabilityVehicle: '是',
        },
        {
          recordId: 'V-3',
          ...supporter,
          plate: '鄂K66666',
          kind: '小型汽车',
          brand: '宝马',
          purchasePriceFen: '450000',
          registeredOn: '2024-01-01',
          disabilityVehicle: '否',
        },
      ],
    ],
    [
      'business',
      [
        {
          recordId: 'B-1',
          ...head,
          entityName: '孝昌县建国商贸有限公司',
          creditCode: '91420921MA000001X',
          entityType: '有限责任公司',
          role: '法定代表人',
          registeredCapitalFen: '500000',
          registeredOn: '2018-01-01',
        },
      ],
    ],
    [
      'bankDeposit',
      [
        {
          recordId: 'D-1',
          ...head,
          assetId: 'A1',
          bank: '孝昌农商银行',
          kind: '储蓄存款',
          balanceFen: '100000',
          balanceOn: '2025-06-30',
        },
        {
          recordId: 'D-2',
          ...supporter,
          assetId: 'A2',
          bank: '工商银行',
          kind: '储蓄存款',
          balanceFen: '20000',
          balanceOn: '2025-06-30',
        },
      ],
    ],
    [
      'tax',
      [
        {
          recordId: 'T-1',
          ...spouse,
          year: 2024,
          employerName: '孝感某厂',
          wageIncomeFen: '60000',
          taxPaidFen: '0',
        },
      ],
    ],
    [
      'socialInsurance',
      [
        {
          recordId: 'S-1',
          ...head,
          scheme: '企业职工基本养老保险',
          status: '领取待遇',
          monthlyPensionFen: '1500',
          statusSince: '2020-04-01',
        },
        {
          recordId: 'S-2',
          ...spouse,
          scheme: '城乡居民基本养老保险',
          status: '领取待遇',
          monthlyPensionFen: '200',
          statusSince: '2022-09-01',
        },
      ],
    ],
  ];
  for (const [source, rows] of files) {
    const response = await upload(t, verify, source, sourceCsv(source, rows), { asOf: REPORT_DATE });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json(), source).toMatchObject({ status: 'done', rejected: 0, unmatched: 0 });
  }
  return {
    county,
    huayuan,
    verify,
    householdId: created.json().id,
    otherHouseholdId: other.json().id,
    head,
    spouse,
    son,
    supporter,
  };
}
