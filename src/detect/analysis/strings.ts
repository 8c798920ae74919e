// Static evaluation of the strings that matter at a boundary (paths, SQL, cache keys, URLs,
// exchange names): literals, template literals, concatenation and constants are followed across
// files; what is only known at run time becomes a named hole, e.g. `order:${id}` → 'order:{id}',
// and a hole read from the environment remembers the variable.
import type * as TS from 'typescript';
import { ts } from '../../typescript.js';
import { requiredModule } from './imports.js';
import type { ProjectIndex } from './project-index.js';
import { findDeclaration } from './scope.js';
import { type CallSite, unwrap, type ValueResolver } from './values.js';

export type StringPart =
  | { kind: 'text'; text: string }
  | { kind: 'hole'; name: string; env?: string; default?: string };

export interface StaticString {
  parts: StringPart[];
}

/** One value a string can take, and the call that passed it when it came from a parameter. */
export interface StringVariant {
  value: StaticString;
  site?: CallSite;
  /** The parameter the caller at `site` filled in. */
  parameter?: TS.ParameterDeclaration;
}

const MAX_DEPTH = 16;

export class StringEvaluator {
  private depth = 0;
  /** Parameters bound to one caller's argument while variants are evaluated. */
  private readonly bound = new Map<TS.ParameterDeclaration, TS.Expression>();

  constructor(
    private readonly index: ProjectIndex,
    private readonly values: ValueResolver,
  ) {}

  /** Undefined when nothing of the expression is known, not even its shape. */
  evaluate(expression: TS.Expression): StaticString | undefined {
    if (this.depth > MAX_DEPTH) return undefined;
    this.depth++;
    try {
      return this.compute(unwrap(expression));
    } finally {
      this.depth--;
    }
  }

  /**
   * Every value the expression takes when part of it is a parameter of a function called from
   * several places (`send('/reservations')`, `send(\`/reservations/${id}\`)`): one per caller,
   * with that call. Otherwise the single value.
   */
  variants(expression: TS.Expression): StringVariant[] {
    const parameter = this.forkingParameter(expression);
    if (!parameter) {
      const value = this.evaluate(expression);
      return value ? [{ value }] : [];
    }
    const fn = parameter.parent as TS.FunctionLikeDeclaration;
    const position = fn.parameters.indexOf(parameter);
    const found: StringVariant[] = [];
    for (const site of this.values.callsOf(fn)) {
      const argument = site.arguments?.[position];
      if (!argument) continue;
      const value = this.within({ site, parameter }, () => this.evaluate(expression));
      if (value) found.push({ value, site, parameter });
    }
    return found;
  }

  /** Runs `work` with the parameters of a variant's function bound to what its caller passed. */
  within<T>(variant: Pick<StringVariant, 'site' | 'parameter'>, work: () => T): T {
    const { site, parameter } = variant;
    const fn = parameter?.parent;
    if (!site || !fn || !ts.isFunctionLike(fn)) return work();
    const bound = fn.parameters.filter((each, index) => {
      const argument = site.arguments?.[index];
      if (argument) this.bound.set(each, argument);
      return argument !== undefined;
    });
    try {
      return work();
    } finally {
      for (const each of bound) this.bound.delete(each);
    }
  }

  /** The argument a parameter is bound to while a variant is evaluated. */
  boundArgument(parameter: TS.ParameterDeclaration): TS.Expression | undefined {
    return this.bound.get(parameter);
  }

  /** A parameter used in the expression whose function has more than one caller. */
  private forkingParameter(expression: TS.Expression): TS.ParameterDeclaration | undefined {
    let found: TS.ParameterDeclaration | undefined;
    const visit = (node: TS.Node): void => {
      if (found) return;
      if (ts.isIdentifier(node)) {
        const file = this.index.fileOfNode(node);
        const declaration = file && findDeclaration(node, file.imports);
        if (declaration?.kind === 'parameter' && declaration.path.length === 0) {
          const fn = declaration.node.parent;
          if (
            ts.isFunctionLike(fn) &&
            'body' in fn &&
            this.values.callsOf(fn as TS.FunctionLikeDeclaration).length > 1
          ) {
            found = declaration.node;
          }
        }
        return;
      }
      ts.forEachChild(node, visit);
    };
    visit(expression);
    return found;
  }

