/**
 * Department push: a department's system posts records with its own API key (no session, no
 * cookie). The records go through the same pipeline as a file — written as JSON Lines to a
 * temporary file, checksummed, claimed, validated, counted — and an idempotency key makes a
 * retried request return the first result instead of importing twice.
 */
import { Readable } from 'node:stream';
import { asSystem } from '../../db/scope.ts';
import { AppError } from '../../http/errors.ts';
import type { Actor, Department } from '../access/permissions.ts';
import { spoolUpload } from './files.ts';
import { type SourcesDeps, startImport } from './import.service.ts';
import { hashApiKey } from './sources.service.ts';

export const PUSH_MAX_RECORDS = 10_000;

const badKey = () => new AppError(401, 'BAD_API_KEY', 'API 密钥无效或已停用', 'invalid or revoked API key');

export async function actorForKey(
  deps: SourcesDeps,
  authorization: string | undefined,
): Promise<{ actor: Actor; keyId: string }> {
  const match = /^Bearer (dk_[A-Za-z0-9_-]{20,60})$/.exec(authorization ?? '');
  if (!match) throw badKey();
  const found = await asSystem(deps.db, (tx) =>
    tx.query<{ id: string; department: string; region_code: string; prefix: string }>(
      `UPDATE source_api_key SET last_used_at = now() WHERE key_hash = $1 AND revoked_at IS NULL
       RETURNING id, department, region_code, prefix`,
      [hashApiKey(match[1] as string)],
    ),
  );
  const key = found.rows[0];
  if (!key) throw badKey();
  return {
    keyId: key.id,
    actor: {
      userId: `apikey:${key.id}`,
      username: key.prefix,
      displayName: `${key.department} API`,
      role: 'departmentOfficer',
      department: key.department as Department,
      regionCode: key.region_code,
    },
  };
}

export async function pushRecords(
  deps: SourcesDeps,
  authorization: string | undefined,
  source: string,
  body: { asOf: string; records: Record<string, unknown>[] },
  idempotencyKey: string | undefined,
  requestId?: string,
) {
  const { actor, keyId } = await actorForKey(deps, authorization);
  if (idempotencyKey !== undefined && !/^[A-Za-z0-9._:-]{1,100}$/.test(idempotencyKey))
    throw new AppError(
      400,
      'VALIDATION_FAILED',
      '幂等键应为1到100个字母、数字或 ._:-',
      'bad idempotency key',
      'idempotency-key',
    );
  const lines = Readable.from(
    (function* () {
      for (const record of body.records) yield `${JSON.stringify(record)}\n`;
    })(),
  );
  const file = await spoolUpload(lines, 64 * 1024 * 1024);
  const handle = await startImport(
    deps,
    actor,
    {
      source,
      file,
      fileName: `push-${idempotencyKey ?? requestId ?? 'request'}.jsonl`,
      asOf: body.asOf,
      via: 'push',
      apiKeyId: keyId,
      idempotencyKey: idempotencyKey ?? null,
    },
    requestId,
  );
  if (handle.claimed.repeated) return handle.claimed;
  return handle.finished;
}
