/** Schemas shared by several routes. */
import { Type } from 'typebox';

export const ErrorResponse = Type.Object(
  {
    code: Type.String({ description: 'Stable error code, e.g. VALIDATION_FAILED' }),
    message: Type.String({ description: 'Chinese message for people' }),
    messageEn: Type.String(),
    field: Type.Optional(Type.String({ description: 'The offending field, when there is one' })),
    requestId: Type.String(),
  },
  { $id: 'ErrorResponse' },
);

export const errorResponses = {
  400: Type.Ref('ErrorResponse'),
  401: Type.Ref('ErrorResponse'),
  403: Type.Ref('ErrorResponse'),
  404: Type.Ref('ErrorResponse'),
  409: Type.Ref('ErrorResponse'),
};

export const RegionCode = Type.String({ pattern: '^[0-9]{12}$', description: '12-digit region code' });

export const Ok = Type.Object({ ok: Type.Boolean() });
