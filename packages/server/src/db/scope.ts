/**
 * Runs work on behalf of a user. Each call is one transaction that switches to the role
 * doudi_app (which owns no table, so row-level security applies to it) and sets the user's
 * region scope; PostgreSQL then hides every row outside that subtree, whatever the SQL says.
 * (Or doudi_app_residence, doudi_app plus read access to households applying where they live.)
 */
import type { Actor } from '../domains/access/permissions.ts';
import { scopeSetting } from '../domains/regions/regionCode.ts';
import { type Database, type Queryable, sqlLiteral } from './database.ts';

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
  // Role, scope, actor and request id in one statement that travels with BEGIN: one round trip
  // instead of three on every request (set_config('role', …, true) is SET LOCAL ROLE). The values
  // are inlined as escaped literals because a prelude has no parameters.
  // A township holding an application of a household registered elsewhere (居住地申办) reads that
  // household through policies of a second role; everyone else keeps the plain policies and their
  // plans (migration 024 says why). Asked in the same statement (the function is SECURITY DEFINER).
  const scope = sqlLiteral(scopeSetting(actor.regionCode));
  const prelude = `SELECT set_config('role', 'doudi_app', true), set_config('doudi.scope', ${scope}, true),
      set_config('doudi.actor_id', ${sqlLiteral(actor.userId)}, true),
      set_config('doudi.request_id', ${sqlLiteral(requestId ?? '')}, true),
      intake_residence_session(${scope}) AS residence`;
  return db.transaction(async (tx, set) => {
    if (set[0]?.residence) await tx.query('SET LOCAL ROLE doudi_app_residence');
    return fn(tx);
  }, prelude);
}

/** Work done by the platform itself (login, migrations, jobs): no role switch, no scope. */
export async function asSystem<T>(db: Database, fn: (tx: Queryable) => Promise<T>): Promise<T> {
  return db.transaction(fn);
}
