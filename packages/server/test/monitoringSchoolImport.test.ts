/**
 * A child leaving school, end to end: the education department's school-status file (Chinese
 * headers) goes through the real importer, the import's incremental monitoring run raises the
 * alert for the child's household (yellow, or red for a dibao household) with its Chinese summary,
 * dispatched to education by the rules; transfers and graduations raise nothing, malformed rows are
 * rejected, and importing the same file again changes nothing.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sweepAlerts } from '../src/domains/alerts/dispatch.ts';
import { followImports, MONITORING_SYSTEM } from '../src/domains/monitoring/monitoring.service.ts';
import { AS_OF, login, seedSources, upload } from './sourcesFactories.ts';
import { createTestApp, type TestApp } from './testApp.ts';

const HEADER = '记录编号,身份证号码,姓名,学校名称,学段,变动类型,变动日期,变动原因';

describe('a child leaving school, through the importer and a monitoring run', () => {
  let t: TestApp;
  let dir: string;
  let child: { id: string; name: string; household: string };
  let adult: { id: string; name: string };

  beforeAll(async () => {
    t = await createTestApp();
    dir = await seedSources(t);
    // Pick from the synthetic registry a child of 10–16 and an adult of 30+ on the run date.
    const lines = (await readFile(join(dir, 'persons.csv'), 'utf8')).trim().split('\n');
    const head = (lines[0] as string).replace(/^\uFEFF/, '').split(',');
    const col = (name: string) => head.indexOf(name);
    const rows = lines.slice(1).map((l) => l.split(','));
    const age = (r: string[]) => Number(AS_OF.slice(0, 4)) - Number(r[col('出生日期')]?.slice(0, 4));
    const kid = rows.find((r) => age(r) >= 10 && age(r) <= 16) as string[];
    const grown = rows.find((r) => age(r) >= 30) as string[];
    child = {
      id: kid[col('身份证号码')] as string,
      name: kid[col('姓名')] as string,
      household: kid[col('户编号')] as string,
    };
    adult = { id: grown[col('身份证号码')] as string, name: grown[col('姓名')] as string };
  }, 180_000);
  afterAll(() => t.drop());

  it('raises one alert for the dropout, none for transfer, graduation or an adult; bad rows are refused', async () => {
    const verify = await login(t, 'verify');
    const csv = [
      HEADER,
      `S-1,${child.id},${child.name},花园镇初级中学,初中,辍学,2025-05-20,家庭经济困难`,
      `S-2,${child.id},${child.name},花园镇初级中学,初中,转学,2025-03-01,随父母迁居`,
      `S-3,${adult.id},${adult.name},孝昌县职业技术学校,中职,辍学,2025-05-01,外出务工`,
      `S-4,${child.id},${child.name},花园镇初级中学,初中,毕业,2024-07-01,`,
      `S-5,${child.id},${child.name},花园镇初级中学,大学,退学,2025-05-01,"<script>alert(1)</script>"`,
      `S-6,${child.id},${child.name},花园镇初级中学,初中,辍学,2025-13-45,`,
    ].join('\n');
    const first = await upload(t, verify, 'schoolStatus', csv, { fileName: 'school.csv' });
    expect(first.json()).toMatchObject({ status: 'done', inserted: 4, rejected: 2 });
    const runs = await followImports(t.db, MONITORING_SYSTEM);
    expect(runs.runs.length).toBeGreaterThanOrEqual(1);
    const alerts = await t.db.query<{
      cause: string;
      colour: string;
      summary_zh: string;
      household_id: string;
    }>(
      `SELECT cause, colour, summary_zh, household_id FROM monitoring_alert WHERE cause LIKE 'trigger:childLeftSchool%'`,
    );
    expect(alerts.rows).toHaveLength(1);
    const alert = alerts.rows[0] as (typeof alerts.rows)[number];
    const categories = await t.db.query<{ category: string }>(
      `SELECT category FROM household_category WHERE household_id = $1 AND valid_to IS NULL`,
      [alert.household_id],
    );
    const enrolled = categories.rows.some((c) => c.category === 'dibao' || c.category === 'tekun');
    expect([alert.cause, alert.colour]).toEqual(
      enrolled ? ['trigger:childLeftSchoolEnrolled', 'red'] : ['trigger:childLeftSchool', 'yellow'],
    );
    expect(alert.summary_zh).toMatch(
      new RegExp(`${child.name}（\\d+岁）于2025-05-20从花园镇初级中学（初中）辍学，原因：家庭经济困难`),
    );

    // The same file again: nothing new, no second alert, no second run's worth of alerts.
    const records = `SELECT count(*)::int AS n FROM source_record WHERE source = 'schoolStatus'`;
    const before = (await t.db.query(records)).rows;
    const again = await upload(t, verify, 'schoolStatus', csv, { fileName: 'school.csv' });
    expect(again.json().status).toBe('done');
    expect((await t.db.query(records)).rows).toEqual(before);
    await followImports(t.db, MONITORING_SYSTEM);
    const after = await t.db.query(
      `SELECT 1 FROM monitoring_alert WHERE cause LIKE 'trigger:childLeftSchool%'`,
    );
    expect(after.rows).toHaveLength(1);

    // Dispatched to education by the schooling rule.
    await sweepAlerts(t.db, '2025-07-01');
    const dispatched = await t.db.query<{ lead_department: string; dispatch_rule: string }>(
      `SELECT lead_department, dispatch_rule FROM monitoring_alert WHERE cause LIKE 'trigger:childLeftSchool%'`,
    );
    expect(dispatched.rows).toEqual([{ lead_department: 'education', dispatch_rule: 'schooling' }]);
  });
});