  /** The whole string when it has no holes. */
  literal(expression: TS.Expression): string | undefined {
    const value = this.evaluate(expression);
    if (!value || value.parts.some((part) => part.kind === 'hole')) return undefined;
    return value.parts.map((part) => (part.kind === 'text' ? part.text : '')).join('');
  }

  private compute(expression: TS.Expression): StaticString | undefined {
    if (ts.isStringLiteralLike(expression)) return text(expression.text);
    if (ts.isNumericLiteral(expression)) return text(expression.text);
    if (ts.isTemplateExpression(expression)) {
      const parts: StringPart[] = [{ kind: 'text', text: expression.head.text }];
      for (const span of expression.templateSpans) {
        parts.push(...(this.evaluate(span.expression) ?? hole(span.expression)).parts);
        parts.push({ kind: 'text', text: span.literal.text });
      }
      return normalise(parts);
    }
    if (ts.isBinaryExpression(expression)) return this.binary(expression);
    const env = envRead(expression);
    if (env) return { parts: [{ kind: 'hole', name: env, env }] };
    if (ts.isIdentifier(expression)) return this.identifier(expression);
    if (ts.isPropertyAccessExpression(expression) || ts.isElementAccessExpression(expression)) {
      return this.member(expression);
    }
    if (ts.isCallExpression(expression)) return this.call(expression);
    return undefined;
  }

  private binary(expression: TS.BinaryExpression): StaticString | undefined {
    const operator = expression.operatorToken.kind;
    if (operator === ts.SyntaxKind.PlusToken) {
      const left = this.evaluate(expression.left) ?? hole(expression.left);
      const right = this.evaluate(expression.right) ?? hole(expression.right);
      return normalise([...left.parts, ...right.parts]);
    }
    if (
      operator === ts.SyntaxKind.QuestionQuestionToken ||
      operator === ts.SyntaxKind.BarBarToken
    ) {
      const left = this.evaluate(expression.left);
      const fallback = this.literal(expression.right);
      const [only] = left?.parts ?? [];
      if (left?.parts.length === 1 && only?.kind === 'hole' && only.env && fallback !== undefined) {
        return { parts: [{ ...only, default: fallback }] };
      }
      // A value only known at run time stays unknown, whatever its fallback.
      return left;
    }
    return undefined;
  }

  private identifier(identifier: TS.Identifier): StaticString | undefined {
    const file = this.index.fileOfNode(identifier);
    const declaration = file && findDeclaration(identifier, file.imports);
    if (declaration?.kind === 'parameter' && declaration.path.length === 0) {
      return this.parameter(declaration.node);
    }
    if (declaration?.kind === 'variable' && declaration.path.length === 0) {
      const init = declaration.node.initializer;
      const isConst = (declaration.node.parent.flags & ts.NodeFlags.Const) !== 0;
      if (init && isConst) return this.evaluate(init);
    }
    // `const { QUEUE } = require('./config')` binds an export as an import does.
    const required =
      declaration?.kind === 'variable' &&
      declaration.node.initializer !== undefined &&
      requiredModule(declaration.node.initializer) !== undefined;
    if (declaration?.kind === 'import' || required) {
      const node = this.exportedNode(identifier);
      if (node && ts.isExpression(node)) return this.evaluate(node);
      if (node && ts.isVariableDeclaration(node) && node.initializer)
        return this.evaluate(node.initializer);
    }
    return undefined;
  }

