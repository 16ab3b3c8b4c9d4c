import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errorResponses } from '../../http/schemas.ts';
import { actorOf } from '../../http/session.ts';
import { ParametersQuery, StartWhatIfBody, WhatIfParameters, WhatIfRun } from './whatIf.schemas.ts';
import { getWhatIf, listParameters, startWhatIf, type WhatIfDeps } from './whatIf.service.ts';
import { WhatIfStore } from './whatIf.store.ts';

export const whatIfRoutes =
  (deps: Omit<WhatIfDeps, 'store'>): FastifyPluginAsyncTypebox =>
  async (app) => {
    const full: WhatIfDeps = { ...deps, store: new WhatIfStore() };
    app.addHook('onClose', async () => full.store.cancelAll());

    app.get(
      '/api/what-if/parameters',
      {
        schema: {
          tags: ['whatIf'],
          summary: '可调整的参数：名称、单位、所选地区在该日期执行的值、用到它的政策',
          querystring: ParametersQuery,
          response: { 200: WhatIfParameters, ...errorResponses },
        },
      },
      async (request) => listParameters(full, actorOf(request), request.query, request.id),
    );

    app.post(
      '/api/what-if/runs',
      {
        schema: {
          tags: ['whatIf'],
          summary:
            '发起政策测算：调整参数后对辖区现有家庭重新测算（不改动任何业务数据，结果只保存在内存一小时）',
          description:
            '每项调整作用于测算日期当天执行的值，且作用于所有可能决定本地区家庭的层级：全国值、本地区以上各级（省、市、县）和本地区以内（乡镇）的地区值。' +
            '按百分比调整时各层级各自按同一比例调整（整数参数四舍五入到整数，如金额到分）；设为新值时本地区所有家庭都用这个值。' +
            '只测算用到所调整参数的政策；“符合”按规则判断，不论家庭是否已在享受；缺少信息无法判断的户数单独列出。',
          body: StartWhatIfBody,
          response: { 200: WhatIfRun, ...errorResponses },
        },
      },
      async (request) => startWhatIf(full, actorOf(request), request.body, request.id),
    );

    app.get(
      '/api/what-if/runs/:id',
      {
        schema: {
          tags: ['whatIf'],
          summary: '一次政策测算的进度与结果（按政策、按乡镇：新增符合、不再符合、资金变化）',
          params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
          response: { 200: WhatIfRun, ...errorResponses },
        },
      },
      async (request) => getWhatIf(full, actorOf(request), request.params.id),
    );
  };
