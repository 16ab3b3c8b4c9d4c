import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { JobRunner } from '../src/jobs/queue.ts';
import { buildUser, seedRegions } from './factories.ts';
import { createTestDatabase, type TestDatabase } from './testDb.ts';

const quiet = { info: () => undefined, error: () => undefined };

describe('background jobs (pg-boss)', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
    await seedRegions(t.db);
  });
  afterAll(() => t.drop());

  it('runs the session clean-up job on the same database and stops cleanly', async () => {
    const user = await buildUser(t.db, 'someone', 'caseworker', '420921100000');
    await t.db.query(
      `INSERT INTO app_session (token_hash, user_id, expires_at) VALUES ('old', $1, now() - interval '1 day'), ('fresh', $1, now() + interval '1 day')`,
      [user.id],
    );
    const config = { ...loadConfig({ NODE_ENV: 'test' }), databaseUrl: t.url };
    const runner = new JobRunner(t.db, config, quiet);
    await runner.start();
    try {
      expect(await runner.send('session-cleanup')).toBeTruthy();
      const deadline = Date.now() + 30_000;
      let left: string[] = [];
      while (Date.now() < deadline) {
        left = (await t.db.query<{ token_hash: string }>('SELECT token_hash FROM app_session')).rows.map(
          (r) => r.token_hash,
        );
        if (left.length === 1) break;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      expect(left).toEqual(['fresh']);
    } finally {
      await runner.stop();
    }
  }, 60_000);
});
