/** What an import run carries, and the transaction it writes in (department set for row-level security). */
import type { Database, Queryable } from '../../db/database.ts';
import { asActor } from '../../db/scope.ts';
import type { Actor } from '../access/permissions.ts';
import type { PersonalDataCipher } from '../registry/personalData.crypto.ts';
import type { SourceSpec } from './catalogue/index.ts';
import type { Counts, ImportRow, RowError } from './import.repo.ts';
import type { Mapping } from './mapping.ts';
import type { FileReader } from './readers/types.ts';
import type { ValidRecord } from './validate.ts';

/** Rows per transaction: fewer round trips and commits; a crash loses at most one batch. */
export const BATCH = 5000;

export interface RunContext {
  db: Database;
  cipher: PersonalDataCipher;
  actor: Actor;
  requestId?: string | undefined;
  spec: SourceSpec;
  mapping: Mapping | null;
  row: ImportRow;
  /** Opens the file from its start (called once per pass). */
  open: () => Promise<FileReader>;
  batchSize?: number;
  /** The source's setting for the shrunken-snapshot check (percent; null: the default). */
  shrinkPercent?: number | null;
  onProgress?: (counts: Counts, bytesRead: number) => void | Promise<void>;
}

/** The department setting that row-level security reads: department officers see their own rows only. */
export async function withDepartment<T>(
  db: Database,
  actor: Actor,
  requestId: string | undefined,
  fn: (tx: Queryable) => Promise<T>,
): Promise<T> {
  return asActor(db, actor, requestId, async (tx) => {
    if (actor.role === 'departmentOfficer')
      await tx.query("SELECT set_config('doudi.department', $1, true)", [actor.department ?? '-']);
    return fn(tx);
  });
}

export interface Pending {
  rowNo: number;
  record?: ValidRecord;
  errors?: RowError[];
}
