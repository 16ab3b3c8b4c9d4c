/**
 * A catalogue YAML file with positions. Every error found while loading (bad YAML, bad field,
 * bad CEL, type error) is reported as file:line:column so an author can fix it in an editor.
 */
import {
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseDocument,
  type Scalar,
  type YAMLMap,
} from 'yaml';
import { RuleLoadError, type SourcePosition } from '../errors.ts';

/** CEL source text taken from a YAML scalar, with a map from CEL offsets to file positions. */
export interface ExpressionSource {
  text: string;
  position(offset: number): SourcePosition;
}

const isSpace = (c: string | undefined) => c === ' ' || c === '\n' || c === '\r' || c === '\t';

export class YamlFile {
  readonly root: Node | null;
  private readonly lines = new LineCounter();

  constructor(
    readonly file: string,
    readonly text: string,
  ) {
    const doc = parseDocument(text, { lineCounter: this.lines, prettyErrors: false, uniqueKeys: true });
    const first = doc.errors[0];
    if (first)
      throw new RuleLoadError(
        'yaml_syntax',
        first.message.split('\n')[0] ?? 'bad YAML',
        this.position(first.pos[0]),
      );
    this.root = doc.contents as Node | null;
  }

  position(offset: number): SourcePosition {
    const { line, col } = this.lines.linePos(offset);
    return { file: this.file, line, column: col };
  }

  positionOf(node: Node | null | undefined): SourcePosition {
    return this.position(node?.range?.[0] ?? 0);
  }

  error(code: string, message: string, node?: Node | null): RuleLoadError {
    return new RuleLoadError(code, message, this.positionOf(node));
  }

  /** The root as a mapping, or an error naming what the file should contain. */
  rootMap(what: string): YAMLMap {
    if (!isMap(this.root)) throw this.error('bad_shape', `${what} must be a YAML mapping`, this.root);
    return this.root;
  }

  /**
   * CEL text of a scalar, mapping CEL offsets back into the file. YAML may strip indentation (block
   * scalars) or fold lines (plain scalars), so we walk value and source together and let any run of
   * whitespace in one match any run in the other.
   */
  expression(node: Node | null | undefined, what: string): ExpressionSource {
    if (!isScalar(node) || typeof node.value !== 'string' || node.value.trim() === '') {
      throw this.error('bad_expression', `${what} must be a CEL expression in a string`, node);
    }
    const scalar = node as Scalar<string>;
    const text = scalar.value;
    return { text, position: (offset) => this.position(this.sourceOffset(scalar, offset)) };
  }

  private sourceOffset(node: Scalar<string>, valueOffset: number): number {
    const value = node.value;
    const [start, end] = node.range ?? [0, 0];
    let p = start;
    if (node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED') p = this.text.indexOf('\n', start) + 1;
    else if (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE') p = start + 1;
    let v = 0;
    while (v < valueOffset && p < end) {
      const vc = value[v];
      const sc = this.text[p];
      if (isSpace(vc) && isSpace(sc)) {
        while (v < value.length && isSpace(value[v])) v++;
        while (p < end && isSpace(this.text[p])) p++;
      } else if (isSpace(sc)) p++;
      else if (isSpace(vc)) v++;
      else {
        v++;
        p++;
      }
    }
    while (p < end && isSpace(this.text[p]) && !isSpace(value[valueOffset])) p++;
    return p;
  }
}

/** A mapping entry's value node by key. */
export function entry(map: YAMLMap, key: string): Node | null | undefined {
  return map.get(key, true) as Node | null | undefined;
}

export function mapEntries(map: YAMLMap): [string, Node | null, Node | null][] {
  return map.items.map((pair) => {
    const key = pair.key as Node | null;
    const keyText = isScalar(key) ? String(key.value) : '';
    return [keyText, key, pair.value as Node | null];
  });
}

export function scalarValue(node: Node | null | undefined): unknown {
  return isScalar(node) ? node.value : undefined;
}

export function optionalString(file: YamlFile, map: YAMLMap, key: string): string | undefined {
  const node = entry(map, key);
  if (node === undefined || node === null) return undefined;
  const value = scalarValue(node);
  if (typeof value !== 'string') throw file.error('bad_field', `${key} must be a string`, node);
  return value;
}

export function requiredString(file: YamlFile, map: YAMLMap, key: string, owner: Node | null): string {
  const value = optionalString(file, map, key);
  if (value === undefined || value === '') throw file.error('missing_field', `${key} is required`, owner);
  return value;
}

export function asMap(file: YamlFile, node: Node | null | undefined, what: string): YAMLMap {
  if (!isMap(node)) throw file.error('bad_shape', `${what} must be a mapping`, node);
  return node;
}

export function asSeq(file: YamlFile, node: Node | null | undefined, what: string): Node[] {
  if (!isSeq(node)) throw file.error('bad_shape', `${what} must be a list`, node);
  return node.items as Node[];
}

/** camelCase names, the glossary's identifiers; no names that JavaScript objects already carry. */
export const IDENTIFIER = /^[a-z][A-Za-z0-9]*$/;
const RESERVED = new Set([
  ...Object.getOwnPropertyNames(Object.prototype),
  'in',
  'as',
  'null',
  'true',
  'false',
]);

export function checkIdentifier(
  file: YamlFile,
  name: string,
  node: Node | null | undefined,
  what: string,
): void {
  if (!IDENTIFIER.test(name) || RESERVED.has(name)) {
    throw file.error(
      'bad_name',
      `${what} "${name}" must be a camelCase identifier (letters and digits)`,
      node,
    );
  }
}
