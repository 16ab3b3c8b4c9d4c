/**
 * A YAML data file checked against a TypeBox schema, with every error located as file:line:column
 * (the node the error is about), so a template author can fix it in an editor.
 */
import type { Static, TSchema } from 'typebox';
import { Value } from 'typebox/value';
import { type Document, isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';

export class ProcessLoadError extends Error {
  override name = 'ProcessLoadError';
}

export interface CheckedYaml<T> {
  value: T;
  /** An error located at the node under `at` (a path of keys and indexes). */
  error(at: (string | number)[], message: string): ProcessLoadError;
}

function locator(file: string, doc: Document, lines: LineCounter) {
  return (at: (string | number)[], message: string) => {
    // Walk down the path as far as it exists (a missing key is reported at its parent); keys are
    // compared as text, since YAML reads `2026:` as a number and the schema path as a string.
    let node: unknown = doc.contents;
    for (const segment of at) {
      let child: unknown;
      if (isMap(node))
        child = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment))?.value;
      else if (isSeq(node)) child = node.items[Number(segment)];
      if (!child || typeof child !== 'object') break;
      node = child;
    }
    const offset = (node as { range?: [number] } | undefined)?.range?.[0] ?? 0;
    const { line, col } = lines.linePos(offset);
    return new ProcessLoadError(`${file}:${line}:${col}: ${message}`);
  };
}

export function loadCheckedYaml<S extends TSchema>(
  file: string,
  text: string,
  schema: S,
): CheckedYaml<Static<S>> {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const error = locator(file, doc, lines);
  const first = doc.errors[0];
  if (first) {
    const { line, col } = lines.linePos(first.pos[0]);
    throw new ProcessLoadError(`${file}:${line}:${col}: ${first.message.split('\n')[0]}`);
  }
  const value = doc.toJS({ maxAliasCount: 50 }) as unknown;
  const problems = [...Value.Errors(schema, value)].filter((e) => e.keyword !== 'boolean');
  const worst = problems.find((e) => e.keyword !== 'anyOf') ?? problems[0];
  if (worst) {
    const at = worst.instancePath
      .split('/')
      .slice(1)
      .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
      .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
    const extra = (worst.params as { additionalProperties?: string[] }).additionalProperties;
    const detail = extra?.length ? `unknown field ${extra.join(', ')}` : worst.message;
    throw error(extra?.length ? [...at, extra[0] as string] : at, `${worst.instancePath || '/'} ${detail}`);
  }
  return { value: value as Static<S>, error };
}
