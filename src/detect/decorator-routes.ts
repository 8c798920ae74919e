// Express apps routed by class decorators, other than NestJS: routing-controllers
// (`@JsonController('/users')`, `@Get('/:id')`, `@UseBefore(auth)`, `@Authorized()`) and
// inversify-express-utils (`@controller('/api', auth)`, `@httpPost('/users', validate)`), with
// their app-wide prefix (`routePrefix`, `rootPath`).
import type * as TS from 'typescript';
import { ts } from '../typescript.js';
import { nameOf, propertyOf } from './analysis/calls.js';
import { type LibraryDecorator, libraryDecorators } from './analysis/decorators.js';
import { nodesOfKinds } from './analysis/file-nodes.js';
import { unwrap } from './analysis/values.js';
import { dtoShape } from './class-validator.js';
import { HTTP_METHODS, joinPaths } from './http-routes.js';
import type { DetectContext, Detector } from './types.js';

interface Dialect {
  module: string;
  controllers: ReadonlySet<string>;
  /** Method decorators by name → HTTP method; `httpMethod('get', path)` names it first. */
  methods: Readonly<Record<string, string>>;
  /** Decorators whose arguments are middleware run before the handler. */
  middleware: ReadonlySet<string>;
  /** Where the path argument sits in a method decorator, and whether middleware follow it. */
  trailingMiddleware: boolean;
  body: string;
  /** The app-wide option that prefixes every route, and the call or class that takes it. */
  prefixOption: string;
}

const DIALECTS: readonly Dialect[] = [
  {
    module: 'routing-controllers',
    controllers: new Set(['Controller', 'JsonController']),
    methods: {
      Get: 'GET',
      Post: 'POST',
      Put: 'PUT',
      Patch: 'PATCH',
      Delete: 'DELETE',
      Head: 'HEAD',
      All: 'ALL',
    },
    middleware: new Set(['UseBefore']),
    trailingMiddleware: false,
    body: 'Body',
    prefixOption: 'routePrefix',
  },
  {
    module: 'inversify-express-utils',
    controllers: new Set(['controller']),
    methods: {
      httpGet: 'GET',
      httpPost: 'POST',
      httpPut: 'PUT',
      httpPatch: 'PATCH',
      httpDelete: 'DELETE',
      httpHead: 'HEAD',
      all: 'ALL',
      httpMethod: '',
    },
    middleware: new Set(),
    trailingMiddleware: true,
    body: 'requestBody',
    prefixOption: 'rootPath',
  },
];

const VISITED = new Set([
  ts.SyntaxKind.ClassDeclaration,
  ts.SyntaxKind.CallExpression,
  ts.SyntaxKind.NewExpression,
]);

export const decoratorRoutesDetector: Detector = {
  name: 'decorator-routes',
  enabledBy: DIALECTS.map((dialect) => dialect.module),
  detect(ctx) {
    for (const node of nodesOfKinds(ctx.file.ast, VISITED)) {
      if (ts.isClassDeclaration(node)) readController(ctx, node);
      else if (ts.isCallExpression(node) || ts.isNewExpression(node)) readPrefix(ctx, node);
    }
  },
};

interface Decorator extends LibraryDecorator {
  dialect: Dialect;
}

function decoratorsOf(ctx: DetectContext, node: TS.HasDecorators): Decorator[] {
  return libraryDecorators(ctx.values, node, (module) =>
    DIALECTS.some((dialect) => dialect.module === module),
  ).map((decorator) => ({
    ...decorator,
    dialect: DIALECTS.find((dialect) => dialect.module === decorator.module) as Dialect,
  }));
}

