/**
 * Refuses a request whose validated input holds a number that is not finite.
 *
 * Why here and not in the schemas: Ajv's type coercion (which the query string needs) turns the strings
 * "Infinity" and "1e400" into Infinity after the type check has passed, and JSON.parse reads 1e400 in
 * a body as Infinity too; `maximum` does not catch it either. No field of ours may hold an infinite or
 * NaN amount, count or coordinate, so one hook after validation covers every route.
 */
import type { FastifyInstance } from 'fastify';
import { errors } from './errors.ts';

/** Depth-first search for the first non-finite number; returns its dotted path, or null. */
export function findNonFinite(
  value: unknown,
  path = '',
  depth = 0,
  seen: WeakSet<object> = new WeakSet(),
): string | null {
  if (typeof value === 'number') return Number.isFinite(value) ? null : path || '(value)';
  // Validated input is never this deep; stop rather than recurse without bound on hostile input.
  if (value === null || typeof value !== 'object' || depth > 64 || seen.has(value)) return null;
  seen.add(value);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const hit = findNonFinite(value[i], `${path}[${i}]`, depth + 1, seen);
      if (hit) return hit;
    }
    return null;
  }
  // Only parsed JSON and query values: plain objects and arrays. An upload's body is a stream whose
  // object graph reaches the socket and the server (walking it pinned the CPU on real HTTP). The query
  // parser makes its objects from a constructor whose prototype has no prototype: data too.
  const proto = Object.getPrototypeOf(value);
  if (proto !== null && proto !== Object.prototype && Object.getPrototypeOf(proto) !== null) return null;
  for (const key of Object.keys(value)) {
    const hit = findNonFinite(
      (value as Record<string, unknown>)[key],
      path ? `${path}.${key}` : key,
      depth + 1,
      seen,
    );
    if (hit) return hit;
  }
  return null;
}

export function installFiniteNumberCheck(app: FastifyInstance): void {
  app.addHook('preHandler', async (request) => {
    for (const part of [request.params, request.query, request.body]) {
      const field = findNonFinite(part);
      if (field) throw errors.validation(field, `${field}须为有限的数值`, `${field} must be a finite number`);
    }
  });
}