  /** A parameter: the argument bound for the current variant, or what the first caller passes. */
  private parameter(parameter: TS.ParameterDeclaration): StaticString | undefined {
    const bound = this.bound.get(parameter);
    if (bound) return this.evaluate(bound);
    const fn = parameter.parent;
    if (!ts.isFunctionLike(fn) || !('body' in fn)) return undefined;
    const position = fn.parameters.indexOf(parameter);
    for (const call of this.values.callsOf(fn as TS.FunctionLikeDeclaration)) {
      const argument = call.arguments?.[position];
      const value = argument && this.evaluate(argument);
      if (value) return value;
    }
    return parameter.initializer ? this.evaluate(parameter.initializer) : undefined;
  }

  private exportedNode(identifier: TS.Identifier): TS.Node | undefined {
    const file = this.index.fileOfNode(identifier);
    const binding = file?.imports.get(identifier.text);
    const target = file && binding && this.index.resolveModule(file.source.path, binding.module);
    if (!target || !binding) return undefined;
    return this.index.exported(target, binding.member[0] ?? 'default');
  }

  /** `config.inventoryBaseUrl`: the property's initializer, wherever the object was made. */
  private member(
    expression: TS.PropertyAccessExpression | TS.ElementAccessExpression,
  ): StaticString | undefined {
    const name = ts.isPropertyAccessExpression(expression)
      ? expression.name.text
      : ts.isStringLiteralLike(expression.argumentExpression)
        ? expression.argumentExpression.text
        : undefined;
    if (name === undefined) return undefined;
    const node = this.values.memberNode(this.values.valueOf(expression.expression), name);
    if (node && ts.isParameter(node)) return this.parameter(node);
    if (node && ts.isExpression(node)) return this.evaluate(node);
    if (node && ts.isVariableDeclaration(node) && node.initializer)
      return this.evaluate(node.initializer);
    if (node && ts.isPropertyDeclaration(node) && node.initializer)
      return this.evaluate(node.initializer);
    return undefined;
  }

  private call(call: TS.CallExpression): StaticString | undefined {
    const [first, second] = call.arguments;
    // Conversions keep the value they convert.
    if (
      ts.isIdentifier(call.expression) &&
      ['String', 'Number', 'parseInt', 'parseFloat'].includes(call.expression.text)
    ) {
      return first ? this.evaluate(first) : undefined;
    }
    // A helper that reads `process.env[name]`: `required('DATABASE_URL')`, `env('PORT', '3000')`.
    const fn = this.values.calleeFunction(call);
    // A helper that builds the string from its parameters: `cartKey(id)` → `cart:${id}`.
    const returned = fn && singleReturn(fn);
    const [parameter] = fn?.parameters ?? [];
    if (returned && !readsEnvByParameter(fn)) {
      return parameter
        ? this.within({ site: call, parameter }, () => this.evaluate(returned))
        : this.evaluate(returned);
    }
    if (fn && first && readsEnvByParameter(fn)) {
      const name = this.literal(first);
      if (name !== undefined) {
        const fallback = second ? this.literal(second) : undefined;
        return {
          parts: [
            {
              kind: 'hole',
              name,
              env: name,
              ...(fallback === undefined ? {} : { default: fallback }),
            },
          ],
        };
      }
    }
    return undefined;
  }
}

/** What a function returns when it has one way to: an arrow's expression, or a lone `return`. */
function singleReturn(fn: TS.FunctionLikeDeclaration): TS.Expression | undefined {
  const body = fn.body;
  if (!body) return undefined;
  if (!ts.isBlock(body)) return body;
  const returns = body.statements.filter(ts.isReturnStatement);
  const last = body.statements.at(-1);
  return returns.length === 1 && last && ts.isReturnStatement(last) ? last.expression : undefined;
}

function text(value: string): StaticString {
  return { parts: [{ kind: 'text', text: value }] };
}

