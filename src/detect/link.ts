// Links facts to the entry points that cause them: each route gets its full path (mount prefixes
// applied), the middleware and hooks that run before it, the auth they apply, the statuses it can
// answer with, the input schema it validates, and every fact its handlers reach; each consumer
// gets its bindings and the facts its handler reaches. The map stage reads only this.
import type * as TS from 'typescript';
import { ts } from '../typescript.js';
import { hookSkips } from './analysis/hook-exemptions.js';
import { requiredModule } from './analysis/imports.js';
import { locationOf } from './analysis/locate.js';
import type { ProjectIndex } from './analysis/project-index.js';
import { Reach } from './analysis/reach.js';
import { findDeclaration } from './analysis/scope.js';
import { joinPaths } from './http-routes.js';
import { enclosingFunction } from './jsonwebtoken.js';
import { findRecoveries, type Recovery } from './recoveries.js';
import type { Detection } from './run-detectors.js';
import type {
  AuthFact,
  BindingFact,
  ConsumeFact,
  Fact,
  FactOf,
  HookFact,
  Location,
  MountFact,
  ResponseFact,
  RouteFact,
  Shape,
  SqlFact,
  TransactionFact,
} from './types.js';

export interface LinkedRoute {
  route: RouteFact;
  path: string;
  /** Incoming headers its middleware and handlers read, lower-case, sorted. */
  headersRead: string[];
  handlerAt?: Location;
  /** Facts the route's middleware, hooks and handler reach. */
  effects: Fact[];
  auth?: {
    fact: AuthFact;
    scopes: string[];
    ownership: boolean;
    rejections: ResponseFact[];
    at: Location;
  };
  responses: ResponseFact[];
  request?: { body?: Shape; params?: Shape; query?: Shape };
}

export interface LinkedConsumer {
  consume: ConsumeFact;
  bindings: BindingFact[];
  handlerAt?: Location;
  effects: Fact[];
}

export interface LinkedSocketEvent {
  event: FactOf<'socket-event'>;
  effects: Fact[];
}

export interface LinkedFacts {
  facts: Fact[];
  /** SQL facts that run inside an explicit transaction. */
  transactional: ReadonlySet<SqlFact>;
  routes: LinkedRoute[];
  consumers: LinkedConsumer[];
  socketEvents: LinkedSocketEvent[];
  recoveries: Recovery[];
}

const PREFIXED_FRAMEWORKS = new Set(['nestjs', 'routing-controllers', 'inversify-express-utils']);

export function linkFacts(detection: Detection): LinkedFacts {
  const { facts, index, values } = detection;
  const reach = new Reach(index, values, facts);
  const of = <K extends Fact['kind']>(kind: K) =>
    facts.filter((fact): fact is FactOf<K> => fact.kind === kind);
  const mounts = of('mount');
  const checks: AuthChecks = {
    values,
    bySite: new Map(of('auth').map((fact) => [fact.node, fact])),
    custom: new Map(),
    sessions: of('session'),
  };
  const hooks = of('hook').flatMap((hook) => [hook, ...bubbled(hook, mounts)]);
  const routerPrefixes = of('router-prefix');
  const ownPrefixes = (owner: TS.Node | undefined) =>
    owner ? routerPrefixes.filter((fact) => fact.owner === owner).map((fact) => fact.prefix) : [];
  // Decorator-routed apps register every route through one server that may prefix them all.
  const globalPrefixes = (route: RouteFact) =>
    PREFIXED_FRAMEWORKS.has(route.framework)
      ? [
          ...of('global-prefix')
            .filter((fact) => fact.packageDir === route.packageDir)
            .map((fact) => fact.prefix),
          ...versionSegment(route),
        ]
      : [];
  // `/api/v1/…`: the route's own version, or the app's default one, once versioning is on.
  const versionSegment = (route: RouteFact): string[] => {
    const versioning = of('versioning').find((fact) => fact.packageDir === route.packageDir);
    const version = versioning && (route.version ?? versioning.defaultVersion);
    return versioning && version ? [`${versioning.prefix}${version}`] : [];
  };
  const errorHandlers = of('error-handler');

  const routes = of('route').flatMap((route) =>
    prefixesOf(route.owner, mounts, ownPrefixes).map((prefixes) => {
      const chain = ownerChain(route.owner, mounts);
      const path = joinPaths(...globalPrefixes(route), ...prefixes, route.path);
      const before = [
        ...hooks
          .filter(
            (hook) =>
              chain.has(hook.owner) &&
              appliesTo(hook, route, mounts) &&
              (hook.method === undefined || hook.method === route.method) &&
              // A pattern is relative to the app it is set on: after its base path, and after
              // the mounts above it (a bubbled Hono hook sits on a parent app).
              matchesPattern(hook.pattern, [
                path,
                ...prefixes.map((_, from) => joinPaths(...prefixes.slice(from), route.path)),
                joinPaths(route.path),
              ]) &&
              !hookSkips(hook.fn, route.method, path, values),
          )
          .map((hook) => hook.fn),
        ...route.handlers,
      ];
      const effects = unique(before.flatMap((handler) => [...reach.ofExpression(handler)]));
      const handlerErrors = errorHandlers
        .filter((handler) => chain.has(handler.owner))
        .flatMap((handler) => [...reach.ofExpression(handler.fn)]);
      const handler = route.handlers.at(-1);
      const appWide = of('header-read').filter(
        (read) => read.owner !== undefined && chain.has(read.owner),
      );
      const headersRead = [...effects, ...appWide].flatMap((fact) =>
        fact.kind === 'header-read' ? [fact.header] : [],
      );
      return {
        headersRead: [...new Set(headersRead)].sort(),
        route,
        path,
        ...(handler ? { handlerAt: locationOf(handler) } : {}),
        effects,
        ...authOf(before, reach, index, checks),
        responses: withDefaultSuccess(responsesOf([...effects, ...handlerErrors]), route),
        ...requestOf(route, effects),
      };
    }),
  );

  const bindings = of('binding');
  const consumers = of('consume').map((consume) => ({
    consume,
    ...(consume.handler ? { handlerAt: locationOf(consume.handler) } : {}),
    bindings: bindings.filter((binding) => sameText(binding.queue, consume.queue)),
    effects: consume.handler ? [...reach.ofExpression(consume.handler)] : [],
  }));
  const scopes = new TransactionScopes(of('transaction'), values);
  const transactional = new Set(of('sql').filter((fact) => scopes.contains(fact.node)));
  const socketEvents = of('socket-event').map((event) => ({
    event,
    effects: event.handler ? [...reach.ofExpression(event.handler)] : [],
  }));
  return {
    facts,
    transactional,
    routes,
    consumers,
    socketEvents,
    recoveries: findRecoveries(index, reach),
  };
}

