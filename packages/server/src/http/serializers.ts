/**
 * Response serializers built with only the shared schemas a response refers to.
 *
 * Fastify's default hands every response schema of every route *all* shared schemas (app.addSchema),
 * and fast-json-stringify validates and depth-checks each of them on every build: with about a
 * hundred shared schemas and several hundred response schemas, building the app spent most of its
 * ~6 s of CPU there, paid again by every test file and every `doudi serve` start. Here each build
 * gets the schemas it reaches through `$ref` (transitively), and one response schema object used by
 * many routes (the error responses) is built once per context.
 */
import fastJsonStringify, { type Schema as FjsSchema } from 'fast-json-stringify';

type Schema = Record<string, unknown>;
type Serializer = (data: unknown) => string;

/** The ids of shared schemas that `schema` refers to, directly or through other shared schemas. */
export function referencedSchemas(schema: unknown, shared: Record<string, Schema>): Record<string, Schema> {
  const found: Record<string, Schema> = {};
  const seen = new Set<unknown>();
  const walk = (node: unknown): void => {
    if (node === null || typeof node !== 'object' || seen.has(node)) return;
    seen.add(node);
    if (Array.isArray(node)) {
      for (const item of node) walk(item);
      return;
    }
    const ref = (node as Schema).$ref;
    if (typeof ref === 'string') {
      const id = ref.split('#')[0] as string;
      const target = id ? shared[id] : undefined;
      if (target && !(id in found)) {
        found[id] = target;
        walk(target);
      }
    }
    for (const value of Object.values(node)) walk(value);
  };
  walk(schema);
  return found;
}

/** For Fastify's `schemaController.compilersFactory.buildSerializer`. */
export function buildSerializerFactory(externalSchemas?: unknown, serializerOpts?: unknown) {
  const shared = (externalSchemas ?? {}) as Record<string, Schema>;
  const options = (serializerOpts ?? {}) as object;
  const built = new WeakMap<object, Serializer>();
  return ({ schema: routeSchema }: { schema?: unknown }): Serializer => {
    const schema = (routeSchema ?? {}) as Schema;
    let serializer = built.get(schema);
    if (!serializer) {
      const needed = referencedSchemas(schema, shared);
      // As Fastify's own compiler does: a schema is not its own external schema.
      if (typeof schema.$id === 'string') delete needed[schema.$id];
      serializer = fastJsonStringify(schema as unknown as FjsSchema, {
        ...options,
        schema: needed as unknown as Record<string, FjsSchema>,
      }) as Serializer;
      built.set(schema, serializer);
    }
    return serializer;
  };
}