/** A placeholder named after the last identifier of the expression: `${order.id}` → {id}. */
function hole(expression: TS.Expression): StaticString {
  return { parts: [{ kind: 'hole', name: placeholderName(expression) }] };
}

const CONVERSIONS = new Set([
  'encodeURIComponent',
  'encodeURI',
  'String',
  'Number',
  'escape',
  'toString',
]);

export function placeholderName(expression: TS.Expression): string {
  const inner = unwrap(expression);
  if (ts.isIdentifier(inner)) return inner.text;
  if (ts.isPropertyAccessExpression(inner)) return inner.name.text;
  if (ts.isElementAccessExpression(inner) && ts.isStringLiteralLike(inner.argumentExpression)) {
    return inner.argumentExpression.text;
  }
  if (ts.isCallExpression(inner)) {
    // `c.req.param('id')`, `req.get('x')`: the value is named by its argument.
    const [first] = inner.arguments;
    if (first && ts.isStringLiteralLike(first)) return first.text;
    // `encodeURIComponent(id)`, `String(page)`: a conversion keeps the name of what it converts.
    if (first && ts.isIdentifier(inner.expression) && CONVERSIONS.has(inner.expression.text)) {
      return placeholderName(first);
    }
    return placeholderName(inner.expression);
  }
  return 'value';
}

function normalise(parts: StringPart[]): StaticString {
  const merged: StringPart[] = [];
  for (const part of parts) {
    const last = merged.at(-1);
    if (part.kind === 'text' && part.text === '') continue;
    if (part.kind === 'text' && last?.kind === 'text') {
      merged[merged.length - 1] = { kind: 'text', text: last.text + part.text };
    } else {
      merged.push(part);
    }
  }
  return { parts: merged };
}

/** `process.env.NAME` or `process.env['NAME']`. */
export function envRead(expression: TS.Expression): string | undefined {
  const isProcessEnv = (node: TS.Expression) =>
    ts.isPropertyAccessExpression(node) &&
    node.name.text === 'env' &&
    ts.isIdentifier(node.expression) &&
    node.expression.text === 'process';
  if (ts.isPropertyAccessExpression(expression) && isProcessEnv(expression.expression)) {
    return expression.name.text;
  }
  if (
    ts.isElementAccessExpression(expression) &&
    isProcessEnv(expression.expression) &&
    ts.isStringLiteralLike(expression.argumentExpression)
  ) {
    return expression.argumentExpression.text;
  }
  // `fastify.config.COOKIE_SECRET`: @fastify/env (and env-schema, envalid) load variables into a
  // `config` object under their own names.
  if (
    ts.isPropertyAccessExpression(expression) &&
    ENV_NAME.test(expression.name.text) &&
    ts.isPropertyAccessExpression(expression.expression) &&
    expression.expression.name.text === 'config' &&
    (ts.isIdentifier(expression.expression.expression) ||
      expression.expression.expression.kind === ts.SyntaxKind.ThisKeyword)
  ) {
    return expression.name.text;
  }
  return undefined;
}

const ENV_NAME = /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)+$|^[A-Z]{4,}$/;

function readsEnvByParameter(fn: TS.FunctionLikeDeclaration): boolean {
  const [parameter] = fn.parameters;
  if (!parameter || !ts.isIdentifier(parameter.name) || !fn.body) return false;
  const name = parameter.name.text;
  let found = false;
  const visit = (node: TS.Node): void => {
    if (
      ts.isElementAccessExpression(node) &&
      ts.isIdentifier(node.argumentExpression) &&
      node.argumentExpression.text === name &&
      node.expression.getText() === 'process.env'
    ) {
      found = true;
    }
    if (!found) ts.forEachChild(node, visit);
  };
  visit(fn.body);
  return found;
}

/** Renders a static string with its holes in braces: 'order:{id}'. */
export function renderPattern(value: StaticString): string {
  return value.parts.map((part) => (part.kind === 'text' ? part.text : `{${part.name}}`)).join('');
}
