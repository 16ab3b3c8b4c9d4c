/**
 * Batch re-verification (批量核对) of every enrolled household of a county:
 *   npx tsx bench/verification/batch.bench.ts [--households 100000] [--database <name>] [--keep]
 *
 * Creates a throwaway database on DATABASE_URL's server (bench/lib), seeds --households synthetic
 * households (registry seed: persons with their membership history), enrols every one of them in
 * dibao, and loads departmental records for every person with one INSERT … SELECT per source:
 * a home for each head, a deposit for each adult, wages for a third, a pension for the elderly, a car
 * for one household in ten, a business role for one in twenty. July differs from June for a few:
 * 2% of households get a new car, 2% a large deposit increase, 1% a new home, 0.5% of persons die,
 * 0.5% of adults register a new business.
 *
 * Then measures, as a county officer under row-level security (runBatch, the job's own code):
 *   1. the June run (baseline: every household summarised and stored),
 *   2. the July run (differences against June: changes raised with reminders),
 *   3. July again (nothing raised twice),
 * each with wall time, households/s, Node CPU seconds and the PostgreSQL backends' CPU seconds.
 */
import os from 'node:os';
import { loadConfig } from '../../packages/server/src/config.ts';
import { systemActor } from '../../packages/server/src/demo/demoAccounts.ts';
import { cipherFor } from '../../packages/server/src/domains/registry/personalData.crypto.ts';
import { seedRegistry } from '../../packages/server/src/domains/registry/seed.ts';
import { runBatch } from '../../packages/server/src/domains/verification/batch.run.ts';
import { createRun } from '../../packages/server/src/domains/verification/batch.service.ts';
import { benchDatabase, flag, followBackends, log, numberOption, option, printTable } from '../lib/index.ts';

const households = numberOption('households', 100_000);
const batchSize = numberOption('batch', 1000);
const existing = option('database', '');
const bench = await benchDatabase('batchverify', { existing, keep: flag('keep') });
const { db } = bench;
const JUNE = '2025-06-30';
const JULY = '2025-07-31';
const COUNTY = '420921000000';
const county = {
  userId: 'bench',
  username: 'bench',
  displayName: '县民政局（批量核对基准）',
  role: 'countyOfficer' as const,
  department: null,
  regionCode: COUNTY,
};

/** One source's records from a SELECT over persons (p: person, h: household, m: member number). */
async function load(source: string, department: string, where: string, data: string, validFrom = JUNE) {
  await db.query(
    `INSERT INTO source_record (source, record_key, department, region_code, person_id, id_number_cipher,
       id_number_index, id_number_masked, name, data, content_hash, valid_from, seen_as_of, import_id)
     SELECT $1, $1 || '-' || $3 || '-' || p.id, $2, p.region_code, p.id, '\\x00'::bytea, p.id_number_index,
            p.id_number_masked, p.name, ${data}, sha256(convert_to(p.id::text || $3, 'UTF8')), $3::date, $3::date,
            (SELECT id FROM source_import WHERE source = $1 AND as_of = $3::date)
       FROM person p JOIN household h ON h.id = p.household_id
            JOIN LATERAL (SELECT ('x' || substr(md5(p.id::text), 1, 8))::bit(32)::int & 2147483647 AS n) r ON true
      WHERE ${where}`,
    [source, department, validFrom],
  );
}

