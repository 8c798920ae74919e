// NestJS controllers: `@Controller('prefix')` classes whose methods carry `@Get(':id')`,
// `@Post()` and the like, `@UseGuards(…)` on the class or the method, and the global prefix
// set with `app.setGlobalPrefix('api')`.
import type * as TS from 'typescript';
import { ts } from '../typescript.js';
import { methodCall, nameOf, propertyOf } from './analysis/calls.js';
import { type LibraryDecorator, libraryDecorators } from './analysis/decorators.js';
import { nodesOfKinds } from './analysis/file-nodes.js';
import { unwrap } from './analysis/values.js';
import { dtoShape } from './class-validator.js';
import { joinPaths } from './http-routes.js';
import { statusConstant } from './http-status-names.js';
import type { DetectContext, Detector, Shape } from './types.js';

const METHOD_DECORATORS: Record<string, string> = {
  Get: 'GET',
  Post: 'POST',
  Put: 'PUT',
  Patch: 'PATCH',
  Delete: 'DELETE',
  Options: 'OPTIONS',
  Head: 'HEAD',
  All: 'ALL',
};

/** The only kinds of node `visit` reads. */
const VISITED = new Set([ts.SyntaxKind.ClassDeclaration, ts.SyntaxKind.CallExpression]);

export const nestjsDetector: Detector = {
  name: 'nestjs',
  enabledBy: ['@nestjs/common', '@nestjs/core'],
  detect(ctx) {
    const visit = (node: TS.Node): void => {
      if (ts.isClassDeclaration(node)) readController(ctx, node);
      const call = methodCall(node);
      if (call?.method === 'forRoutes') readMiddlewareBinding(ctx, call.call, call.receiver);
      if (call?.method === 'enableVersioning') readVersioning(ctx, call.call);
      if (call?.method === 'setGlobalPrefix' && call.call.arguments[0]) {
        const prefix = ctx.strings.literal(call.call.arguments[0]);
        if (prefix !== undefined)
          ctx.report({ kind: 'global-prefix', prefix, node: nameOf(call.call) });
      }
    };
    for (const node of nodesOfKinds(ctx.file.ast, VISITED)) visit(node);
  },
};

type NestDecorator = LibraryDecorator;

/**
 * Decorators imported from @nestjs/*, by their exported name, and those a project's own decorator
 * composes: `export function Authenticated() { return applyDecorators(UseGuards(JwtGuard)) }`.
 */
function nestDecorators(ctx: DetectContext, node: TS.HasDecorators): NestDecorator[] {
  const fromNest = (module: string) => module.startsWith('@nestjs/');
  const composed = (ts.getDecorators(node) ?? []).flatMap((decorator) => {
    const expression = decorator.expression;
    if (!ts.isCallExpression(expression)) return [];
    const fn = ctx.values.calleeFunction(expression);
    const body = fn?.body;
    const returned =
      body && ts.isBlock(body)
        ? body.statements.find(ts.isReturnStatement)?.expression
        : (body as TS.Expression | undefined);
    const apply = returned && unwrap(returned);
    if (!apply || !ts.isCallExpression(apply)) return [];
    const callee = ctx.values.valueOf(apply.expression);
    if (
      callee?.kind !== 'library' ||
      !fromNest(callee.module) ||
      callee.path.at(-1) !== 'applyDecorators'
    )
      return [];
    return apply.arguments.flatMap((part) => {
      if (!ts.isCallExpression(part)) return [];
      const inner = ctx.values.valueOf(part.expression);
      const name =
        inner?.kind === 'library' && fromNest(inner.module) ? inner.path.at(-1) : undefined;
      return name
        ? [
            {
              module: inner?.kind === 'library' ? inner.module : '',
              name,
              args: part.arguments,
              node: decorator,
            },
          ]
        : [];
    });
  });
  return [...libraryDecorators(ctx.values, node, fromNest), ...composed];
}

