/**
 * What a policy officer may type into a catalogue file before the YAML parser sees it.
 *
 * The `yaml` library is safe against alias bombs (maxAliasCount) but not against depth: 100,000
 * nested `[` ran the process out of memory inside the parser (measured), so nesting is counted
 * here first, with a plain loop, and refused long before that. Text must also be well-formed
 * Unicode (a JSON body can carry lone surrogates; invalid UTF-8 bytes arrive as U+FFFD) and free
 * of control characters, which no catalogue file needs and which hide changes in a diff.
 */
import { parseDocument } from 'yaml';

export const MAX_FILE_CHARS = 256 * 1024;
export const MAX_NESTING = 64;
const MAX_ALIASES = 100;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Files a draft may replace: parameters (any depth), variables, policies and indicator models
 * (their scenarios go with them), and the monitoring trigger file (triggers/triggers.yaml).
 */
export const EDITABLE_FILE =
  /^(parameters\/[A-Za-z0-9_]+(\/[A-Za-z0-9_]+)?|variables\/[A-Za-z0-9_]+|policies\/[A-Za-z0-9_]+|indicators\/[A-Za-z0-9_]+|triggers\/triggers)\.yaml$/;

export type FileKind = 'parameters' | 'variables' | 'policies' | 'indicators' | 'triggers';

export function fileKind(file: string): FileKind {
  return file.slice(0, file.indexOf('/')) as FileKind;
}

/** policies/dibao.yaml → policies/dibao.scenarios.yaml (indicators/<id>.yaml likewise) */
export function scenarioFileOf(file: string): string | undefined {
  const kind = fileKind(file);
  return kind === 'policies' || kind === 'indicators'
    ? file.replace(/\.yaml$/, '.scenarios.yaml')
    : undefined;
}

export interface TextProblem {
  line: number;
  column: number;
  code: string;
  message: string;
}

function position(text: string, index: number): { line: number; column: number } {
  let line = 1;
  let last = -1;
  for (let i = 0; i < index; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      last = i;
    }
  }
  return { line, column: index - last };
}

/** Deepest nesting of flow collections and block indentation, without parsing. */
function nestingProblem(text: string): TextProblem | undefined {
  let depth = 0;
  let quote: string | null = null;
  let lineStart = true;
  let indent = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n') {
      lineStart = true;
      indent = 0;
      if (quote === "'" || quote === '"') continue; // multi-line quoted scalars are allowed
      continue;
    }
    if (lineStart) {
      // Block nesting shows as indentation and as "- - -" / "? " prefixes on one line.
      if (c === ' ' || c === '-' || c === '?' || c === '\t') {
        indent++;
        if (indent > MAX_NESTING * 2)
          return {
            ...position(text, i),
            code: 'too_deep',
            message: `缩进层级过深（超过 ${MAX_NESTING} 层）`,
          };
        continue;
      }
      lineStart = false;
    }
    if (quote) {
      if (c === quote) quote = null;
      else if (c === '\\' && quote === '"') i++;
      continue;
    }
    if (c === '#') {
      const end = text.indexOf('\n', i);
      i = end === -1 ? text.length : end - 1;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '[' || c === '{') {
      depth++;
      if (depth > MAX_NESTING)
        return { ...position(text, i), code: 'too_deep', message: `括号嵌套过深（超过 ${MAX_NESTING} 层）` };
    } else if (c === ']' || c === '}') depth = Math.max(0, depth - 1);
  }
  return undefined;
}

/**
 * Problems that stop a text before it reaches the engine: size, encoding, control characters,
 * nesting, YAML syntax and alias expansion. An empty list means the engine may compile it.
 */
export function textProblems(text: string): TextProblem[] {
  if (text.length > MAX_FILE_CHARS)
    return [{ line: 1, column: 1, code: 'too_large', message: `文件过大（超过 ${MAX_FILE_CHARS} 个字符）` }];
  if (LONE_SURROGATE.test(text))
    return [{ line: 1, column: 1, code: 'bad_encoding', message: '文本含有无效的 Unicode 字符' }];
  const replacement = text.indexOf('\uFFFD');
  if (replacement >= 0)
    return [
      {
        ...position(text, replacement),
        code: 'bad_encoding',
        message: '文本含有无法识别的字符（不是有效的 UTF-8）',
      },
    ];
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
  const control = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u202A-\u202E\u2066-\u2069]/.exec(text);
  if (control)
    return [{ ...position(text, control.index), code: 'control_character', message: '文本含有控制字符' }];
  const deep = nestingProblem(text);
  if (deep) return [deep];
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const error = doc.errors[0];
    return [
      {
        ...position(text, error?.pos[0] ?? 0),
        code: 'yaml_syntax',
        message: `YAML 格式错误：${error?.message ?? ''}`,
      },
    ];
  }
  try {
    doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (error) {
    return [
      { line: 1, column: 1, code: 'yaml_alias', message: `YAML 别名展开过多：${(error as Error).message}` },
    ];
  }
  return [];
}

/** The parsed document (only after textProblems() found nothing). */
export function parseYaml(text: string): unknown {
  return parseDocument(text, { uniqueKeys: true }).toJS({ maxAliasCount: MAX_ALIASES });
}
