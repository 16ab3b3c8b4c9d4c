import { describe, expect, it } from 'vitest';
import { buildSerializerFactory, referencedSchemas } from '../src/http/serializers.ts';

const Region = { $id: 'Region', type: 'object', properties: { code: { type: 'string' } } };
const Account = {
  $id: 'Account',
  type: 'object',
  properties: { name: { type: 'string' }, region: { $ref: 'Region' } },
};
const Unused = { $id: 'Unused', type: 'object', properties: { x: { type: 'integer' } } };
const shared = { Region, Account, Unused };

describe('response serializers with only the shared schemas they reach', () => {
  it('finds shared schemas through $ref, transitively, and nothing else', () => {
    const response = { type: 'array', items: { $ref: 'Account#' } };
    expect(Object.keys(referencedSchemas(response, shared)).sort()).toEqual(['Account', 'Region']);
    expect(referencedSchemas({ type: 'string' }, shared)).toEqual({});
    // A cycle through shared schemas ends.
    const A = { $id: 'A', type: 'object', properties: { b: { $ref: 'B' } } };
    const B = { $id: 'B', type: 'object', properties: { a: { $ref: 'A' } } };
    expect(Object.keys(referencedSchemas({ $ref: 'A' }, { A, B })).sort()).toEqual(['A', 'B']);
  });

  it('serialises through references as fast-json-stringify does, and builds one schema object once', () => {
    const compile = buildSerializerFactory(shared, {});
    const schema = { type: 'object', properties: { account: { $ref: 'Account' } } };
    const serialize = compile({ schema });
    const text = serialize({
      account: { name: '黄德福', region: { code: '420921', secret: 'x' }, extra: 1 },
    });
    expect(JSON.parse(text)).toEqual({ account: { name: '黄德福', region: { code: '420921' } } });
    expect(compile({ schema })).toBe(serialize);
  });
});
