import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Config } from '../../config.ts';
import { AppError } from '../../http/errors.ts';
import { errorResponses } from '../../http/schemas.ts';
import { actorOf, SESSION_COOKIE, sessionCookieOptions } from '../../http/session.ts';
import type { IntakeDeps } from '../intake/applications.service.ts';
import type { PersonalDataCipher } from '../registry/personalData.crypto.ts';
import { getAccount } from '../users/users.service.ts';
import { DevelopmentOtpSender, OtpHasher, type OtpSender } from './otp.ts';
import { myPortal } from './portal.service.ts';
import { requestCode, verifyCode } from './residentLogin.service.ts';

export interface ResidentRouteDeps extends IntakeDeps {
  config: Config;
  cipher: PersonalDataCipher;
  /** The SMS gateway; without one, development logs codes and production refuses to send. */
  sender?: OtpSender | undefined;
}

const limited = { 429: Type.Ref('ErrorResponse'), 503: Type.Ref('ErrorResponse') };

const noGateway: OtpSender = {
  channel: 'none',
  async send() {
    throw new AppError(
      503,
      'SMS_NOT_CONFIGURED',
      '短信服务尚未开通，请到村（社区）或乡镇窗口办理',
      'no SMS gateway',
    );
  },
};

const Step = Type.Object({
  id: Type.String(),
  name: Type.String(),
  nameEn: Type.String(),
  state: Type.Union([Type.Literal('done'), Type.Literal('current'), Type.Literal('todo')]),
});
const Doc = Type.Object({ name: Type.String(), nameEn: Type.String() });
const Nullable = <T extends import('typebox').TSchema>(t: T) => Type.Union([t, Type.Null()]);
export const ResidentPortal = Type.Object(
  {
    linked: Type.Boolean(),
    household: Nullable(
      Type.Object({
        id: Type.String(),
        householdNumber: Type.String(),
        address: Type.String(),
        regionName: Type.String(),
        members: Type.Array(
          Type.Object({
            name: Type.String(),
            relationship: Type.String(),
            idNumberMasked: Type.String(),
            me: Type.Boolean(),
          }),
        ),
      }),
    ),
    applications: Type.Array(
      Type.Object({
        id: Type.String(),
        channel: Type.String(),
        receivedOn: Type.String(),
        cases: Type.Array(
          Type.Object({
            id: Type.String(),
            policyId: Type.String(),
            policyName: Type.String(),
            policyNameEn: Type.String(),
            status: Type.String(),
            receivedOn: Type.String(),
            caseDueOn: Type.String(),
            outcomeReason: Nullable(Type.String()),
            currentStep: Nullable(
              Type.Object({
                name: Type.String(),
                nameEn: Type.String(),
                office: Type.String(),
                officeName: Type.String(),
                dueOn: Nullable(Type.String()),
                dueStatus: Nullable(Type.String()),
                missingDocuments: Type.Array(Doc),
              }),
            ),
            steps: Type.Array(Step),
          }),
        ),
      }),
    ),
    notices: Type.Array(
      Type.Object({
        id: Type.String(),
        headName: Type.String(),
        idNumberMasked: Type.String(),
        householdSize: Type.Integer(),
        proposedAmountFen: Type.Integer(),
        policyId: Type.String(),
        startsOn: Type.String(),
        endsOn: Type.String(),
        status: Type.String(),
        mine: Type.Boolean(),
      }),
    ),
    enrolments: Type.Array(
      Type.Object({
        category: Type.String(),
        monthlyAmountFen: Nullable(Type.Integer()),
        startsOn: Type.String(),
        nextReviewOn: Type.String(),
        status: Type.String(),
      }),
    ),
  },
  { $id: 'ResidentPortal' },
);

export const residentRoutes =
  (deps: ResidentRouteDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    const sender =
      deps.sender ??
      (deps.config.environment === 'production'
        ? noGateway
        : // Browser tests read codes from this file; never consulted in production.
          new DevelopmentOtpSender(app.log, process.env.DOUDI_DEV_SMS_FILE || undefined));
    const login = { ...deps, hasher: new OtpHasher(deps.config.dataKey), sender };

    app.post(
      '/api/resident/sign-in/code',
      {
        config: { rateLimit: { max: deps.config.loginRateLimit, timeWindow: '1 minute' } },
        schema: {
          tags: ['resident'],
          summary: '居民手机号登录：发送验证码（任何号码的回答都相同，不透露是否登记）',
          body: Type.Object(
            { phone: Type.String({ minLength: 1, maxLength: 20 }) },
            { additionalProperties: false },
          ),
          response: {
            200: Type.Object({
              sent: Type.Boolean(),
              expiresInSeconds: Type.Integer(),
              resendAfterSeconds: Type.Integer(),
            }),
            ...errorResponses,
            ...limited,
          },
        },
      },
      async (request) =>
        requestCode(login, { phone: request.body.phone, clientIp: request.ip, requestId: request.id }),
    );

    app.post(
      '/api/resident/sign-in',
      {
        config: { rateLimit: { max: deps.config.loginRateLimit, timeWindow: '1 minute' } },
        schema: {
          tags: ['resident'],
          summary: '居民手机号登录：核对验证码；首次登录另须身份证号码，与登记的手机号一致才关联',
          body: Type.Object(
            {
              phone: Type.String({ minLength: 1, maxLength: 20 }),
              code: Type.String({ minLength: 1, maxLength: 10 }),
              idNumber: Type.Optional(Type.String({ maxLength: 30 })),
            },
            { additionalProperties: false },
          ),
          response: {
            200: Type.Object({
              status: Type.Union([Type.Literal('signedIn'), Type.Literal('needsIdNumber')]),
              account: Type.Optional(Type.Ref('Account')),
            }),
            ...errorResponses,
            ...limited,
          },
        },
      },
      async (request, reply) => {
        const result = await verifyCode(login, {
          ...request.body,
          clientIp: request.ip,
          userAgent: request.headers['user-agent'] ?? '',
          requestId: request.id,
        });
        if (result.status === 'needsIdNumber') return { status: result.status };
        reply.setCookie(SESSION_COOKIE, result.token, sessionCookieOptions(deps.config));
        return { status: result.status, account: await getAccount(deps.db, result.actor, request.id) };
      },
    );

    app.get(
      '/api/resident/portal',
      {
        schema: {
          tags: ['resident'],
          summary: '居民：我的家庭、我的申请及办理进度、本村（社区）公示、在册情况',
          response: { 200: Type.Ref('ResidentPortal'), ...errorResponses },
        },
      },
      async (request) => myPortal(deps, actorOf(request), request.id),
    );
  };
