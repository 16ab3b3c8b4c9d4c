/** POST /api/intake/suggestions: the rules engine's suggestions for a household at intake, with trace. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses } from '../../http/schemas.ts';
import { actorOf } from '../../http/session.ts';
import type { IntakeDeps } from './applications.service.ts';
import { SuggestionsBody, SuggestionsResult } from './suggestions.schemas.ts';
import { suggestItems } from './suggestions.service.ts';

export const intakeSuggestionRoutes =
  (deps: IntakeDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.post(
      '/api/intake/suggestions',
      {
        bodyLimit: 16 * 1024,
        schema: {
          tags: ['intake'],
          summary:
            '受理提示：按该户登记信息和本次申报（可选）测算在用政策目录，列出可能符合的事项、测算过程、主管部门和需带材料；不保存任何内容',
          body: SuggestionsBody,
          response: { 200: SuggestionsResult, ...errorResponses },
        },
      },
      async (request) => suggestItems(deps, actorOf(request), request.body, request.id),
    );
  };
