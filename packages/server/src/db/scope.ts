/**
 * Runs work on behalf of a user. Each call is one transaction that switches to the role
 * doudi_app (which owns no table, so row-level security applies to it) and sets the user's
 * region scope; PostgreSQL then hides every row outside that subtree, whatever the SQL says.
 * (Or doudi_app_residence, doudi_app plus read access to households applying where they live.)
 */
import type { Actor } from '../domains/access/permissions.ts';
import { scopeSetting } from '../domains/regions/regionCode.ts';
import type { Database, Queryable } from './database.ts';

export interface ServiceContext {
  db: Database;
  actor?: Actor | undefined;
  requestId?: string | undefined;
}

export async function asActor<T>(
  db: Database,
  actor: Actor,
  requestId: string | undefined,
  fn: (tx: Queryable) => Promise<T>,
): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.query('SET LOCAL ROLE doudi_app');
    // A township holding an application of a household registered elsewhere (居住地申办) reads that
    // household through policies of a second role; everyone else keeps the plain policies and their
    // plans (migration 024 says why). Asked in the same statement: no extra round trip.
    const set = await tx.query<{ residence: boolean }>(
      `SELECT set_config('doudi.scope', $1, true), set_config('doudi.actor_id', $2, true),
              set_config('doudi.request_id', $3, true), intake_residence_session($1) AS residence`,
      [scopeSetting(actor.regionCode), actor.userId, requestId ?? ''],
    );
    if (set.rows[0]?.residence) await tx.query('SET LOCAL ROLE doudi_app_residence');
    return fn(tx);
  });
}

/** Work done by the platform itself (login, migrations, jobs): no role switch, no scope. */
export async function asSystem<T>(db: Database, fn: (tx: Queryable) => Promise<T>): Promise<T> {
  return db.transaction(fn);
}