function readController(ctx: DetectContext, controller: TS.ClassDeclaration): void {
  const decorators = nestDecorators(ctx, controller);
  const marker = decorators.find((decorator) => decorator.name === 'Controller');
  if (!marker) return;
  const prefix = pathArgument(ctx, marker.args[0]);
  if (prefix === undefined) return;
  const classGuards = guardsOf(ctx, decorators);
  for (const member of controller.members) {
    if (!ts.isMethodDeclaration(member)) continue;
    const memberDecorators = nestDecorators(ctx, member);
    const guards = [...classGuards, ...guardsOf(ctx, memberDecorators)];
    for (const decorator of memberDecorators) {
      const method = METHOD_DECORATORS[decorator.name];
      if (!method) continue;
      const path = pathArgument(ctx, decorator.args[0]);
      if (path === undefined) continue;
      const httpCode = memberDecorators.find((each) => each.name === 'HttpCode')?.args[0];
      const version = versionOf(ctx, memberDecorators, marker);
      const explicit = httpCode
        ? (statusConstant(ctx, httpCode) ?? Number(ctx.strings.literal(httpCode)))
        : Number.NaN;
      ctx.report({
        kind: 'route',
        framework: 'nestjs',
        method,
        path: joinPaths(prefix, path),
        owner: undefined,
        // The method runs after the guards; a handler expression the linker can follow.
        handlers: [...guards, methodReference(member)],
        defaultStatus: Number.isInteger(explicit) ? explicit : method === 'POST' ? 201 : 200,
        ...(version ? { version } : {}),
        ...bodyOf(ctx, member),
        node: decorator.node,
      });
    }
  }
}

/** `enableVersioning({ type: VersioningType.URI, defaultVersion: '1' })`; other types leave paths be. */
function readVersioning(ctx: DetectContext, call: TS.CallExpression): void {
  const options = call.arguments[0] && unwrap(call.arguments[0]);
  const type = propertyOf(options, 'type');
  if (type && !/URI$/.test(type.getText())) return;
  const fallback = propertyOf(options, 'defaultVersion');
  const defaultVersion = fallback && ctx.strings.literal(fallback);
  const prefixOption = propertyOf(options, 'prefix');
  const prefix = prefixOption ? (ctx.strings.literal(prefixOption) ?? 'v') : 'v';
  ctx.report({
    kind: 'versioning',
    ...(defaultVersion ? { defaultVersion } : {}),
    prefix,
    node: nameOf(call),
  });
}

/** `@Version('2')` on the method, else `version` in `@Controller({ path, version })`. */
function versionOf(
  ctx: DetectContext,
  method: readonly NestDecorator[],
  controller: NestDecorator,
): string | undefined {
  const own = method.find((decorator) => decorator.name === 'Version')?.args[0];
  const options = controller.args[0];
  const inherited =
    options && ts.isObjectLiteralExpression(options) ? propertyOf(options, 'version') : undefined;
  const chosen = own ?? inherited;
  return chosen ? ctx.strings.literal(chosen) : undefined;
}

/** `@Controller()`, `@Controller('cats')`, `@Controller({ path: 'cats' })`; undefined if computed. */
function pathArgument(ctx: DetectContext, argument: TS.Expression | undefined): string | undefined {
  if (!argument) return '';
  if (ts.isObjectLiteralExpression(argument)) {
    const path = argument.properties.find(
      (property): property is TS.PropertyAssignment =>
        ts.isPropertyAssignment(property) && property.name.getText() === 'path',
    );
    return path ? pathArgument(ctx, path.initializer) : '';
  }
  const text = ctx.strings.literal(argument);
  if (text === undefined)
    ctx.unrecognised(
      'computed-route-path',
      `route path \`${argument.getText()}\` is computed`,
      argument,
    );
  return text;
}

