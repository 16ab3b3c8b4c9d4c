/** Opening the platform: configuration, database, migrations. Shared by the CLI and tests. */
import { type Config, loadConfig } from './config.ts';
import { type Database, openDatabase } from './db/database.ts';
import { migrate } from './db/migrate.ts';

export interface Runtime {
  config: Config;
  db: Database;
}

export async function openRuntime(config: Config = loadConfig()): Promise<Runtime> {
  const db = await openDatabase(config);
  await migrate(db);
  return { config, db };
}