/** Every chain of prefixes from a root app down to the route's owner: mounts and own prefixes. */
function prefixesOf(
  owner: TS.Node | undefined,
  mounts: MountFact[],
  own: (owner: TS.Node | undefined) => string[],
  seen = new Set<TS.Node>(),
): string[][] {
  const parents = owner && !seen.has(owner) ? mounts.filter((mount) => mount.child === owner) : [];
  if (owner) seen.add(owner);
  const above =
    parents.length === 0
      ? [[]]
      : parents.flatMap((mount) =>
          prefixesOf(mount.parent, mounts, own, seen).map((prefixes) => [
            ...prefixes,
            mount.prefix,
          ]),
        );
  return above.map((prefixes) => [...prefixes, ...own(owner)]);
}

function ownerChain(owner: TS.Node | undefined, mounts: MountFact[]): Set<TS.Node | undefined> {
  const chain = new Set<TS.Node | undefined>([owner]);
  const queue = [owner];
  while (queue.length > 0) {
    const current = queue.shift();
    for (const mount of mounts) {
      if (current !== undefined && mount.child === current && !chain.has(mount.parent)) {
        chain.add(mount.parent);
        queue.push(mount.parent);
      }
    }
  }
  return chain;
}

/** `/admin/*` covers `/admin` and everything below it; no pattern covers every route. */
function matchesPattern(pattern: string | undefined, paths: string[]): boolean {
  if (pattern === undefined) return true;
  const base = joinPaths(pattern.replace(/\*$/, ''));
  return paths.some((path) =>
    pattern.endsWith('*')
      ? path === base || path.startsWith(`${base === '/' ? '' : base}/`)
      : path === joinPaths(pattern),
  );
}

/** A bubbling hook as it also acts on each app its owner is mounted into, with the prefix. */
function bubbled(hook: HookFact, mounts: MountFact[], depth = 0): HookFact[] {
  if (!hook.bubbles || depth > 8) return [];
  return mounts
    .filter((mount) => mount.child !== undefined && mount.child === hook.owner)
    .flatMap((mount) => {
      const pattern = joinPaths(mount.prefix, hook.pattern ?? '*');
      const lifted: HookFact = { ...hook, owner: mount.parent, pattern };
      return [lifted, ...bubbled(lifted, mounts, depth + 1)];
    });
}

/**
 * Express runs `use(fn)` middleware only for what is registered after it on the same object; a
 * hook in a different file than the route or its mount is taken to apply.
 */
