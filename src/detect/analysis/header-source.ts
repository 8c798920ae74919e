// Where the value of an outbound header comes from: the incoming request's headers (propagation),
// configuration, a constant, or something generated. Values are followed through variables,
// parameters (back to what callers pass), object properties and `res.locals`.
import type * as TS from 'typescript';
import type { HeaderSent } from '../../map/model.js';
import { ts } from '../../typescript.js';
import type { ProjectIndex } from './project-index.js';
import { findDeclaration } from './scope.js';
import type { StringEvaluator } from './strings.js';
import { unwrap, type ValueResolver } from './values.js';

export type HeaderOrigin = Pick<HeaderSent, 'source' | 'from'>;

const MAX_HOPS = 8;

export class HeaderSources {
  constructor(
    private readonly index: ProjectIndex,
    private readonly values: ValueResolver,
    private readonly strings: StringEvaluator,
  ) {}

  originOf(expression: TS.Expression, hops = 0): HeaderOrigin {
    const node = unwrap(expression);
    const incoming = incomingHeader(node);
    if (incoming) return { source: 'incoming-request', from: incoming };
    if (isGenerated(node)) return { source: 'generated', from: node.getText() };
    const value = this.strings.evaluate(node);
    const env = value?.parts.find((part) => part.kind === 'hole' && part.env);
    if (env?.kind === 'hole' && env.env) return { source: 'config', from: env.env };
    if (value?.parts.every((part) => part.kind === 'text')) {
      return {
        source: 'constant',
        from: value.parts.map((part) => (part.kind === 'text' ? part.text : '')).join(''),
      };
    }
    if (hops < MAX_HOPS) {
      for (const next of this.definitions(node)) {
        const origin = this.originOf(next, hops + 1);
        if (origin.source !== 'derived') return origin;
      }
    }
    return { source: 'derived', from: node.getText().slice(0, 60) };
  }

  /** The object literal a value was built from, followed through variables and parameters. */
  objectLiteralOf(expression: TS.Expression, hops = 0): TS.ObjectLiteralExpression | undefined {
    const node = unwrap(expression);
    if (ts.isObjectLiteralExpression(node)) return node;
    if (hops >= MAX_HOPS || !(ts.isIdentifier(node) || ts.isPropertyAccessExpression(node)))
      return undefined;
    for (const next of this.definitions(node)) {
      const found = this.objectLiteralOf(next, hops + 1);
      if (found) return found;
    }
    return undefined;
  }

  /** Expressions the value may have been defined by, one step back. */
  private definitions(node: TS.Expression): TS.Expression[] {
    if (ts.isTemplateExpression(node)) return node.templateSpans.map((span) => span.expression);
    if (ts.isBinaryExpression(node)) return [node.left, node.right];
    if (ts.isIdentifier(node)) return this.identifierDefinitions(node);
    if (ts.isPropertyAccessExpression(node)) {
      const locals = this.localsAssignments(node);
      if (locals.length > 0) return locals;
      const member = this.values.memberNode(this.values.valueOf(node.expression), node.name.text);
      if (member && ts.isExpression(member)) return [member];
      // An untyped parameter object: what callers pass for this property.
      return this.callerProperties(node.expression, node.name.text);
    }
    return [];
  }

  private identifierDefinitions(identifier: TS.Identifier): TS.Expression[] {
    const file = this.index.fileOfNode(identifier);
    const declaration = file && findDeclaration(identifier, file.imports);
    if (declaration?.kind === 'variable' && declaration.node.initializer) {
      const init = declaration.node.initializer;
      return declaration.path.length === 0 ? [init] : this.propertyChain(init, declaration.path);
    }
    if (declaration?.kind === 'parameter') {
      const bound = this.strings.boundArgument(declaration.node);
      if (bound)
        return declaration.path.length === 0
          ? [bound]
          : this.propertyChain(bound, declaration.path);
      const fn = declaration.node.parent;
      if (!ts.isFunctionLike(fn) || !('body' in fn)) return [];
      const position = fn.parameters.indexOf(declaration.node);
      return this.values
        .callsOf(fn as TS.FunctionLikeDeclaration)
        .map((call) => call.arguments?.[position])
        .filter((argument): argument is TS.Expression => argument !== undefined)
        .flatMap((argument) =>
          declaration.path.length === 0
            ? [argument]
            : this.propertyChain(argument, declaration.path),
        );
    }
    return [];
  }

