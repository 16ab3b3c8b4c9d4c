/**
 * The daily enrolment job at county scale, on the PostgreSQL server:
 *   npx tsx bench/enrolment/reviews.bench.ts [--households 20000]
 *
 * Creates a database on DATABASE_URL's server, migrates, and inserts --households households of
 * three persons, each enrolled in dibao with its next review spread over a year and 1% with a member
 * who died. Then measures:
 *   1. the job on the first day (review tasks 30 days ahead, re-checks after a death, audit rows);
 *   2. the same job again that day (must write nothing);
 *   3. the job the next day (one day's worth of new reviews);
 *   4. the enrolment list's first page and the open-task list, as a county officer under
 *      row-level security, 20 times each (p50 / max).
 * Prints one table; the database is dropped at the end.
 */
import os from 'node:os';
import type { Actor } from '../../packages/server/src/domains/access/permissions.ts';
import { runEnrolmentJob } from '../../packages/server/src/domains/enrolment/enrolment.job.ts';
import { listEnrolments, listTasks } from '../../packages/server/src/domains/enrolment/enrolment.service.ts';
import { regions, seedRegions } from '../../packages/server/test/factories.ts';
import { benchDatabase, log, option, printTable, time } from '../lib/index.ts';

const households = Number(option('households', '20000'));

const bench = await benchDatabase('enrolment');
const { db } = bench;
const rows: [string, string, string][] = [];
try {
  await seedRegions(db);
  log(`inserting ${households} households, ${households * 3} persons, ${households} enrolments`);
  const village = `CASE WHEN g % 2 = 0 THEN '${regions.huayuanVillage}' ELSE '${regions.fengshanVillage}' END`;
  await db.query(
    `INSERT INTO household (household_number, region_code, address, urban)
     SELECT 'B' || lpad(g::text, 9, '0'), ${village}, '基准测试村' || g || '号', false
       FROM generate_series(1, $1::int) g`,
    [households],
  );
  // Persons: cipher and index are stand-ins (the job never reads them); the index must be unique.
  await db.query(
    `INSERT INTO person (name, id_number_cipher, id_number_index, id_number_masked, birth_date, sex, household_id,
       relationship_to_head, region_code)
     SELECT '成员' || m, '\\x01'::bytea, sha256((h.household_number || '-' || m)::bytea), '420921********0000',
            CASE m WHEN 1 THEN date '1960-05-01' WHEN 2 THEN date '1962-07-01' ELSE date '2012-09-01' END,
            CASE m WHEN 2 THEN 'female' ELSE 'male' END, h.id,
            CASE m WHEN 1 THEN 'head' WHEN 2 THEN 'spouse' ELSE 'son' END, h.region_code
       FROM household h CROSS JOIN generate_series(1, 3) m`,
  );
  await db.query(
    `INSERT INTO enrolment (household_id, region_code, category, policy_id, monthly_amount_fen, decided_on, starts_on,
       review_months, next_review_on, legal_ground)
     SELECT h.id, h.region_code, 'dibao', 'dibao', 50000, date '2025-12-10', date '2026-01-01',
            CASE WHEN n % 3 = 0 THEN 6 ELSE 12 END, date '2026-03-02' + (n % 365)::int, '基准测试'
       FROM (SELECT id, region_code, row_number() OVER (ORDER BY household_number) AS n FROM household) h`,
  );
  await db.query(
    `UPDATE person SET death_date = date '2026-02-20'
      WHERE relationship_to_head = 'spouse' AND right(name, 1) = '2'
        AND household_id IN (SELECT id FROM household WHERE right(household_number, 2) = '00')`,
  );
  const first = await time(() => runEnrolmentJob(db, { today: '2026-03-02' }));
  rows.push([
    'job, first day',
    `${first.ms.toFixed(0)} ms`,
    `${first.result.reviews} reviews, ${first.result.rechecks} re-checks`,
  ]);
  const repeat = await time(() => runEnrolmentJob(db, { today: '2026-03-02' }));
  rows.push([
    'job, same day again',
    `${repeat.ms.toFixed(0)} ms`,
    `${repeat.result.reviews + repeat.result.rechecks} new tasks (must be 0)`,
  ]);
  const next = await time(() => runEnrolmentJob(db, { today: '2026-03-03' }));
  rows.push(['job, next day', `${next.ms.toFixed(0)} ms`, `${next.result.reviews} reviews`]);

  const county: Actor = {
    userId: 'bench',
    username: 'bench',
    displayName: '基准',
    role: 'countyOfficer',
    department: null,
    regionCode: regions.county,
  };
  const deps = { db };
  for (const [label, fn] of [
    ['enrolment list, first page (RLS)', () => listEnrolments(deps, county, { page: 1, pageSize: 20 })],
    ['open tasks, 200 by due date (RLS)', () => listTasks(deps, county)],
  ] as const) {
    const times: number[] = [];
    for (let i = 0; i < 20; i++) times.push((await time(fn as () => Promise<unknown>)).ms);
    times.sort((a, b) => a - b);
    rows.push([label, `p50 ${times[10]?.toFixed(1)} ms`, `max ${times.at(-1)?.toFixed(1)} ms`]);
  }
} finally {
  await bench.close();
}
const [l1, l5] = os.loadavg();
console.log(
  `\nEnrolment job, ${households} enrolled households (load average ${l1?.toFixed(1)} / ${l5?.toFixed(1)})`,
);
printTable(['step', 'time', 'result'], rows);
