import { IConstruct } from 'constructs';
import { invalidProp } from './errors';

interface SyntaxNode { readonly type: { readonly isError: boolean }; readonly from: number }
interface PromqlParser { parse(input: string): { iterate(spec: { enter: (node: SyntaxNode) => boolean }): void } }

let loaded: PromqlParser | undefined;

// Loaded on first use (the Kubernetes side loads fast when no query is checked). The package ships CommonJS
// next to its ES module; its typings describe the latter only.
function promqlParser(): PromqlParser {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loaded ??= (require('@prometheus-io/lezer-promql') as { parser: PromqlParser }).parser;
  return loaded;
}

/**
 * Why `expr` is not a PromQL expression Prometheus accepts (the grammar of the Prometheus UI, lezer-promql),
 * or undefined when it parses.
 */
export function promqlProblem(expr: string): string | undefined {
  if (typeof expr !== 'string' || expr.trim() === '') return 'must not be empty';
  // Whether an expression parses does not depend on what its plain string literals hold nor on its numbers: the
  // rules a platform renders per team and pipeline differ only there, so each shape is parsed once.
  const shape = expr.replace(/"[A-Za-z0-9_.:/ -]*"/g, '""').replace(/(?<![A-Za-z0-9_:.])[0-9]+(\.[0-9]+)?(?![A-Za-z0-9_:.])/g, '0');
  if (VALID_SHAPES.has(shape)) return undefined;
  const problem = parseProblem(expr);
  if (problem === undefined) VALID_SHAPES.add(shape);
  return problem;
}

const VALID_SHAPES = new Set<string>();

function parseProblem(expr: string): string | undefined {
  const tree = promqlParser().parse(expr);
  let at: number | undefined;
  tree.iterate({
    enter: node => {
      if (at === undefined && node.type.isError) at = node.from;
      return at === undefined;
    },
  });
  if (at === undefined) return undefined;
  const near = expr.slice(Math.max(0, at - 10), at + 10);
  return `is not valid PromQL: unexpected input at offset ${at} (near ${JSON.stringify(near)})`;
}

/** Throws unless `expr` parses as PromQL. */
export function checkPromql(where: IConstruct | string, prop: string, expr: string): string {
  const problem = promqlProblem(expr);
  if (problem) throw invalidProp(where, prop, expr, problem);
  return expr;
}

interface PromqlNode { readonly name: string; readonly from: number; readonly to: number }

// Every node of the expression's syntax tree, in document order.
function promqlNodes(expr: string): PromqlNode[] {
  const nodes: PromqlNode[] = [];
  promqlParser().parse(expr).iterate({
    enter: (node: any) => {
      nodes.push({ name: node.type.name, from: node.from, to: node.to });
      return true;
    },
  });
  return nodes;
}

/**
 * Whether the expression returns a range vector (a matrix selector or a subquery, through parentheses): an
 * alerting rule needs an instant vector; Prometheus loads the rule and fails every evaluation of it ("rule
 * result is not a vector or scalar", prometheus rules/alerting.go), so it never fires.
 */
export function promqlReturnsRangeVector(expr: string): boolean {
  const nodes = promqlNodes(expr).filter(n => n.name !== 'PromQL');
  const top = nodes.find(n => n.name !== 'ParenExpr');
  return top !== undefined && (top.name === 'MatrixSelector' || top.name === 'SubqueryExpr');
}

/** A `label="value"` matcher of a selector in an expression. */
export interface PromqlEqualityMatcher {
  /** The selector's metric name, if it names one. */
  readonly metric?: string;
  /** The label. */
  readonly label: string;
  /** The value it must equal. */
  readonly value: string;
}

/** The equality matchers (`=`) of every selector in the expression, with the metric each selects. */
export function promqlEqualityMatchers(expr: string): PromqlEqualityMatcher[] {
  const nodes = promqlNodes(expr);
  const text = (n: PromqlNode) => expr.slice(n.from, n.to);
  const found: PromqlEqualityMatcher[] = [];
  for (const selector of nodes.filter(n => n.name === 'VectorSelector')) {
    const inside = nodes.filter(n => n.from >= selector.from && n.to <= selector.to);
    const identifier = inside.find(n => n.name === 'Identifier' && n.from === selector.from);
    for (const matcher of inside.filter(n => n.name === 'UnquotedLabelMatcher')) {
      const parts = inside.filter(n => n.from >= matcher.from && n.to <= matcher.to);
      const label = parts.find(n => n.name === 'LabelName');
      const literal = parts.find(n => n.name === 'StringLiteral');
      if (!label || !literal || !parts.some(n => n.name === 'EqlSingle')) continue;
      found.push({ ...(identifier ? { metric: text(identifier) } : {}), label: text(label), value: JSON.parse(text(literal).replace(/^'|'$/g, '"')) });
    }
  }
  return found;
}