  private propertyChain(expression: TS.Expression, path: string[]): TS.Expression[] {
    let current: TS.Expression | undefined = unwrap(expression);
    for (const name of path) {
      if (!current || !ts.isObjectLiteralExpression(current)) return [];
      const property: TS.ObjectLiteralElementLike | undefined = current.properties.find(
        (candidate) => candidate.name?.getText() === name,
      );
      if (property && ts.isPropertyAssignment(property)) current = unwrap(property.initializer);
      else if (property && ts.isShorthandPropertyAssignment(property)) current = property.name;
      else return [];
    }
    return current ? [current] : [];
  }

  private callerProperties(object: TS.Expression, name: string): TS.Expression[] {
    const inner = unwrap(object);
    if (!ts.isIdentifier(inner)) return [];
    return this.identifierDefinitions(inner).flatMap((definition) =>
      this.propertyChain(definition, [name]),
    );
  }

  /** `res.locals.requestId`: what the middleware that set it assigned. */
  private localsAssignments(node: TS.PropertyAccessExpression): TS.Expression[] {
    const owner = node.expression;
    if (!ts.isPropertyAccessExpression(owner) || owner.name.text !== 'locals') return [];
    const pkg = this.index.fileOfNode(node)?.source.package;
    const found: TS.Expression[] = [];
    for (const file of this.index.files) {
      if (file.source.package !== pkg) continue;
      const visit = (candidate: TS.Node): void => {
        if (
          ts.isBinaryExpression(candidate) &&
          candidate.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
          ts.isPropertyAccessExpression(candidate.left) &&
          candidate.left.name.text === node.name.text &&
          ts.isPropertyAccessExpression(candidate.left.expression) &&
          candidate.left.expression.name.text === 'locals'
        ) {
          found.push(candidate.right);
        }
        ts.forEachChild(candidate, visit);
      };
      visit(file.ast);
    }
    return found;
  }
}

/** `req.headers.authorization`, `req.headers['x-request-id']`, `req.get('x')`, `req.header('x')`. */
export function incomingHeader(node: TS.Expression): string | undefined {
  if (ts.isBinaryExpression(node) && isFallback(node.operatorToken.kind))
    return incomingHeader(unwrap(node.left));
  if (ts.isPropertyAccessExpression(node) && isHeadersObject(node.expression))
    return node.name.text.toLowerCase();
  if (
    ts.isElementAccessExpression(node) &&
    isHeadersObject(node.expression) &&
    ts.isStringLiteralLike(node.argumentExpression)
  ) {
    return node.argumentExpression.text.toLowerCase();
  }
  if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
    const method = node.expression.name.text;
    const [first] = node.arguments;
    if (
      (method === 'get' || method === 'header') &&
      first &&
      ts.isStringLiteralLike(first) &&
      isRequest(node.expression.expression)
    ) {
      return first.text.toLowerCase();
    }
  }
  return undefined;
}

function isHeadersObject(node: TS.Expression): boolean {
  return (
    ts.isPropertyAccessExpression(node) &&
    node.name.text === 'headers' &&
    isRequest(node.expression)
  );
}

const REQUEST_NAMES = new Set(['req', 'request', 'ctx', 'incoming']);

/** `req`, `request`, `ctx`, `ctx.req`, `ctx.request`, `c.req`: checked without building text. */
function isRequest(node: TS.Expression): boolean {
  const inner = unwrap(node);
  if (ts.isIdentifier(inner)) return REQUEST_NAMES.has(inner.text.toLowerCase());
  if (!ts.isPropertyAccessExpression(inner) || !ts.isIdentifier(inner.expression)) return false;
  const owner = inner.expression.text;
  const member = inner.name.text;
  return (
    (owner === 'ctx' && (member === 'req' || member === 'request')) ||
    (owner === 'c' && member === 'req')
  );
}

function isGenerated(node: TS.Expression): boolean {
  if (!ts.isCallExpression(node)) return false;
  const callee = node.expression.getText();
  return /(^|\.)(randomUUID|uuid|v4|nanoid|ulid|cuid)$/.test(callee);
}

function isFallback(kind: TS.SyntaxKind): boolean {
  return kind === ts.SyntaxKind.QuestionQuestionToken || kind === ts.SyntaxKind.BarBarToken;
}
