// Outbound HTTP with the global `fetch` (and undici's): target URL and the variable behind its
// base, method, headers sent, body, and the timeout set with `AbortSignal.timeout`.
import type * as TS from 'typescript';
import { ts } from '../typescript.js';
import { propertyOf } from './analysis/calls.js';
import { callExpressionsOf } from './analysis/file-nodes.js';
import { callOutcomes } from './analysis/outcomes.js';
import { findDeclaration } from './analysis/scope.js';
import type { StringVariant } from './analysis/strings.js';
import { unwrap } from './analysis/values.js';
import { configured } from './configured.js';
import { objectLiteral, sentHeaders } from './sent-headers.js';
import type { Configured, DetectContext, Detector } from './types.js';

export const fetchDetector: Detector = {
  name: 'fetch',
  enabledBy: [],
  detect(ctx) {
    const visit = (node: TS.Node): void => {
      if (ts.isCallExpression(node) && isFetch(ctx, node.expression)) report(ctx, node);
    };
    for (const node of callExpressionsOf(ctx.file.ast)) visit(node);
  },
};

/** The global `fetch` (not shadowed by a local name), or undici's `fetch`/`request`. */
function isFetch(ctx: DetectContext, callee: TS.Expression): boolean {
  if (!ts.isIdentifier(callee) && !ts.isPropertyAccessExpression(callee)) return false;
  const value = ctx.values.valueOf(callee);
  if (value?.kind === 'library') {
    return value.module === 'undici' && ['fetch', 'request'].includes(value.path.join('.'));
  }
  if (value) return false;
  const text = callee.getText();
  return text === 'fetch' || text === 'globalThis.fetch';
}

function report(ctx: DetectContext, call: TS.CallExpression): void {
  const [urlArgument, initArgument] = call.arguments;
  if (!urlArgument) return;
  const urls = urlsOf(ctx, urlArgument);
  if (urls.length === 0) {
    ctx.unrecognised(
      'unknown-url',
      `URL \`${urlArgument.getText().slice(0, 80)}\` is not known statically`,
      urlArgument,
    );
  }
  const init = initArgument && objectLiteral(ctx, initArgument);
  const method = (init && literalProperty(ctx, init, 'method'))?.toUpperCase() ?? 'GET';
  const headersObject = init && propertyOf(init, 'headers');
  const timeoutMs = init && timeoutOf(ctx, propertyOf(init, 'signal'));
  const body = init && propertyOf(init, 'body');
  // A URL built from a parameter of a shared helper is one call per caller of the helper.
  for (const variant of urls) {
    const { value: url } = variant;
    // A helper's call site stands for the call; a `new Client(url)` only gave the base URL.
    const site = variant.site && ts.isCallExpression(variant.site) ? variant.site : undefined;
    const headers = ctx.strings.within(variant, () => sentHeaders(ctx, headersObject));
    const { outcomes, retry } = callOutcomes(ctx, call, site);
    ctx.report({
      kind: 'http-call',
      library: 'fetch',
      method: site ? (methodAt(ctx, site) ?? method) : method,
      url,
      headers,
      ...(timeoutMs ? { timeoutMs } : {}),
      ...(body ? { body } : {}),
      outcomes,
      ...(retry ? { retry } : {}),
      node: site ? site.expression : call.expression,
    });
  }
}

/** The method a caller of a fetch helper asks for, e.g. `send(path, { method: 'DELETE' })`. */
function methodAt(ctx: DetectContext, site: TS.CallExpression): string | undefined {
  for (const argument of site.arguments) {
    const object = objectLiteral(ctx, argument);
    const method = object && literalProperty(ctx, object, 'method');
    if (method) return method.toUpperCase();
  }
  return undefined;
}

/** A template or concatenation, or `new URL(path, base)`. */
function urlsOf(ctx: DetectContext, argument: TS.Expression): StringVariant[] {
  let expression = unwrap(argument);
  // `const url = new URL(path, base); fetch(url)`
  if (ts.isIdentifier(expression)) {
    const declaration = findDeclaration(expression, ctx.file.imports);
    const init =
      declaration?.kind === 'variable' && declaration.path.length === 0
        ? declaration.node.initializer
        : undefined;
    if (init && ts.isNewExpression(unwrap(init))) expression = unwrap(init);
  }
  if (ts.isNewExpression(expression) && expression.expression.getText() === 'URL') {
    const [path, base] = expression.arguments ?? [];
    const baseValue = base && ctx.strings.evaluate(base);
    return (path ? ctx.strings.variants(path) : []).map(({ value, site }) => ({
      value: baseValue ? { parts: [...baseValue.parts, ...value.parts] } : value,
      ...(site ? { site } : {}),
    }));
  }
  return ctx.strings.variants(expression);
}

function literalProperty(ctx: DetectContext, object: TS.ObjectLiteralExpression, name: string) {
  const value = propertyOf(object, name);
  return value ? ctx.strings.literal(value) : undefined;
}

/** `signal: AbortSignal.timeout(ms)`. */
function timeoutOf(ctx: DetectContext, signal: TS.Expression | undefined): Configured | undefined {
  const expression = signal && unwrap(signal);
  if (!expression || !ts.isCallExpression(expression)) return undefined;
  if (expression.expression.getText() !== 'AbortSignal.timeout') return undefined;
  const [ms] = expression.arguments;
  return ms ? configured(ctx, ms) : undefined;
}