async function loadSources() {
  const t0 = performance.now();
  await db.query(
    `INSERT INTO source_import (source, department, region_code, via, file_name, format, checksum, as_of, status, started_by)
     SELECT s, d, $1, 'cli', s || '.csv', 'csv', repeat('0', 64), a::date, 'done', 'bench'
       FROM (VALUES ('realEstate', 'naturalResources'), ('bankDeposit', 'finance'), ('tax', 'tax'),
                    ('socialInsurance', 'humanResources'), ('vehicle', 'publicSecurity'), ('business', 'marketRegulation')) v(s, d),
            unnest(ARRAY['${JUNE}', '${JULY}']) a`,
    [COUNTY],
  );
  const adult = "p.birth_date <= date '2007-06-30'";
  await load(
    'realEstate',
    'naturalResources',
    "p.relationship_to_head = 'head'",
    `jsonb_build_object('certificateNumber', 'C' || p.id, 'location', h.address, 'use', 'residential', 'areaCentiM2', 8000)`,
  );
  await load(
    'bankDeposit',
    'finance',
    adult,
    `jsonb_build_object('bank', '农商银行', 'kind', 'deposit', 'balanceFen', r.n % 2000000)`,
  );
  await load(
    'tax',
    'tax',
    `${adult} AND r.n % 3 = 0`,
    `jsonb_build_object('year', 2024, 'wageIncomeFen', 2000000 + r.n % 3000000, 'taxPaidFen', 0)`,
  );
  await load(
    'socialInsurance',
    'humanResources',
    "p.birth_date <= date '1965-06-30'",
    `jsonb_build_object('scheme', CASE WHEN r.n % 4 = 0 THEN 'employee' ELSE 'resident' END, 'status', 'receivingPension', 'monthlyPensionFen', 20000 + r.n % 200000)`,
  );
  await load(
    'vehicle',
    'publicSecurity',
    "p.relationship_to_head = 'head' AND r.n % 10 = 0",
    `jsonb_build_object('plate', '鄂K' || (r.n % 100000), 'kind', 'car', 'brand', '五菱', 'purchasePriceFen', 3000000 + r.n % 8000000, 'disabilityVehicle', r.n % 50 = 0, 'registeredOn', '2020-01-01')`,
  );
  await load(
    'business',
    'marketRegulation',
    `${adult} AND r.n % 20 = 1`,
    `jsonb_build_object('entityName', '个体户' || (r.n % 100000), 'creditCode', 'C' || r.n, 'entityType', 'individualBusiness', 'role', 'operator', 'registeredCapitalFen', r.n % 20000000)`,
  );
  // July: new cars (2% of households), large deposit increases (2%), new homes (1%), deaths (0.5%).
  await load(
    'vehicle',
    'publicSecurity',
    "p.relationship_to_head = 'head' AND r.n % 50 = 7",
    `jsonb_build_object('plate', '鄂KN' || (r.n % 100000), 'kind', 'car', 'brand', '大众', 'purchasePriceFen', 15000000, 'disabilityVehicle', false, 'registeredOn', '${JULY}')`,
    JULY,
  );
  await db.query(
    `UPDATE source_record SET valid_to = $1 WHERE source = 'bankDeposit' AND valid_to IS NULL
        AND (('x' || substr(md5(person_id::text), 1, 8))::bit(32)::int & 2147483647) % 50 = 3`,
    [JULY],
  );
  await load(
    'bankDeposit',
    'finance',
    `${adult} AND r.n % 50 = 3`,
    `jsonb_build_object('bank', '农商银行', 'kind', 'deposit', 'balanceFen', r.n % 2000000 + 10000000)`,
    JULY,
  );
  await load(
    'realEstate',
    'naturalResources',
    "p.relationship_to_head = 'spouse' AND r.n % 100 = 5",
    `jsonb_build_object('certificateNumber', 'N' || p.id, 'location', '县城新区', 'use', 'residential', 'areaCentiM2', 9000)`,
    JULY,
  );
  await load(
    'business',
    'marketRegulation',
    `${adult} AND r.n % 200 = 9`,
    `jsonb_build_object('entityName', '新商户' || (r.n % 100000), 'creditCode', 'N' || r.n, 'entityType', 'individualBusiness', 'role', 'operator', 'registeredCapitalFen', 500000)`,
    JULY,
  );
  await db.query(
    `UPDATE person SET death_date = '2025-07-15' WHERE relationship_to_head <> 'head'
        AND (('x' || substr(md5(id::text), 1, 8))::bit(32)::int & 2147483647) % 200 = 11 AND death_date IS NULL`,
  );
  await db.exec('VACUUM (ANALYZE) source_record');
  await db.exec('ANALYZE person; ANALYZE person_transfer; ANALYZE household');
  return (performance.now() - t0) / 1000;
}

