import { createCelEnvironment } from '../../packages/rules/src/cel/environment.ts';
import { inlineSource, prepareExpression } from '../../packages/rules/src/cel/expression.ts';
const env = createCelEnvironment({ variables: { x: 'int', d: 'double', xs: 'list<int>', s: 'string', m: 'map<string, int>' } });
const root = { x: 3n, d: 2.5, xs: [1n, 2n, 3n], s: 'hello', m: { a: 1n } };
for (const src of ['x + 1', 'xs.map(i, i * x)', 'xs.exists(i, i / (i - 2) > 0)', 'xs.all(i, 10 / (i - 2) > 0 || i == 2)', 'min(x, 2)', 'sum(xs)', 'd / 0.0', 'has(m.a)', 'm.b', '"a" in m', 'size(s) + s.size()', 's.startsWith("he")', '[1, 2] + xs', '{"a": x}.a', 'int(d) + x', 'x > d', 'moneyTimes(100005, 0.5)', 'divideRound(5, 2)', 'ageOn("2000-02-29", "2025-02-28")', '1 +', 'x + d', 's.matches("a")', '\n  x +\n  "a"']) {
  try {
    const p = prepareExpression(env, inlineSource(src), undefined);
    try { console.log(src, '=>', p.type, p.run({ root, locals: [], budget: 1000 })); } catch (e) { console.log(src, 'RUNTIME', (e as Error).name, (e as {code?: string}).code, (e as Error).message); }
  } catch (e) { console.log(JSON.stringify(src), 'LOAD', (e as Error).message); }
}
