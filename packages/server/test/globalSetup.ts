/**
 * Creating an embedded PostgreSQL from nothing (initdb) costs seconds; loading a migrated copy
 * costs a fraction of that. Build one migrated template per test run and let every test file
 * start from it (see testDb.ts).
 */
import { rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openPglite } from '../src/db/database.ts';
import { migrate } from '../src/db/migrate.ts';

export default async function setup() {
  if (process.env.DOUDI_TEST_ON_SERVER === '1') return;
  const file = path.join(tmpdir(), `doudi-pglite-template-${process.pid}.tar`);
  const db = await openPglite();
  await migrate(db);
  const dump = await db.embedded?.dumpDataDir('none');
  await db.close();
  if (!dump) return;
  await writeFile(file, Buffer.from(await dump.arrayBuffer()));
  process.env.DOUDI_PGLITE_TEMPLATE = file;
  return async () => {
    await rm(file, { force: true });
  };
}
