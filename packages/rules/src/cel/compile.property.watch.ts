/**
 * Test support for `compile.property.test.ts`: the oracle's watched copy of an expression. Every
 * int-valued operation of the checked AST is wrapped in `safe(...)` and every double-valued one in
 * `finite(...)`, and the copy is printed back to CEL text.
 */
import type { ASTNode } from '@marcbachmann/cel-js';

const NUMERIC_OPERATIONS = new Set(['+', '-', '*', '/', '%', '-_', 'call', 'rcall', '?:']);

/** A copy of the checked AST with int-valued operations in `safe(...)`, doubles in `finite(...)`. */
export function watchInts(node: ASTNode): ASTNode {
  const type = (node as ASTNode & { checkedType?: { name: string } }).checkedType?.name;
  const copy = { ...node, args: copyArgs(node) } as ASTNode;
  const isHas = node.op === 'call' && node.args[0] === 'has';
  if ((type !== 'int' && type !== 'double') || !NUMERIC_OPERATIONS.has(node.op) || isHas) return copy;
  return { op: 'call', args: [type === 'int' ? 'safe' : 'finite', [copy]] } as unknown as ASTNode;
}

/**
 * CEL text for an AST, every operation in parentheses (cel-js's own `serialize` drops needed
 * parentheses, e.g. `a - (b + c)` → `a - b + c`).
 */
export function print(node: ASTNode): string {
  const args = node.args as unknown;
  switch (node.op) {
    case 'value': {
      const v = args;
      if (typeof v === 'number') {
        if (Object.is(v, -0)) return '(-0.0)';
        const text = Number.isInteger(v) && Math.abs(v) < 1e21 ? `${v}.0` : String(v);
        return `(${text})`;
      }
      return typeof v === 'string' ? JSON.stringify(v) : `(${String(v)})`;
    }
    case 'id':
      return args as string;
    case '.':
      return `${print((args as [ASTNode, string])[0])}.${(args as [ASTNode, string])[1]}`;
    case '[]':
      return `${print((args as ASTNode[])[0] as ASTNode)}[${print((args as ASTNode[])[1] as ASTNode)}]`;
    case '!_':
      return `(!${print(args as ASTNode)})`;
    case '-_':
      return `(-${print(args as ASTNode)})`;
    case 'call':
      return `${(args as [string, ASTNode[]])[0]}(${(args as [string, ASTNode[]])[1].map(print).join(', ')})`;
    case 'rcall': {
      const [name, receiver, rest] = args as [string, ASTNode, ASTNode[]];
      return `${print(receiver)}.${name}(${rest.map(print).join(', ')})`;
    }
    case 'list':
      return `[${(args as ASTNode[]).map(print).join(', ')}]`;
    case 'map':
      return `{${(args as [ASTNode, ASTNode][]).map(([k, v]) => `${print(k)}: ${print(v)}`).join(', ')}}`;
    case '?:': {
      const [c, a, b] = args as ASTNode[];
      return `(${print(c as ASTNode)} ? ${print(a as ASTNode)} : ${print(b as ASTNode)})`;
    }
    default: {
      const [a, b] = args as ASTNode[];
      return `(${print(a as ASTNode)} ${node.op} ${print(b as ASTNode)})`;
    }
  }
}

function copyArgs(node: ASTNode): unknown {
  const args = node.args as unknown;
  switch (node.op) {
    case 'value':
    case 'id':
      return args;
    case '.':
      return [watchInts((args as [ASTNode, string])[0]), (args as [ASTNode, string])[1]];
    case '!_':
    case '-_':
      return watchInts(args as ASTNode);
    case 'call':
      return [(args as [string, ASTNode[]])[0], (args as [string, ASTNode[]])[1].map(watchInts)];
    case 'rcall': {
      const [name, receiver, rest] = args as [string, ASTNode, ASTNode[]];
      // The first argument of a macro is the iteration variable's name: left as it is.
      return [name, watchInts(receiver), rest.map((a, i) => (i === 0 && a.op === 'id' ? a : watchInts(a)))];
    }
    case 'map':
      return (args as [ASTNode, ASTNode][]).map(([k, v]) => [watchInts(k), watchInts(v)]);
    default:
      return (args as ASTNode[]).map(watchInts);
  }
}
