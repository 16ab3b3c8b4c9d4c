/** SQL for user accounts. Called with a scoped transaction (row-level security applies) or as the system. */
import type { Queryable } from '../../db/database.ts';
import type { Role } from '../access/permissions.ts';

export interface UserRow {
  id: string;
  username: string;
  display_name: string;
  role: Role;
  department: string | null;
  region_code: string;
  region_name: string;
  password_hash: string;
  failed_logins: number;
  locked_until: Date | null;
  password_changed_at: Date;
  disabled: boolean;
  created_at: Date;
}

const SELECT_USER = `SELECT u.*, r.name AS region_name FROM app_user u JOIN region r ON r.code = u.region_code`;

export async function findUserByUsername(tx: Queryable, username: string): Promise<UserRow | undefined> {
  const result = await tx.query<UserRow>(`${SELECT_USER} WHERE u.username = $1`, [username]);
  return result.rows[0];
}

export async function findUserById(tx: Queryable, id: string): Promise<UserRow | undefined> {
  const result = await tx.query<UserRow>(`${SELECT_USER} WHERE u.id = $1`, [id]);
  return result.rows[0];
}

export async function listUsers(
  tx: Queryable,
  filter: { regionCode?: string; role?: Role; search?: string; offset: number; limit: number },
): Promise<{ rows: UserRow[]; total: number }> {
  const where = `WHERE ($1::text IS NULL OR u.region_code LIKE $1 || '%')
                   AND ($2::text IS NULL OR u.role = $2)
                   AND ($3::text IS NULL OR u.username ILIKE '%' || $3 || '%' OR u.display_name ILIKE '%' || $3 || '%')`;
  const params = [filter.regionCode ?? null, filter.role ?? null, filter.search ?? null];
  const rows = await tx.query<UserRow>(
    `${SELECT_USER} ${where} ORDER BY u.region_code, u.username OFFSET $4 LIMIT $5`,
    [...params, filter.offset, filter.limit],
  );
  const total = await tx.query<{ count: number }>(
    `SELECT count(*)::int AS count FROM app_user u ${where}`,
    params,
  );
  return { rows: rows.rows, total: total.rows[0]?.count ?? 0 };
}

export interface NewUser {
  username: string;
  displayName: string;
  role: Role;
  department: string | null;
  regionCode: string;
  passwordHash: string;
}

export async function insertUser(tx: Queryable, user: NewUser): Promise<string> {
  const result = await tx.query<{ id: string }>(
    `INSERT INTO app_user (username, display_name, role, department, region_code, password_hash)
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (username) DO NOTHING RETURNING id`,
    [user.username, user.displayName, user.role, user.department, user.regionCode, user.passwordHash],
  );
  return result.rows[0]?.id ?? '';
}

export async function updateUser(
  tx: Queryable,
  id: string,
  changes: {
    displayName?: string;
    role?: Role;
    department?: string | null;
    regionCode?: string;
    disabled?: boolean;
  },
): Promise<void> {
  await tx.query(
    `UPDATE app_user SET display_name = coalesce($2, display_name), role = coalesce($3, role),
            department = CASE WHEN $4::boolean THEN $5 ELSE department END,
            region_code = coalesce($6, region_code), disabled = coalesce($7, disabled)
      WHERE id = $1`,
    [
      id,
      changes.displayName ?? null,
      changes.role ?? null,
      changes.department !== undefined,
      changes.department ?? null,
      changes.regionCode ?? null,
      changes.disabled ?? null,
    ],
  );
}

export async function recordFailedLogin(
  tx: Queryable,
  id: string,
  threshold: number,
  lockMinutes: number,
): Promise<{ failed_logins: number; locked_until: Date | null }> {
  // One statement, so two wrong passwords at the same moment both count.
  const result = await tx.query<{ failed_logins: number; locked_until: Date | null }>(
    `UPDATE app_user SET
        failed_logins = CASE WHEN failed_logins + 1 >= $2 THEN 0 ELSE failed_logins + 1 END,
        locked_until = CASE WHEN failed_logins + 1 >= $2 THEN now() + make_interval(mins => $3) ELSE locked_until END
      WHERE id = $1 RETURNING failed_logins, locked_until`,
    [id, threshold, lockMinutes],
  );
  return result.rows[0] ?? { failed_logins: 0, locked_until: null };
}

export async function clearFailedLogins(tx: Queryable, id: string): Promise<void> {
  await tx.query('UPDATE app_user SET failed_logins = 0, locked_until = NULL WHERE id = $1', [id]);
}

export async function setPasswordHash(tx: Queryable, id: string, passwordHash: string): Promise<void> {
  await tx.query('UPDATE app_user SET password_hash = $2, password_changed_at = now() WHERE id = $1', [
    id,
    passwordHash,
  ]);
}
