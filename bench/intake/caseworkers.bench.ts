/**
 * 一门受理 under a county's working day (issue 6): 200 caseworkers at once against PostgreSQL.
 *   npx tsx bench/intake/caseworkers.bench.ts [--seconds 60] [--workers 200] [--verifiers 4]
 *        [--households 4000] [--think 1000] [--retry 0.15] [--log-level info] [--profile dir] [--keep]
 *
 * In a throwaway database on DATABASE_URL's server: seeds --households synthetic households over the
 * county's real townships and villages, --workers caseworker accounts spread over the townships and
 * --verifiers verification-centre officers; starts the real server (`doudi serve`, its own process,
 * background jobs off, rate limits raised) on a free port; signs every account in once (Argon2 is not
 * part of the loop). Then for --seconds each member of staff works in a loop through the HTTP API
 * (fetch with keep-alive, one cookie jar each), waiting --think ms on average between actions
 * (0: flat out): submit applications (Idempotency-Key; --retry of them sent twice), list the
 * workbench, open a case, complete or return a step, attach documents. See caseworker.ts.
 *
 * Prints one table: per operation count and p50/p99/max latency, throughput, answers other than 200
 * by status and code, CPU seconds of the server process, of PostgreSQL's backends and of this load
 * generator; then checks that no case was lost or duplicated (check.ts). Target: p99 < 200 ms.
 *
 * Measured 2026-11-23 on the shared 2-core machine, think 1 s, load average 23–34 from other people's
 * tests and benches (this bench's processes got about a tenth of the machine: latency here is mostly
 * queueing for CPU, so CPU per request is the figure to compare):
 *
 * | tree, workers × seconds                         | req/s | p50 / p99 s | CPU ms/request: Node + PostgreSQL |
 * | ----------------------------------------------- | ----- | ----------- | --------------------------------- |
 * | HEAD 13eba70, 200 × 60                          | 30.0  | 5.5 / 10.8  | 3.9 + 3.2 = 7.2                    |
 * | + case read in one query, 200 × 60              | 23.3  | 7.4 / 11.7  | 4.4 + 3.4 = 7.8 (noise at load 30) |
 * | + trial only: asActor's role and settings in    |       |             |                                    |
 * |   one statement, session check one statement    | 37.1  | 3.8 / 10.4  | 3.3 + 2.7 = 6.0                    |
 * | HEAD + this bench's intake changes, 200 × 60,   |       |             |                                    |
 * |   load 16 (03:38)                               | 90.2  | 1.5 / 3.5   | 2.5 + 2.6 = 5.1                    |
 * | working tree 03:15 (decisions hook), 100 × 30   | 21.9  | 2.9 / 7.1   | 14.2 + 3.8 = 18.0                  |
 * | working tree 03:34, audit after hooks, 100 × 30 | 18.7  | 4.3 / 7.1   | 10.9 + 3.7 = 14.6 (load 16)        |
 *
 *
 * Session 6, 2026-11-23, 200 × 60, think 1 s, on a quiet machine (load 1–3 before each run; the
 * load generator shares the two cores):
 *
 * | tree                                                  | req/s | p50 / p99 ms  | CPU ms/request: Node + PostgreSQL | load generator CPU |
 * | ----------------------------------------------------- | ----- | ------------- | --------------------------------- | ------------------ |
 * | HEAD 0480857 (session start)                          | 99.7  | 1232 / 2229   | 9.5 + 3.4 = 12.9 (Node saturated) | 9.9 s              |
 * | + font parsed once, 3 round trips, serializers, 送达  | 186.8 | 303 / 888     | 3.8 + 3.5 = 7.3                   | 15.1 s             |
 * | the same over the Unix socket (host=/var/run/postgresql) | 193.6 | 268 / 791  | 3.7 + 3.4 = 7.0                   | 15.3 s             |
 * | + load generator over node:http (TCP again)           | 231.8 | 95 / 540      | 3.1 + 3.0 = 6.1                   | 8.0 s              |
 * | + prepared statements (this tree)                     | 252.5 | 32 / 411      | 3.1 + 2.1 = 5.2                   | 8.4 s              |
 * | this tree, --think 3000                               | 85.0  | 8 / 63        | 4.7 + 2.5 = 7.1                   | 5.7 s              |
 *
 * With think 1 s the loop is closed: every gain in latency comes back as more requests (252/s, more
 * than one a second per caseworker, as some actions are two requests), and the machine is at about
 * 1.45 of its 2 cores; the tail is queueing in bursts, spread over every operation. At think 3 s
 * (still an action every 3 s per person) p99 is 63 ms.
 *
 * Twice the throughput (closed loop: shorter answers, more requests), but the machine is now
 * saturated (Node 44 + PostgreSQL 40 + load generator 15 CPU-s in 62 s on 2 cores), so p99 is
 * queueing. Main-thread profile: pg's socket writes 30% (writev on loopback TCP does the receiving
 * side's work too), issueDocument 23% (about 12 ms a PDF with the seal block). Next: render PDFs
 * on first download from the immutable content instead of in the transition (but a served
 * document is printed at least once, so that moves the cost rather than saving it).
 *
 * door8, 2026-11-23 08:45–09:20, shared machine (load average 10–18 from other helpers' work: compare
 * CPU ms per request, not latency; closed loop, so throughput follows the load). HEAD = 524df5c;
 * "new" = font caches for PDFs (documents/fontCaches.ts: a notice 7.3 → 4.4 CPU ms at load 10,
 * 8.0–8.3 → 5.4 at load 14, bench/intake/pdfRender.bench.ts) + a transition's state, papers and
 * event in one statement, the same for an opened case (intake/caseWrites.repo.ts), no re-read of the
 * case after its UPDATE. Pairs run back to back, alternating:
 *
 * | run (workers × seconds, load 1-min at start)  | requests | Node ms/req | PostgreSQL ms/req | sum  |
 * | --------------------------------------------- | -------- | ----------- | ----------------- | ---- |
 * | HEAD, 200 × 60 (load 13, with tests running)  | 2152     | 4.28        | 2.46              | 6.73 |
 * | PDF caches + UPDATE … RETURNING, 200 × 30 (9) | 3868     | 3.18        | 2.07              | 5.23 |
 * | HEAD, 200 × 30 (12)                           | 2585     | 3.79        | 2.01              | 5.79 |
 * | PDF caches + UPDATE … RETURNING, 200 × 30 (14)| 5576     | 2.56        | 1.87              | 4.42 |
 * | HEAD, 200 × 30 (14)                           | 3153     | 3.39        | 1.93              | 5.34 |
 * | new, 200 × 30 (10)                            | 5084     | 2.28        | 1.53              | 3.82 |
 * | HEAD, 200 × 30 (13)                           | 4401     | 3.20        | 2.04              | 5.25 |
 * | new, 200 × 30 (13)                            | 4361     | 2.64        | 1.74              | 4.38 |
 * | HEAD, 200 × 30 (14)                           | 3856     | 3.09        | 1.66              | 4.74 |
 * | new, 200 × 60 (14)                            | 7491     | 2.75        | 1.91              | 4.67 |
 * | HEAD, 200 × 60 (16)                           | 3317     | 3.80        | 2.26              | 6.04 |
 * | HEAD, 200 × 60 (11)                           | 6405     | 3.15        | 2.15              | 5.30 |
 * | new, 200 × 60 (11)                            | 8486     | 2.67        | 2.35              | 5.02 |
 *
 * Node −15 to −30% per request in every pair. PostgreSQL: lower in four pairs of five, higher in the
 * last (other helpers' database work shares the server; the lead's quiet run decides). Still open in the Node profile (new tree,
 * 233 req/s run): PDFs 24% of busy time (deflate and fontkit's table encoding are most of what is
 * left), pg socket writes 13% (reads are already 4 statements: session, BEGIN + scope, query,
 * COMMIT), pino's synchronous log writes ~12% (two lines per request to stdout).
 *
 * Session 8, 2026-11-23 12:24–14:07, quiet machine (load 0 before each run; 1.4–3.0 at start is the
 * bench's own seeding), 200 × 60, think 1 s. Plan cache mode, alternating:
 *
 * | tree / DOUDI_PG_PLAN_CACHE_MODE                      | req/s | p50 / p99 ms | CPU ms/request: Node + PostgreSQL |
 * | ---------------------------------------------------- | ----- | ------------ | --------------------------------- |
 * | b6a7d36, force_custom_plan (its default)             | 204.0 | 219 / 754    | 3.66 + 3.40 = 7.06                |
 * | b6a7d36, auto                                        | 237.7 | 73 / 473     | 3.33 + 2.45 = 5.78                |
 * | b6a7d36, auto                                        | 241.6 | 60 / 320     | 3.19 + 2.38 = 5.58                |
 * | b6a7d36, force_custom_plan                           | 227.2 | 110 / 662    | 3.19 + 3.09 = 6.28                |
 * | auto, array-parameter statements unprepared (now)    | 255.9 | 22 / 328     | 2.71 + 2.19 = 4.90                |
 * | b6a7d36, force_custom_plan, --think 3000             | 85.3  | 9 / 88       | 4.57 + 3.23 = 7.81                |
 *
 * Forcing custom plans cost 0.7–1.0 ms of PostgreSQL CPU per request; db/database.ts now prepares
 * under auto and leaves statements with array parameters unprepared (the batch probes that needed
 * custom plans). At think 3 s the target holds (p99 88 ms); at think 1 s the two cores are full.
 *
 * Session 9, 2026-11-23 18:40–18:43, this tree (HEAD ≈ session 8's last row plus date and catalogue
 * changes, nothing on the request path), another VM of the same kind (AMD EPYC, 2 cores), quiet
 * (load 1.5–1.7 at start), 200 × 60:
 *
 * | think | req/s | p50 / p99 / max ms | CPU ms/request: Node + PostgreSQL | load generator CPU |
 * | ----- | ----- | ------------------ | --------------------------------- | ------------------ |
 * | 3 s   | 85.3  | 4.2 / 34.1 / 174   | 2.69 + 1.71 = 4.41                | 4.0 s              |
 * | 1 s   | 266.6 | 4.9 / 75.4 / 215   | 1.72 + 1.45 = 3.17                | 5.5 s              |
 * | 1 s   | 266.9 | 4.7 / 71.3 / 265   | 1.79 + 1.44 = 3.24                | 5.4 s              |
 *
 * The target (p99 < 200 ms) holds at think 1 s: each caseworker acting about once a second, all
 * day, which is far above a county's real load. The same code took 4.90 ms per request in session
 * 8 on that session's machine; this one is about a third faster at the same work, so compare CPU
 * per request within one session only. Every check ok in every run.
 *
 * Every run: nothing lost or duplicated (all checks ok), each retried key one application.
 * In the working tree, 46% of the server's main thread went to renderPdf: the decisions hook renders
 * the acceptance notice (≈77 ms CPU each, fonts parsed anew per document) inside the transition's
 * transaction, while holding the county's document-number row and (before this bench's change to
 * cases.service.ts) the audit chain head, on which every writer in the system queues.
 * Fixed cost of every request: 8 database round trips before the handler's own (session: BEGIN,
 * session, user, COMMIT; asActor: BEGIN, SET ROLE, set_config, COMMIT).
 */
