/**
 * Bounds on catalogue expressions. A catalogue may come from a county administrator's upload, so
 * a hostile or careless expression must be refused at load time (size, depth, literals) and stopped
 * at run time (macro iterations), never allowed to hang a batch of 100,000 households.
 */
import type { ASTNode } from '@marcbachmann/cel-js';
import { CompileError } from './compile.ts';

export interface ExpressionLimits {
  /** Characters of CEL source. */
  maxSourceLength: number;
  /** AST nodes (cel-js counts while parsing). */
  maxAstNodes: number;
  /** Nesting depth of the AST, binary operator chains included. */
  maxDepth: number;
  /** Elements of one list literal. */
  maxListElements: number;
  /** Entries of one map literal. */
  maxMapEntries: number;
  /** Characters of one string literal. */
  maxStringLiteralLength: number;
  /** Macro iterations (exists, all, map...) one evaluation of one expression may run. */
  iterationBudget: number;
}

export const DEFAULT_LIMITS: ExpressionLimits = {
  maxSourceLength: 4000,
  maxAstNodes: 500,
  maxDepth: 32,
  maxListElements: 200,
  maxMapEntries: 100,
  maxStringLiteralLength: 500,
  iterationBudget: 100_000,
};

function children(node: ASTNode): ASTNode[] {
  switch (node.op) {
    case 'value':
    case 'id':
      return [];
    case '.':
    case '.?':
      return [node.args[0]];
    case 'call':
      return node.args[1];
    case 'rcall':
      return [node.args[1], ...node.args[2]];
    case 'list':
      return node.args;
    case 'map':
      return node.args.flat();
    case '!_':
    case '-_':
      return [node.args];
    default:
      return node.args as ASTNode[];
  }
}

/** Walks the AST once, iteratively (so a deep AST cannot overflow our own stack), checking bounds. */
export function checkAstBounds(ast: ASTNode, limits: ExpressionLimits): void {
  const stack: [ASTNode, number][] = [[ast, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [ASTNode, number];
    if (depth > limits.maxDepth) {
      throw new CompileError(
        'limit_exceeded',
        `expression nests deeper than ${limits.maxDepth} levels`,
        node.start,
      );
    }
    if (
      node.op === 'value' &&
      typeof node.args === 'string' &&
      node.args.length > limits.maxStringLiteralLength
    ) {
      throw new CompileError(
        'limit_exceeded',
        `string literal longer than ${limits.maxStringLiteralLength} characters`,
        node.start,
      );
    }
    for (const child of children(node)) stack.push([child, depth + 1]);
  }
}

/** Every AST node, for reference analysis. */
export function walkAst(ast: ASTNode, visit: (node: ASTNode) => void): void {
  const stack = [ast];
  while (stack.length > 0) {
    const node = stack.pop() as ASTNode;
    visit(node);
    stack.push(...children(node));
  }
}