/** `@UseGuards(AuthGuard('jwt'), RolesGuard)`: each guard runs before the handler. */
function guardsOf(ctx: DetectContext, decorators: NestDecorator[]): TS.Expression[] {
  const guards = decorators
    .filter((decorator) => decorator.name === 'UseGuards')
    .flatMap((decorator) => [...decorator.args]);
  for (const guard of guards) {
    const text = guard.getText();
    // Passport's AuthGuard and guards named after authentication verify a credential.
    if (/auth|jwt|passport|session|api.?key/i.test(text)) {
      ctx.report({
        kind: 'auth',
        library: '@nestjs/passport',
        mechanism: /jwt/i.test(text) ? 'jwt-bearer' : 'custom',
        claims: [],
        fn: undefined,
        node: guard,
      });
    }
  }
  return guards;
}

/**
 * `consumer.apply(AuthMiddleware).forRoutes({ path: 'user', method: RequestMethod.GET }, CatsController)`:
 * the middleware's `use` runs before the routes selected, as a hook with a path pattern.
 */
function readMiddlewareBinding(
  ctx: DetectContext,
  forRoutes: TS.CallExpression,
  receiver: TS.Expression,
): void {
  const apply = methodCall(receiver);
  if (apply?.method !== 'apply') return;
  const handlers = apply.call.arguments.flatMap((middleware) => middlewareUse(ctx, middleware));
  for (const selector of forRoutes.arguments) {
    for (const { pattern, method } of selected(ctx, selector)) {
      for (const fn of handlers) {
        ctx.report({
          kind: 'hook',
          owner: undefined,
          fn,
          pattern,
          ...(method ? { method } : {}),
          node: nameOf(forRoutes),
        });
      }
    }
  }
}

/** A middleware class's `use` method (its name: the linker follows it into the method). */
function middlewareUse(ctx: DetectContext, middleware: TS.Expression): TS.Expression[] {
  const value = ctx.values.valueOf(middleware);
  if (value?.kind === 'class') {
    const use = value.node.members.find(
      (member) => ts.isMethodDeclaration(member) && member.name.getText() === 'use',
    );
    return use && ts.isMethodDeclaration(use) ? [use.name as TS.Expression] : [];
  }
  return value?.kind === 'function' ? [middleware] : [];
}

/** `'cats'`, `{ path: 'cats', method: RequestMethod.GET }` or a controller class. */
function selected(
  ctx: DetectContext,
  selector: TS.Expression,
): { pattern: string; method?: string }[] {
  const node = unwrap(selector);
  if (ts.isObjectLiteralExpression(node)) {
    const path = propertyOf(node, 'path');
    const method = propertyOf(node, 'method');
    const text = path && ctx.strings.literal(path);
    const verb = method && ts.isPropertyAccessExpression(method) ? method.name.text : undefined;
    return text === undefined
      ? []
      : [{ pattern: joinPaths(text), ...(verb && verb !== 'ALL' ? { method: verb } : {}) }];
  }
  const text = ctx.strings.literal(node);
  if (text !== undefined) return [{ pattern: joinPaths(text) }];
  const value = ctx.values.valueOf(node);
  if (value?.kind !== 'class') return [];
  const marker = nestDecorators(ctx, value.node as TS.ClassDeclaration).find(
    (decorator) => decorator.name === 'Controller',
  );
  const prefix = marker ? pathArgument(ctx, marker.args[0]) : undefined;
  return prefix === undefined ? [] : [{ pattern: `${joinPaths(prefix)}*` }];
}

/** `@Body() dto: CreateCatDto`: the DTO class as the request body's schema. */
function bodyOf(ctx: DetectContext, method: TS.MethodDeclaration): { requestBody?: Shape } {
  for (const parameter of method.parameters) {
    const isBody = nestDecorators(ctx, parameter).some(
      (decorator) => decorator.name === 'Body' && decorator.args.length === 0,
    );
    const shape = isBody ? dtoShape(ctx, parameter.type) : undefined;
    if (shape) return { requestBody: shape };
  }
  return {};
}

/** A method is followed through `this.method` style access: give the linker the method itself. */
function methodReference(method: TS.MethodDeclaration): TS.Expression {
  return method.name as TS.Expression;
}