import os from 'node:os';
import {
  benchDatabase,
  flag,
  followBackends,
  log,
  numberOption,
  option,
  printTable,
  processCpu,
} from '../lib/index.ts';
import { newLedger, runStaff } from './caseworker.ts';
import { checkNothingLost } from './check.ts';
import { Browser, Stats } from './client.ts';
import { PASSWORD, seedCounty, startServer } from './setup.ts';

const seconds = numberOption('seconds', 60);
const workers = numberOption('workers', 200);
const verifiers = numberOption('verifiers', 4);
const households = numberOption('households', 4000);
const thinkMs = numberOption('think', 1000);
const retryShare = numberOption('retry', 0.15);
const logLevel = option('log-level', 'info');
const profileDir = option('profile', '');
const TARGET_MS = 200;

/** A small seeded generator (mulberry32): the same run draws the same actions. */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const bench = await benchDatabase('intake', { keep: flag('keep') });
const { db } = bench;
let exitCode = 0;
try {
  log(`seeding ${households} households, ${workers} caseworkers, ${verifiers} verification officers`);
  const staff = await seedCounty(db, { households, caseworkers: workers, verifiers });
  const server = await startServer(bench.url, logLevel, profileDir);
  try {
    log(`server pid ${server.pid} at ${server.base}; signing in`);
    const stats = new Stats();
    const browsers = staff.map(() => new Browser(server.base, stats));
    for (let i = 0; i < staff.length; i += 8)
      await Promise.all(
        staff.slice(i, i + 8).map((s, j) => browsers[i + j]?.login(s.username, PASSWORD) as Promise<void>),
      );
    stats.latencies.clear();
    stats.failures.clear();
    stats.requests = 0;

    log(`${staff.length} signed in; ${seconds} s of work, think ${thinkMs} ms`);
    const ledger = newLedger();
    const backends = followBackends(db);
    await backends.started;
    const serverCpu0 = processCpu(server.pid);
    const selfCpu0 = process.cpuUsage();
    const started = performance.now();
    const deadline = Date.now() + seconds * 1000;
    await Promise.all(
      staff.map((s, i) =>
        runStaff(s, i, browsers[i] as Browser, ledger, {
          deadline,
          thinkMs,
          retryShare,
          random: random(i + 1),
        }),
      ),
    );
    const elapsed = (performance.now() - started) / 1000;
    const serverCpu = (processCpu(server.pid) ?? Number.NaN) - (serverCpu0 ?? Number.NaN);
    const self = process.cpuUsage(selfCpu0);
    const pgCpu = await backends.stop();
    log(`done: ${stats.requests} requests in ${elapsed.toFixed(1)} s; checking`);

    const p99 = stats.p99();
    const [l1, l5] = os.loadavg();
    console.log(
      `\n一门受理, ${workers} caseworkers + ${verifiers} verification officers, ${households} households, ` +
        `${elapsed.toFixed(0)} s, think ${thinkMs} ms, PostgreSQL; ${os.cpus().length} cores, load ${l1?.toFixed(1)} / ${l5?.toFixed(1)}\n`,
    );
    printTable(['operation', 'requests', 'p50 ms', 'p99 ms', 'max ms'], stats.rows(), [
      'left',
      'right',
      'right',
      'right',
      'right',
    ]);
    const failures = [...stats.failures].sort(([, a], [, b]) => b - a).map(([k, n]) => `${k}: ${n}`);
    const results = [...ledger.results].map(([k, n]) => `${k} ${n}`).join(', ');
    const acked = [...ledger.submissions.values()].filter((s) =>
      s.answers.some((a) => a.status === 200),
    ).length;
    const checks = await checkNothingLost(db, ledger);
    const figures: [string, string][] = [
      ['throughput', `${(stats.requests / elapsed).toFixed(1)} requests/s`],
      ['applications acknowledged', `${acked} (${(acked / elapsed).toFixed(1)}/s)`],
      ['transitions answered 200, by result', results || 'none'],
      ['answers other than 200 (status code: count)', failures.join('; ') || 'none'],
      [`p99 of all requests < ${TARGET_MS} ms`, `${p99 < TARGET_MS ? 'yes' : 'NO'} (${p99.toFixed(1)} ms)`],
      ['CPU s: server process (Node)', serverCpu.toFixed(1)],
      ['CPU s: PostgreSQL backends of this database', pgCpu === undefined ? 'n/a' : pgCpu.toFixed(1)],
      ['CPU s: load generator (this process)', ((self.user + self.system) / 1e6).toFixed(1)],
      [
        'CPU ms per request, server + PostgreSQL',
        (((serverCpu + (pgCpu ?? Number.NaN)) * 1000) / Math.max(1, stats.requests)).toFixed(2),
      ],
      ...checks.map((c): [string, string] => [`check: ${c.label}`, `${c.ok ? 'ok' : 'FAILED'}: ${c.detail}`]),
    ];
    console.log('');
    printTable(['measure', 'value'], figures);
    if (checks.some((c) => !c.ok)) exitCode = 1;
  } finally {
    await server.stop();
  }
  if (bench.keep) console.log(`\nkept database: ${bench.url}`);
} finally {
  await bench.close();
}
process.exit(exitCode);