function appliesTo(hook: HookFact, route: RouteFact, mounts: MountFact[]): boolean {
  const sameFile = (node: TS.Node) => node.getSourceFile() === hook.node.getSourceFile();
  const laterThanHook = (node: TS.Node) => !sameFile(node) || node.pos > hook.node.pos;
  if (route.owner === hook.owner) return laterThanHook(route.node);
  const mount = mounts.find(
    (candidate) => candidate.parent === hook.owner && candidate.child !== undefined,
  );
  return mount ? laterThanHook(mount.node) : true;
}

/**
 * A route is protected when a handler before it reaches a credential check. Scopes come from
 * middleware factories called with literal arguments that reject with 403.
 */
/** Middleware made by an auth factory call (`expressjwt({ … })`) is that check. */
function madeBy(handler: TS.Expression, checks: AuthChecks): AuthFact | undefined {
  const value = checks.values.valueOf(handler);
  const site = value?.kind === 'library' ? value.site : undefined;
  return checks.bySite.get(handler) ?? (site ? checks.bySite.get(site) : undefined);
}

interface AuthChecks {
  values: Detection['values'];
  bySite: ReadonlyMap<TS.Node, AuthFact>;
  /** Hand-written middleware that answers 401, one check per middleware function. */
  custom: Map<TS.Node, AuthFact>;
  /** Session middleware set up in the project, to name the cookie a session check reads. */
  sessions: FactOf<'session'>[];
}

/** Middleware of the project's own that rejects with 401 is an auth check too. */
function customCheck(
  handler: TS.Expression,
  reached: Fact[],
  checks: AuthChecks,
): AuthFact | undefined {
  const rejection = reached.find((fact) => fact.kind === 'response' && fact.status === 401);
  // A class method named directly (a NestJS middleware's `use`) is that method.
  const method =
    ts.isIdentifier(handler) && ts.isMethodDeclaration(handler.parent) ? handler.parent : undefined;
  const value = method
    ? { kind: 'function' as const, node: method }
    : checks.values.valueOf(handler);
  if (!rejection || value?.kind !== 'function') return undefined;
  const known = checks.custom.get(value.node);
  if (known) return known;
  // A check that reads an API key header is an API-key check; one that reads the session, a
  // session check, signed and named as the package's session middleware says.
  const apiKey = reached.find(
    (fact) => fact.kind === 'header-read' && /api[-_]?key/.test(fact.header),
  );
  const sessionFields = reached.flatMap((fact) =>
    fact.kind === 'session-read' ? [fact.field] : [],
  );
  const session =
    !apiKey && sessionFields.length > 0
      ? checks.sessions.find((fact) => fact.packageDir === rejection.packageDir)
      : undefined;
  const check: AuthFact = {
    kind: 'auth',
    library: session?.library ?? 'custom',
    mechanism: apiKey ? 'api-key' : sessionFields.length > 0 ? 'session' : 'custom',
    ...(apiKey?.kind === 'header-read' ? { header: apiKey.header } : {}),
    ...(sessionFields.length > 0 ? { cookie: session?.cookie ?? 'unknown' } : {}),
    ...(session?.secret ? { secret: session.secret } : {}),
    claims: [...new Set(sessionFields)].sort(),
    fn: value.node,
    node: value.node,
    at: locationOf(value.node),
    packageDir: rejection.packageDir,
  };
  checks.custom.set(value.node, check);
  return check;
}

function authOf(
  handlers: TS.Expression[],
  reach: Reach,
  index: ProjectIndex,
  checks: AuthChecks,
): Pick<LinkedRoute, 'auth'> {
  let auth: Omit<NonNullable<LinkedRoute['auth']>, 'ownership'> | undefined;
  const scopes: string[] = [];
  const rejections: ResponseFact[] = [];
  const middleware = handlers.slice(0, -1);
  for (const handler of middleware) {
    const reached = [...reach.ofExpression(handler)];
    const check =
      reached.find((fact): fact is AuthFact => fact.kind === 'auth') ??
      madeBy(handler, checks) ??
      customCheck(handler, reached, checks);
    const rejects = reached.filter(
      (fact): fact is ResponseFact =>
        fact.kind === 'response' && (fact.status === 401 || fact.status === 403),
    );
    if (check && !auth) auth = { fact: check, scopes, rejections, at: locationOf(handler) };
    if (check || rejects.some((fact) => fact.status === 403)) rejections.push(...rejects);
    const factory = factoryCall(handler, index);
    if (rejects.some((fact) => fact.status === 403) && factory) {
      for (const argument of factory.arguments) {
        if (ts.isStringLiteralLike(argument)) scopes.push(argument.text);
      }
    }
  }
  if (!auth) return {};
  // A 403 the handler itself answers, past the middleware, is a check of who owns the resource.
  const last = handlers.at(-1);
  // A 403 translated from a downstream service's answer is not one (its function calls out).
  const callsOut = (fact: Fact) => {
    const fn = enclosingFunction(fact.node);
    return (
      fn !== undefined && [...reach.ofFunction(fn)].some((reached) => reached.kind === 'http-call')
    );
  };
  const ownership =
    last !== undefined &&
    [...reach.ofExpression(last)].some(
      (fact) =>
        fact.kind === 'response' &&
        fact.status === 403 &&
        !rejections.includes(fact) &&
        !callsOut(fact),
    );
  return { auth: { ...auth, ownership, rejections: responsesOf(rejections) } };
}

