import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Database } from '../../db/database.ts';
import { errorResponses, RegionCode } from '../../http/schemas.ts';
import { actorOf } from '../../http/session.ts';
import { Departments, Roles } from '../access/permissions.ts';
import { createUser, getUser, listUsers, updateUser } from './users.service.ts';

const RoleSchema = Type.Union(
  Roles.map((r) => Type.Literal(r)),
  { $id: 'Role' },
);

const DepartmentSchema = Type.Union(
  Departments.map((d) => Type.Literal(d)),
  { $id: 'Department' },
);

export const User = Type.Object(
  {
    id: Type.String(),
    username: Type.String(),
    displayName: Type.String(),
    role: Type.Ref('Role'),
    department: Type.Union([Type.Ref('Department'), Type.Null()]),
    regionCode: Type.String(),
    regionName: Type.String(),
    disabled: Type.Boolean(),
    locked: Type.Boolean(),
    createdAt: Type.String(),
  },
  { $id: 'User' },
);

export const userSchemas = [RoleSchema, DepartmentSchema, User];

const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });

export const usersRoutes =
  (db: Database): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/api/users',
      {
        schema: {
          tags: ['users'],
          summary: '用户列表（仅本辖区）',
          querystring: Type.Object({
            regionCode: Type.Optional(RegionCode),
            role: Type.Optional(Type.Ref('Role')),
            search: Type.Optional(Type.String({ maxLength: 64 })),
            page: Type.Integer({ minimum: 1, maximum: 100_000, default: 1 }),
            pageSize: Type.Integer({ minimum: 1, maximum: 200, default: 20 }),
          }),
          response: {
            200: Type.Object({
              items: Type.Array(Type.Ref('User')),
              total: Type.Integer(),
              page: Type.Integer(),
              pageSize: Type.Integer(),
            }),
            ...errorResponses,
          },
        },
      },
      async (request) => listUsers(db, actorOf(request), request.query as never, request.id),
    );

    app.get(
      '/api/users/:id',
      {
        schema: {
          tags: ['users'],
          summary: '用户详情',
          params: Id,
          response: { 200: Type.Ref('User'), ...errorResponses },
        },
      },
      async (request) => getUser(db, actorOf(request), request.params.id, request.id),
    );

    app.post(
      '/api/users',
      {
        schema: {
          tags: ['users'],
          summary: '新建用户（管理员）',
          body: Type.Object(
            {
              username: Type.String({ pattern: '^[A-Za-z0-9_.@-]{3,64}$' }),
              displayName: Type.String({ minLength: 1, maxLength: 100 }),
              role: Type.Ref('Role'),
              department: Type.Optional(
                Type.Union([Type.String({ minLength: 1, maxLength: 50 }), Type.Null()]),
              ),
              regionCode: RegionCode,
              password: Type.String({ minLength: 1, maxLength: 128 }),
            },
            { additionalProperties: false },
          ),
          response: { 200: Type.Ref('User'), ...errorResponses },
        },
      },
      async (request) => createUser(db, actorOf(request), request.body as never, request.id),
    );

    app.patch(
      '/api/users/:id',
      {
        schema: {
          tags: ['users'],
          summary: '修改用户（管理员）：姓名、角色、部门、停用、解锁',
          params: Id,
          body: Type.Object(
            {
              displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
              role: Type.Optional(Type.Ref('Role')),
              department: Type.Optional(
                Type.Union([Type.String({ minLength: 1, maxLength: 50 }), Type.Null()]),
              ),
              disabled: Type.Optional(Type.Boolean()),
              unlock: Type.Optional(Type.Boolean()),
            },
            { additionalProperties: false },
          ),
          response: { 200: Type.Ref('User'), ...errorResponses },
        },
      },
      async (request) =>
        updateUser(db, actorOf(request), request.params.id, request.body as never, request.id),
    );
  };