function readController(ctx: DetectContext, controller: TS.ClassDeclaration): void {
  const decorators = decoratorsOf(ctx, controller);
  const marker = decorators.find((decorator) => decorator.dialect.controllers.has(decorator.name));
  if (!marker) return;
  const { dialect } = marker;
  const prefix = pathOf(ctx, marker.args[0]);
  if (prefix === undefined) return;
  const classMiddleware = [
    ...(dialect.trailingMiddleware ? marker.args.slice(1) : []),
    ...middlewareOf(decorators),
  ];
  for (const member of controller.members) {
    if (!ts.isMethodDeclaration(member)) continue;
    const memberDecorators = decoratorsOf(ctx, member);
    for (const decorator of memberDecorators) {
      const named = dialect.methods[decorator.name];
      if (named === undefined) continue;
      // `httpMethod('get', '/path', ...middleware)` names the method first.
      const args = named === '' ? decorator.args.slice(1) : decorator.args;
      const method = named || methodName(ctx, decorator.args[0]);
      const path = pathOf(ctx, args[0]);
      if (!method || path === undefined) continue;
      ctx.report({
        kind: 'route',
        framework: dialect.module,
        method,
        path: joinPaths(prefix, path),
        owner: undefined,
        handlers: [
          ...classMiddleware,
          ...(dialect.trailingMiddleware ? args.slice(1) : []),
          ...middlewareOf(memberDecorators),
          ...authorizedOf(ctx, memberDecorators, decorators),
          member.name as TS.Expression,
        ],
        defaultStatus: 200,
        ...bodyOf(ctx, member, dialect),
        node: decorator.node,
      });
    }
  }
}

function methodName(ctx: DetectContext, argument: TS.Expression | undefined): string | undefined {
  const text = argument && ctx.strings.literal(argument);
  return text && HTTP_METHODS.has(text.toLowerCase()) ? text.toUpperCase() : undefined;
}

function middlewareOf(decorators: readonly Decorator[]): TS.Expression[] {
  return decorators
    .filter((decorator) => decorator.dialect.middleware.has(decorator.name))
    .flatMap((decorator) => [...decorator.args]);
}

/**
 * routing-controllers' `@Authorized()` runs the app's `authorizationChecker`, which answers 401
 * or 403: the decorator is the check, and stands before the handler.
 */
function authorizedOf(
  ctx: DetectContext,
  member: readonly Decorator[],
  controller: readonly Decorator[],
): TS.Expression[] {
  const authorized = [...member, ...controller].find(
    (decorator) => decorator.name === 'Authorized',
  );
  if (!authorized) return [];
  const check = authorized.node.expression;
  ctx.report({
    kind: 'auth',
    library: authorized.dialect.module,
    mechanism: 'custom',
    claims: [],
    fn: undefined,
    node: check,
  });
  return [check];
}

function bodyOf(ctx: DetectContext, method: TS.MethodDeclaration, dialect: Dialect) {
  for (const parameter of method.parameters) {
    const isBody = decoratorsOf(ctx, parameter).some(
      (decorator) => decorator.name === dialect.body && decorator.args.length === 0,
    );
    const shape = isBody ? dtoShape(ctx, parameter.type) : undefined;
    if (shape) return { requestBody: shape };
  }
  return {};
}

function pathOf(ctx: DetectContext, argument: TS.Expression | undefined): string | undefined {
  if (!argument) return '';
  const text = ctx.strings.literal(argument);
  if (text === undefined) {
    ctx.unrecognised(
      'computed-route-path',
      `route path \`${argument.getText()}\` is computed`,
      argument,
    );
  }
  return text;
}

/**
 * `useExpressServer(app, { routePrefix: '/api' })`, `createExpressServer({ routePrefix })` and
 * `new InversifyExpressServer(container, null, { rootPath: '/api' })`.
 */
function readPrefix(ctx: DetectContext, call: TS.CallExpression | TS.NewExpression): void {
  const value = ctx.values.valueOf(call.expression);
  if (value?.kind !== 'library') return;
  const dialect = DIALECTS.find((each) => each.module === value.module);
  if (!dialect) return;
  for (const argument of call.arguments ?? []) {
    const option = propertyOf(unwrap(argument), dialect.prefixOption);
    const prefix = option && ctx.strings.literal(option);
    if (prefix) {
      const node = ts.isCallExpression(call) ? nameOf(call) : call;
      ctx.report({ kind: 'global-prefix', prefix, node });
    }
  }
}
