/**
 * The alert loop at county scale, on the PostgreSQL server:
 *   npx tsx bench/alerts/loop.bench.ts [--alerts 20000]
 *
 * Creates a database on DATABASE_URL's server, migrates, and inserts --alerts alerts as a
 * monitoring run leaves them (status raised, causes spread over the triggers and models, 200
 * villages of 20 townships). Then measures, as the job and the pages do it:
 *   1. the sweep that dispatches every raised alert by the rules (event + audit row each);
 *   2. the same sweep five working days later, escalating every one nobody accepted;
 *   3. a repeat of it the same day (must find nothing);
 *   4. the dashboard (all its aggregates) and the first page of the list, as a county officer
 *      under row-level security, 20 times each (p50 / max).
 * Prints one table; the database is dropped at the end.
 */
import os from 'node:os';
import type { Actor } from '../../packages/server/src/domains/access/permissions.ts';
import { listAlerts } from '../../packages/server/src/domains/alerts/alerts.service.ts';
import { dashboard } from '../../packages/server/src/domains/alerts/dashboard.ts';
import { sweepAlerts } from '../../packages/server/src/domains/alerts/dispatch.ts';
import { benchDatabase, log, option, printTable, time } from '../lib/index.ts';

const alerts = Number(option('alerts', '20000'));

const bench = await benchDatabase('alerts');
const { db } = bench;
const rows: [string, string, string][] = [];
try {
  log(`inserting ${alerts} raised alerts`);
  await db.query(
    `INSERT INTO monitoring_alert (subject_key, region_code, cause, origin, colour, evidence, summary_zh, first_raised_at)
     SELECT 'bench-subject-' || g,
            '420921' || lpad((100 + g % 20)::text, 3, '0') || lpad((1 + g % 10)::text, 3, '0'),
            (ARRAY['trigger:medicalOutOfPocket12m', 'trigger:unemploymentRegistration', 'trigger:mainEarnerDeath',
                   'indicator:xiaochang', 'trigger:disabilityGradeChanged', 'trigger:educationBurden12m'])[1 + g % 6],
            'data', (ARRAY['red', 'yellow', 'blue', 'green'])[1 + g % 4],
            '[{"label":"bench","on":"2026-02-28"}]', '基准测试预警',
            timestamptz '2026-03-02 09:00+08' - (g % 300) * interval '1 day'
       FROM generate_series(1, $1::int) g`,
    [alerts],
  );
  const dispatched = await time(() => sweepAlerts(db, '2026-03-02'));
  rows.push([
    'dispatch sweep',
    `${dispatched.result.dispatched} alerts in ${(dispatched.ms / 1000).toFixed(1)} s`,
    `${Math.round(dispatched.result.dispatched / (dispatched.ms / 1000))} alerts/s`,
  ]);
  const escalated = await time(() => sweepAlerts(db, '2026-03-10'));
  rows.push([
    'escalation sweep',
    `${escalated.result.escalated} alerts in ${(escalated.ms / 1000).toFixed(1)} s`,
    `${Math.round(escalated.result.escalated / (escalated.ms / 1000))} alerts/s`,
  ]);
  const repeat = await time(() => sweepAlerts(db, '2026-03-10'));
  rows.push([
    'repeat, same day',
    `${repeat.result.dispatched + repeat.result.escalated} changed`,
    `${repeat.ms.toFixed(0)} ms`,
  ]);
  const county: Actor = {
    userId: '00000000-0000-0000-0000-000000000001',
    username: 'bench',
    displayName: 'bench',
    role: 'countyOfficer',
    department: null,
    regionCode: '420921000000',
  };
  const deps = { db, clock: () => new Date('2026-03-10T01:00:00Z') };
  for (const [label, fn] of [
    ['dashboard (county)', () => dashboard(deps, county, { months: 12 })],
    ['list, first page (county)', () => listAlerts(deps, county, { page: 1, pageSize: 20 })],
    ['list, overdue only', () => listAlerts(deps, county, { page: 1, pageSize: 20, overdue: true })],
  ] as const) {
    const times: number[] = [];
    for (let i = 0; i < 20; i++) times.push((await time(fn as () => Promise<unknown>)).ms);
    times.sort((a, b) => a - b);
    rows.push([label, `p50 ${times[10]?.toFixed(0)} ms`, `max ${times.at(-1)?.toFixed(0)} ms`]);
  }
} finally {
  await bench.close();
}
console.log(
  `\nalert loop, ${alerts} alerts, PostgreSQL, ${os.cpus().length} cores, load ${os.loadavg()[0]?.toFixed(1)}`,
);
printTable(['step', 'work', 'rate'], rows);