/** `requireScope('x')`, or a constant holding such a call (`const serviceOnly = requireScope(…)`). */
function factoryCall(handler: TS.Expression, index: ProjectIndex): TS.CallExpression | undefined {
  if (ts.isCallExpression(handler)) return handler;
  if (!ts.isIdentifier(handler)) return undefined;
  const file = index.fileOfNode(handler);
  const declaration = file && findDeclaration(handler, file.imports);
  const init = declaration?.kind === 'variable' ? declaration.node.initializer : undefined;
  // `const auth = require('./middlewares/auth')` loads a module; it makes no scoped check.
  return init && ts.isCallExpression(init) && requiredModule(init) === undefined ? init : undefined;
}

function responsesOf(facts: Fact[]): ResponseFact[] {
  const byKey = new Map<string, ResponseFact>();
  for (const fact of facts) {
    if (fact.kind !== 'response') continue;
    const key = `${fact.status} ${fact.code ?? ''}`;
    if (!byKey.has(key)) byKey.set(key, fact);
  }
  return [...byKey.values()].sort(
    (a, b) => a.status - b.status || (a.code ?? '').localeCompare(b.code ?? ''),
  );
}

/** A handler that never sets a status answers 200 when it succeeds. */
function withDefaultSuccess(responses: ResponseFact[], route: RouteFact): ResponseFact[] {
  if (responses.some((response) => response.status < 300)) return responses;
  const ok: ResponseFact = {
    kind: 'response',
    status: route.defaultStatus ?? 200,
    at: route.at,
    node: route.node,
    packageDir: route.packageDir,
  };
  return [ok, ...responses];
}

/** Input shapes: the route's own schema, or what its handlers validate (the first per part). */
function requestOf(route: RouteFact, effects: Fact[]): Pick<LinkedRoute, 'request'> {
  const request: NonNullable<LinkedRoute['request']> = {};
  if (route.requestBody) request.body = route.requestBody;
  for (const fact of effects) {
    if (fact.kind !== 'validation') continue;
    if (
      (fact.target === 'body' || fact.target === 'params' || fact.target === 'query') &&
      !request[fact.target]
    ) {
      request[fact.target] = fact.shape;
    }
  }
  return Object.keys(request).length > 0 ? { request } : {};
}

/**
 * A query runs inside a transaction when, in its function, it comes after a BEGIN with no
 * COMMIT or ROLLBACK in between; or when every call of its function does (a repository helper
 * given the transaction's client, a callback run by a `withTransaction` helper).
 */
class TransactionScopes {
  private readonly byFunction = new Map<TS.Node, TransactionFact[]>();
  private readonly memo = new Map<TS.Node, boolean>();

  constructor(
    statements: TransactionFact[],
    private readonly values: Detection['values'],
  ) {
    for (const statement of statements) {
      const scope = enclosingFunction(statement.node) ?? statement.node.getSourceFile();
      this.byFunction.set(scope, [...(this.byFunction.get(scope) ?? []), statement]);
    }
  }

  contains(node: TS.Node, depth = 0): boolean {
    if (depth > 6) return false;
    const fn = enclosingFunction(node);
    // Top-level code (a migration script) has its own order of statements too.
    if (!fn) return this.openAt(node.getSourceFile(), node.getStart());
    if (this.openAt(fn, node.getStart())) return true;
    const known = this.memo.get(fn);
    if (known !== undefined) return known;
    this.memo.set(fn, false);
    const calls = this.values.callsOf(fn);
    const inside = calls.length > 0 && calls.every((call) => this.contains(call, depth + 1));
    this.memo.set(fn, inside);
    return inside;
  }

  private openAt(fn: TS.Node, position: number): boolean {
    const statements = (this.byFunction.get(fn) ?? []).filter(
      (statement) => statement.node.getStart() < position,
    );
    const last = statements.sort((a, b) => a.node.getStart() - b.node.getStart()).at(-1);
    return last?.statement === 'begin';
  }
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}

function sameText(
  a: { parts: { kind: string }[] } | undefined,
  b: { parts: { kind: string }[] } | undefined,
): boolean {
  return a !== undefined && b !== undefined && JSON.stringify(a) === JSON.stringify(b);
}
