/** User administration. Reads are scoped by the database; writes also check the target region. */
import type { Database } from '../../db/database.ts';
import { asActor } from '../../db/scope.ts';
import { errors } from '../../http/errors.ts';
import { type Actor, authorize, Permission, type Role, rolePermissions } from '../access/permissions.ts';
import { appendAudit } from '../audit/audit.repo.ts';
import { hashPassword, passwordProblem } from '../auth/password.ts';
import { isWithin } from '../regions/regionCode.ts';
import { findRegion } from '../regions/regions.repo.ts';
import * as repo from './users.repo.ts';

export interface UserView {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  department: string | null;
  regionCode: string;
  regionName: string;
  disabled: boolean;
  locked: boolean;
  createdAt: string;
}

export function toUserView(row: repo.UserRow): UserView {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    role: row.role,
    department: row.department,
    regionCode: row.region_code,
    regionName: row.region_name,
    disabled: row.disabled,
    locked: !!row.locked_until && row.locked_until > new Date(),
    createdAt: row.created_at.toISOString(),
  };
}

export async function getAccount(db: Database, actor: Actor | undefined, requestId?: string) {
  authorize(actor, Permission.accountRead);
  const row = await asActor(db, actor, requestId, (tx) => repo.findUserById(tx, actor.userId));
  if (!row) throw errors.unauthenticated();
  return { ...toUserView(row), permissions: [...rolePermissions[row.role]] };
}

export async function listUsers(
  db: Database,
  actor: Actor | undefined,
  query: { regionCode?: string; role?: Role; search?: string; page: number; pageSize: number },
  requestId?: string,
) {
  authorize(actor, Permission.userRead);
  const result = await asActor(db, actor, requestId, (tx) =>
    repo.listUsers(tx, {
      ...(query.regionCode ? { regionCode: query.regionCode.replace(/0+$/, '') } : {}),
      ...(query.role ? { role: query.role } : {}),
      ...(query.search ? { search: query.search } : {}),
      offset: (query.page - 1) * query.pageSize,
      limit: query.pageSize,
    }),
  );
  return {
    items: result.rows.map(toUserView),
    total: result.total,
    page: query.page,
    pageSize: query.pageSize,
  };
}

export async function getUser(db: Database, actor: Actor | undefined, id: string, requestId?: string) {
  authorize(actor, Permission.userRead);
  const row = await asActor(db, actor, requestId, (tx) => repo.findUserById(tx, id));
  if (!row) throw errors.notFound('用户');
  return toUserView(row);
}

export interface CreateUserInput {
  username: string;
  displayName: string;
  role: Role;
  department?: string | null | undefined;
  regionCode: string;
  password: string;
}

/** Creates an account. Used by the admin page and by `doudi user add` (with a system actor). */
export async function createUser(
  db: Database,
  actor: Actor | undefined,
  input: CreateUserInput,
  requestId?: string,
) {
  authorize(actor, Permission.userManage);
  const problem = passwordProblem(input.password, input.username);
  if (problem) throw errors.validation('password', problem, 'password too weak');
  if ((input.role === 'departmentOfficer') !== !!input.department) {
    throw errors.validation(
      'department',
      '部门工作人员必须填写所属部门，其他角色不填',
      'department is required for departmentOfficer only',
    );
  }
  if (!isWithin(input.regionCode, actor.regionCode)) throw errors.outOfScope('所选地区');
  const passwordHash = await hashPassword(input.password);
  return asActor(db, actor, requestId, async (tx) => {
    if (!(await findRegion(tx, input.regionCode)))
      throw errors.validation('regionCode', '地区代码不存在', 'unknown region');
    const id = await repo.insertUser(tx, {
      username: input.username,
      displayName: input.displayName,
      role: input.role,
      department: input.department ?? null,
      regionCode: input.regionCode,
      passwordHash,
    });
    if (!id)
      throw errors.conflict(
        'USERNAME_TAKEN',
        `用户名 ${input.username} 已被使用`,
        'username taken',
        'username',
      );
    const created = await repo.findUserById(tx, id);
    if (!created) throw errors.notFound('用户');
    const view = toUserView(created);
    await appendAudit(tx, {
      action: 'user.create',
      entityType: 'user',
      entityId: id,
      regionCode: input.regionCode,
      actorRole: actor.role,
      after: view,
    });
    return view;
  });
}

export async function updateUser(
  db: Database,
  actor: Actor | undefined,
  id: string,
  changes: {
    displayName?: string;
    role?: Role;
    department?: string | null;
    disabled?: boolean;
    unlock?: boolean;
  },
  requestId?: string,
) {
  authorize(actor, Permission.userManage);
  return asActor(db, actor, requestId, async (tx) => {
    const before = await repo.findUserById(tx, id);
    if (!before) throw errors.notFound('用户');
    const role = changes.role ?? before.role;
    const department = changes.department !== undefined ? changes.department : before.department;
    if ((role === 'departmentOfficer') !== !!department) {
      throw errors.validation(
        'department',
        '部门工作人员必须填写所属部门，其他角色不填',
        'department is required for departmentOfficer only',
      );
    }
    await repo.updateUser(tx, id, { ...changes, department });
    if (changes.unlock) await repo.clearFailedLogins(tx, id);
    const after = await repo.findUserById(tx, id);
    if (!after) throw errors.notFound('用户');
    await appendAudit(tx, {
      action: 'user.update',
      entityType: 'user',
      entityId: id,
      regionCode: after.region_code,
      actorRole: actor.role,
      before: toUserView(before),
      after: toUserView(after),
    });
    return toUserView(after);
  });
}
