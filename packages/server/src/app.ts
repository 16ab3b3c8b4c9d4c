/**
 * Builds the Fastify application: plugins, error shape, sessions, the API routes of every
 * domain, the OpenAPI document at /docs, and the web client at /. No listening here; `serve`
 * (cli) and the tests decide what to do with it.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, {
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  LogController,
} from 'fastify';
import type { Config } from './config.ts';
import type { Database } from './db/database.ts';
import { alertRoutes } from './domains/alerts/alerts.routes.ts';
import { alertSchemas } from './domains/alerts/alerts.schemas.ts';
import { auditRoutes } from './domains/audit/audit.routes.ts';
import { Account, authRoutes } from './domains/auth/auth.routes.ts';
import { registerDecisionServices } from './domains/decisions/decisions.routes.ts';
import { healthRoutes } from './domains/health/health.routes.ts';
import { homeVisitRoutes } from './domains/intake/homeVisit.routes.ts';
import { intakeRoutes } from './domains/intake/intake.routes.ts';
import { intakeSchemas } from './domains/intake/intake.schemas.ts';
import { residenceRoutes } from './domains/intake/residence.routes.ts';
import { intakeSuggestionRoutes } from './domains/intake/suggestions.routes.ts';
import { monitoringRoutes } from './domains/monitoring/monitoring.routes.ts';
import { policiesRoutes, policySchemas } from './domains/policies/policies.routes.ts';
import { Region, regionsRoutes } from './domains/regions/regions.routes.ts';
import { householdsRoutes } from './domains/registry/households.routes.ts';
import { cipherFor } from './domains/registry/personalData.crypto.ts';
import { personsRoutes } from './domains/registry/persons.routes.ts';
import { registrySchemas } from './domains/registry/registry.schemas.ts';
import { registerResidentServices } from './domains/residents/residentServices.plugin.ts';
import { screeningRoutes } from './domains/screening/screening.routes.ts';
import { screeningSchemas } from './domains/screening/screening.schemas.ts';
import { selfCheckRoutes } from './domains/selfcheck/selfCheck.routes.ts';
import { selfCheckSchemas } from './domains/selfcheck/selfCheck.schemas.ts';
import { sourcesRoutes } from './domains/sources/sources.routes.ts';
import { sourceSchemas } from './domains/sources/sources.views.ts';
import { userSchemas, usersRoutes } from './domains/users/users.routes.ts';
import { batchRoutes } from './domains/verification/batch.routes.ts';
import { delegatedRoutes } from './domains/verification/delegated.routes.ts';
import { verificationRoutes } from './domains/verification/verification.routes.ts';
import { whatIfRoutes } from './domains/whatIf/whatIf.routes.ts';
import { installErrorHandler } from './http/errorHandler.ts';
import { installFiniteNumberCheck } from './http/finiteNumbers.ts';
import { ErrorResponse } from './http/schemas.ts';
import { buildSerializerFactory } from './http/serializers.ts';
import { installSession } from './http/session.ts';

export interface AppState {
  closing: boolean;
}

const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

/** Services the app uses but does not own (the job queue is started and stopped by `doudi serve`). */
export interface AppServices {
  /** Queue for background jobs; without it, screening runs execute in this process. */
  jobs?: { send(name: string, data: object): Promise<string | null> };
  /** The time now for the intake clocks (tests move it); the real clock when absent. */
  clock?: () => Date;
}

/**
 * One log line per request, when it is answered. Fastify writes two (received, completed), each a
 * synchronous write to stdout: ≈12% of the main thread in the 200-caseworker bench. The line holds
 * the path without its query string: filters carry ID numbers and names (the access-log search,
 * household lookups), which logs must not hold. Errors keep Fastify's own lines.
 */
class OneLinePerRequest extends LogController {
  override incomingRequest() {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply) {
    if (this.isLogDisabled(request)) return;
    const url = request.url;
    const query = url.indexOf('?');
    const line = {
      method: request.method,
      path: query < 0 ? url : url.slice(0, query),
      statusCode: reply.statusCode,
      responseTime: Math.round(reply.elapsedTime * 10) / 10,
      remoteAddress: request.ip,
    };
    if (error) reply.log.error({ ...line, err: error }, 'request errored');
    else reply.log.info(line, 'request completed');
  }
}

