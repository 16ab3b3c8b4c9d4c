/** The finite-number guard walks parsed input only: never an upload's streams (their graph reaches the server). */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { findNonFinite } from '../src/http/finiteNumbers.ts';

describe('findNonFinite', () => {
  it('names the first non-finite number in nested objects and arrays', () => {
    expect(findNonFinite({ a: 1, b: [2, { c: Number.POSITIVE_INFINITY }] })).toBe('b[1].c');
    expect(findNonFinite(Object.assign(Object.create(null), { n: Number.NaN }))).toBe('n');
    expect(findNonFinite({ a: 1, b: ['x', { c: 3 }] })).toBeNull();
    // The query string parser's objects: made by a constructor whose prototype has no prototype.
    function Empty() {}
    Empty.prototype = Object.create(null);
    const query = Object.assign(new (Empty as unknown as new () => object)(), {
      page: Number.POSITIVE_INFINITY,
    });
    expect(findNonFinite(query)).toBe('page');
  });

  it('does not walk streams, class instances or cycles beyond plain data', () => {
    const stream = new PassThrough();
    const cyclic: Record<string, unknown> = { n: 1 };
    cyclic.self = cyclic;
    expect(findNonFinite({ file: stream, meta: { size: 3 } })).toBeNull();
    expect(findNonFinite(cyclic)).toBeNull();
    // Shared nodes are visited once: a diamond chain 100 deep is 100 visits, not 2^64 paths.
    const shared: Record<string, unknown> = {};
    let node = shared;
    for (let i = 0; i < 100; i++) {
      const next: Record<string, unknown> = {};
      node.a = next;
      node.b = next;
      node = next;
    }
    expect(findNonFinite(shared)).toBeNull();
  });
});