async function measured(asOf: string) {
  const backends = followBackends(db);
  await backends.started;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const row = await createRun(db, county, { regionCode: COUNTY, kind: 'all', asOf, householdIds: null });
  const outcome = await runBatch(db, row.id, {
    batchSize,
    onBatch: (done, total) => {
      if (done % 20_000 < batchSize) log(`${asOf}: ${done} / ${total}`);
    },
  });
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const pg = await backends.stop();
  return { outcome, seconds, node: (cpu.user + cpu.system) / 1e6, pg };
}

const rows: string[][] = [];
try {
  if (bench.created) {
    const t0 = performance.now();
    const config = loadConfig({ NODE_ENV: 'test' });
    await seedRegistry(db, cipherFor(config.dataKey), systemActor, { households, seed: 11, under: '420921' });
    log(`seeded ${households} households in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    await db.query(
      `INSERT INTO enrolment (household_id, region_code, category, policy_id, monthly_amount_fen, decided_on, starts_on,
         review_months, next_review_on, legal_ground)
       SELECT id, region_code, 'dibao', 'dibao', 50000, date '2025-01-10', date '2025-02-01', 12, date '2026-02-01', '基准测试'
         FROM household`,
    );
    const seconds = await loadSources();
    const n = await db.query<{ n: string }>('SELECT count(*) AS n FROM source_record');
    log(`${Number(n.rows[0]?.n).toLocaleString('en')} source records in ${seconds.toFixed(0)} s`);
  }
  const enrolled = Number(
    (
      await db.query<{ n: string }>(
        "SELECT count(DISTINCT household_id) AS n FROM enrolment WHERE status <> 'stopped'",
      )
    ).rows[0]?.n,
  );
  for (const [label, asOf] of [
    ['June (baseline)', JUNE],
    ['July (differences)', JULY],
    ['July again (nothing new)', JULY],
  ] as const) {
    const m = await measured(asOf);
    rows.push([
      label,
      `${m.outcome.done.toLocaleString('en')}`,
      `${m.seconds.toFixed(1)} s`,
      `${Math.round(m.outcome.done / m.seconds).toLocaleString('en')}`,
      `${m.node.toFixed(1)} s`,
      m.pg === undefined ? '?' : `${m.pg.toFixed(1)} s`,
      `${m.outcome.baselines.toLocaleString('en')} / ${m.outcome.changes.toLocaleString('en')}`,
      `${(m.outcome.phases.readMs / 1000).toFixed(1)} / ${(m.outcome.phases.computeMs / 1000).toFixed(1)} / ${(m.outcome.phases.writeMs / 1000).toFixed(1)} s`,
    ]);
  }
  const kinds = await db.query<{ kind: string; n: string }>(
    'SELECT kind, count(*) AS n FROM verification_change GROUP BY kind ORDER BY kind',
  );
  const [l1, l5] = os.loadavg();
  console.log(
    `\nBatch re-verification, ${enrolled.toLocaleString('en')} enrolled households, batches of ${batchSize} (load average ${l1?.toFixed(1)} / ${l5?.toFixed(1)}, ${os.cpus().length} cores)\n`,
  );
  printTable(
    [
      'run',
      'households',
      'wall',
      'households/s',
      'Node CPU',
      'PostgreSQL CPU',
      'baselines / changes',
      'read / compute / write',
    ],
    rows,
    ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
  );
  console.log(`\nchanges by kind: ${kinds.rows.map((k) => `${k.kind} ${k.n}`).join(', ')}`);
  if (bench.keep && bench.created) console.log(`\nkept database: ${bench.name}`);
} finally {
  await bench.close();
}