export async function buildApp(
  db: Database,
  config: Config,
  services: AppServices = {},
): Promise<FastifyInstance & { state: AppState }> {
  const app = Fastify({
    logger: { level: config.logLevel, redact: ['req.headers.cookie', 'req.headers["x-csrf-token"]'] },
    logController: new OneLinePerRequest(),
    bodyLimit: config.bodyLimit,
    trustProxy: process.env.DOUDI_TRUST_PROXY === 'true',
    requestIdHeader: false,
    genReqId: (request) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true } },
    schemaController: { compilersFactory: { buildSerializer: buildSerializerFactory } },
  }).withTypeProvider<TypeBoxTypeProvider>();
  const state: AppState = { closing: false };

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  // While stopping, tell keep-alive clients to hang up after this response, so that in-flight
  // requests finish and no idle connection holds the process open.
  app.addHook('preClose', async () => {
    state.closing = true;
  });
  app.addHook('onSend', async (_request, reply) => {
    if (state.closing) reply.header('connection', 'close');
  });

  installErrorHandler(app);
  installFiniteNumberCheck(app);
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        // Ant Design writes its styles at run time; scripts stay same-origin only.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        scriptSrc: ["'self'"],
      },
    },
  });
  await app.register(fastifyCookie, { secret: config.cookieSecret });
  await app.register(fastifyCsrf, {
    cookieOpts: { path: '/', httpOnly: true, sameSite: 'strict', secure: config.secureCookies, signed: true },
    getToken: (request) => request.headers['x-csrf-token'] as string | undefined,
  });
  await app.register(fastifyRateLimit, { max: config.apiRateLimit, timeWindow: '1 minute' });
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Doudi 兜底 API',
        version: '0.1.0',
        description:
          '社会救助平台接口。登录后以 Cookie 维持会话；所有修改请求须带 x-csrf-token 请求头（由 GET /api/auth/csrf 取得）。',
      },
      tags: [
        { name: 'auth', description: '登录与会话' },
        { name: 'account', description: '我的账户' },
        { name: 'users', description: '用户管理' },
        { name: 'regions', description: '行政区划' },
        { name: 'audit', description: '审计' },
        { name: 'registry', description: '家庭与人员登记' },
        { name: 'operations', description: '运维' },
        { name: 'screening', description: '政策找人：批量测算、结果、依据与救助处方' },
        { name: 'public', description: '公开接口（无需登录）：救助助手' },
        { name: 'policies', description: '政策管理：草稿、检查、差异、发布、版本' },
        { name: 'sources', description: '部门数据：数据源目录、文件导入、比对、错误报告、部门推送' },
        { name: 'intake', description: '一门受理：申请、案件流转、时限与提醒、流程模板' },
        { name: 'whatIf', description: '政策测算：调整参数，测算新增、减少的救助对象和资金变化' },
        { name: 'alerts', description: '监测预警：点单、派单、接单、办理、反馈、办结，一户一画像，看板' },
      ],
    },
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, i) => (json.$id as string) || `def-${i}`,
    },
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs', staticCSP: true });

  for (const schema of [
    ErrorResponse,
    Account,
    Region,
    ...userSchemas,
    ...registrySchemas,
    ...selfCheckSchemas,
    ...policySchemas,
    ...screeningSchemas,
    ...intakeSchemas,
    ...sourceSchemas,
    ...alertSchemas,
  ])
    app.addSchema(schema);
  installSession(app, db, config);

  await app.register(healthRoutes(db, state, config.environment));
  await app.register(authRoutes(db, config));
  await app.register(usersRoutes(db));
  await app.register(regionsRoutes(db));
  await app.register(auditRoutes(db));
  const registry = { db, cipher: cipherFor(config.dataKey) };
  await app.register(householdsRoutes(registry));
  await app.register(personsRoutes(registry));
  await app.register(selfCheckRoutes(db, { rateLimit: config.selfCheckRateLimit }));
  await app.register(policiesRoutes(db));
  await app.register(screeningRoutes({ db, jobs: services.jobs, log: app.log }));
  await app.register(whatIfRoutes({ db, log: app.log }));
  await app.register(intakeRoutes({ db, clock: services.clock }));
  await app.register(residenceRoutes({ db, cipher: registry.cipher, clock: services.clock }));
  await registerResidentServices(app, { db, clock: services.clock, config, cipher: registry.cipher });
  await registerDecisionServices(app, { db, clock: services.clock, cipher: registry.cipher });
  await app.register(homeVisitRoutes({ db, clock: services.clock }));
  await app.register(intakeSuggestionRoutes({ db, clock: services.clock }));
  await app.register(alertRoutes({ db, clock: services.clock }));
  await app.register(monitoringRoutes({ db, jobs: services.jobs, log: app.log }));
  await app.register(sourcesRoutes({ db, cipher: registry.cipher, maxBytes: config.sourceMaxBytes }));
  await app.register(verificationRoutes({ db, cipher: registry.cipher }));
  await app.register(delegatedRoutes({ db, cipher: registry.cipher }));
  await app.register(batchRoutes({ db, jobs: services.jobs, log: app.log }));

  await serveWebClient(app, config.webDist);
  return Object.assign(app, { state });
}

/** The built web client, with every non-API path falling back to index.html (client-side routes). */
async function serveWebClient(app: FastifyInstance, webDist: string): Promise<void> {
  const index = path.join(webDist, 'index.html');
  if (!existsSync(index)) return;
  await app.register(fastifyStatic, { root: webDist, wildcard: false, index: false });
  app.get('/*', { schema: { hide: true } }, async (request, reply) => {
    if (request.url.startsWith('/api/')) {
      return reply.status(404).send({
        code: 'NOT_FOUND',
        message: '您访问的接口不存在',
        messageEn: 'no such route',
        requestId: request.id,
      });
    }
    return reply.type('text/html').sendFile('index.html', { cacheControl: false });
  });
}
