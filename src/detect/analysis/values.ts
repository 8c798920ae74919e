// Follows an expression back to where its value came from, across files: a library object (and
// the call that created it), an object literal, a function, a class or its instances, or a value
// known only by its declared type. This is how a detector knows that `deps.pool.query(…)` in one
// file runs on the `new Pool()` made in another, without a type checker.
import type * as TS from 'typescript';
import { ts } from '../../typescript.js';
import { addDeclaredNames } from './declared-names.js';
import { callExpressionsOf, nodesOfKind } from './file-nodes.js';
import type { IndexedFile, ProjectIndex } from './project-index.js';
import { findDeclaration } from './scope.js';

export type FunctionNode = TS.FunctionLikeDeclaration;

export type Value =
  /** Something a package made: `express()` is { module: 'express', path: ['()'] }. */
  | { kind: 'library'; module: string; path: string[]; site: TS.Node | undefined }
  | { kind: 'module'; file: IndexedFile }
  | { kind: 'object'; node: TS.ObjectLiteralExpression }
  | { kind: 'function'; node: FunctionNode }
  | { kind: 'class'; node: TS.ClassLikeDeclaration }
  | { kind: 'instance'; node: TS.ClassLikeDeclaration }
  /** A value known only by an interface or type literal. */
  | { kind: 'shape'; members: readonly TS.TypeElement[] };

const MAX_DEPTH = 24;

/** Where a function is called: a call, or a `new` that runs a constructor. */
export type CallSite = TS.CallExpression | TS.NewExpression;
const DECORATE = new Set(['decorate', 'decorateRequest', 'decorateReply']);
const PLUGIN_PARAMETER = /^(fastify|app|instance|server)$/;

export class ValueResolver {
  private readonly active = new Set<TS.Node>();
  /** Object literals whose spreads are being searched for a member. */
  private readonly spreading = new Set<TS.Node>();
  private readonly cache = new Map<TS.Node, Value | undefined>();
  private callSites: Map<TS.Node, CallSite[]> | undefined;
  private decorations: Map<string, TS.Expression> | undefined;
  /** True while the call-site index is built: parameters are not traced through callers then. */
  private indexing = false;

  constructor(private readonly index: ProjectIndex) {}

  valueOf(expression: TS.Expression): Value | undefined {
    const cached = this.cache.get(expression);
    if (cached !== undefined || this.cache.has(expression)) return cached;
    if (this.active.has(expression) || this.active.size > MAX_DEPTH) return undefined;
    this.active.add(expression);
    try {
      const value = this.compute(expression);
      // Answers found while indexing call sites may be incomplete; do not keep them.
      if (!this.indexing) this.cache.set(expression, value);
      return value;
    } finally {
      this.active.delete(expression);
    }
  }

  /** The functions a call may run: what its callee resolves to. */
  calleeFunction(call: TS.CallExpression | TS.NewExpression): FunctionNode | undefined {
    const callee = this.valueOf(call.expression);
    if (callee?.kind === 'function') return callee.node;
    if (callee?.kind === 'class' && ts.isNewExpression(call)) {
      return callee.node.members.find(ts.isConstructorDeclaration);
    }
    return undefined;
  }

  /** Every call in the project whose callee resolves to `fn` (a `new` for a constructor). */
  callsOf(fn: FunctionNode): readonly CallSite[] {
    if (this.indexing) return [];
    if (!this.callSites) this.callSites = this.buildCallSites();
    return [...(this.callSites.get(fn) ?? []), ...this.callbackCalls(fn)];
  }

  /**
   * A function passed as an argument (`inTransaction(pool, async (client) => …)`) is called
   * wherever the receiving function calls that parameter (`work(client)`).
   */
  private callbackCalls(fn: FunctionNode): TS.CallExpression[] {
    const outer = fn.parent;
    if (!ts.isCallExpression(outer)) return [];
    const position = outer.arguments.indexOf(fn as TS.Expression);
    const receiver = position >= 0 ? this.calleeFunction(outer) : undefined;
    const parameter = receiver?.parameters[position];
    if (!receiver?.body || !parameter || !ts.isIdentifier(parameter.name)) return [];
    const name = parameter.name.text;
    const calls: TS.CallExpression[] = [];
    const visit = (node: TS.Node): void => {
      if (
        ts.isCallExpression(node) &&
        ts.isIdentifier(node.expression) &&
        node.expression.text === name
      ) {
        calls.push(node);
      }
      ts.forEachChild(node, visit);
    };
    visit(receiver.body);
    return calls;
  }

  member(base: Value | undefined, name: string): Value | undefined {
    if (!base) return undefined;
    if (base.kind === 'library') {
      // Fastify plugins add members to the instance: `fastify.decorate('repo', makeRepo())`.
      const decorated = base.module === 'fastify' ? this.decoration(name) : undefined;
      if (decorated) return this.valueOf(decorated);
      return { ...base, path: [...base.path, name] };
    }
    if (base.kind === 'shape') {
      const member = base.members.find((candidate) => memberName(candidate) === name);
      if (member && ts.isPropertySignature(member) && member.type)
        return this.valueOfType(member.type);
      return undefined;
    }
    const node = this.memberNode(base, name);
    return node ? this.valueOfNode(node) : undefined;
  }

  /**
   * The node that defines a member of a value, when the source has one: the initializer of an
   * object property, an export, a class property or a `this.x = …` in a constructor.
   */
  memberNode(base: Value | undefined, name: string): TS.Node | undefined {
    switch (base?.kind) {
      case 'module': {
        // A named export, or a property of a default-exported object (`export default { a }`).
        const named = this.index.exported(base.file, name);
        if (named) return named;
        const fallback = this.index.exported(base.file, 'default');
        const value = fallback && ts.isExpression(fallback) ? this.valueOf(fallback) : undefined;
        return value?.kind === 'object' ? this.objectMemberNode(value.node, name) : undefined;
      }
      case 'object':
        return this.objectMemberNode(base.node, name);
      case 'instance':
        return this.instanceMemberNode(base.node, name);
      case 'class':
        return base.node.members.find((candidate) => memberName(candidate) === name);
      default:
        return undefined;
    }
  }

  private compute(expression: TS.Expression): Value | undefined {
    const inner = unwrap(expression);
    if (inner !== expression) return this.valueOf(inner);
    if (ts.isIdentifier(expression)) return this.valueOfIdentifier(expression);
    if (ts.isPropertyAccessExpression(expression)) {
      return this.member(this.valueOf(expression.expression), expression.name.text);
    }
    if (
      ts.isElementAccessExpression(expression) &&
      ts.isStringLiteralLike(expression.argumentExpression)
    ) {
      return this.member(this.valueOf(expression.expression), expression.argumentExpression.text);
    }
    if (ts.isCallExpression(expression)) return this.valueOfCall(expression);
    if (ts.isNewExpression(expression)) {
      const callee = this.valueOf(expression.expression);
      if (callee?.kind === 'library')
        return { ...callee, path: [...callee.path, 'new'], site: expression };
      if (callee?.kind === 'class') return { kind: 'instance', node: callee.node };
      return undefined;
    }
    if (ts.isObjectLiteralExpression(expression)) return { kind: 'object', node: expression };
    if (ts.isFunctionExpression(expression) || ts.isArrowFunction(expression)) {
      return { kind: 'function', node: expression };
    }
    if (ts.isClassExpression(expression)) return { kind: 'class', node: expression };
    if (expression.kind === ts.SyntaxKind.ThisKeyword) {
      const owner = enclosingClass(expression);
      return owner ? { kind: 'instance', node: owner } : undefined;
    }
    if (ts.isConditionalExpression(expression)) {
      return this.valueOf(expression.whenTrue) ?? this.valueOf(expression.whenFalse);
    }
    if (ts.isBinaryExpression(expression) && isFallbackOperator(expression.operatorToken.kind)) {
      return this.valueOf(expression.left) ?? this.valueOf(expression.right);
    }
    return undefined;
  }

  private valueOfCall(call: TS.CallExpression): Value | undefined {
    const callee = this.valueOf(call.expression);
    if (callee?.kind === 'library') return { ...callee, path: [...callee.path, '()'], site: call };
    if (callee?.kind === 'function') return this.returnValue(callee.node);
    const isImport = call.expression.kind === ts.SyntaxKind.ImportKeyword;
    if (isImport || (ts.isIdentifier(call.expression) && call.expression.text === 'require')) {
      const [argument] = call.arguments;
      const file = this.fileOf(call);
      if (argument && ts.isStringLiteralLike(argument) && file) {
        const local = this.index.resolveModule(file.source.path, argument.text);
        if (local) return this.moduleValue(local);
        return { kind: 'library', module: argument.text, path: [], site: undefined };
      }
    }
    return undefined;
  }

  private returnValue(fn: FunctionNode): Value | undefined {
    const body = fn.body;
    if (!body) return undefined;
    if (!ts.isBlock(body)) return this.valueOf(body);
    for (const returned of returnExpressions(body)) {
      const value = this.valueOf(returned);
      if (value) return value;
    }
    return undefined;
  }

  private valueOfIdentifier(identifier: TS.Identifier): Value | undefined {
    const file = this.fileOf(identifier);
    if (!file) return undefined;
    const declaration = findDeclaration(identifier, file.imports);
    if (!declaration) return undefined;
    switch (declaration.kind) {
      case 'import': {
        const { module, member } = declaration.binding;
        const local = this.index.resolveModule(file.source.path, module);
        if (!local) return { kind: 'library', module, path: member, site: undefined };
        const [first, ...rest] = member;
        let value: Value | undefined =
          first === undefined ? this.moduleValue(local) : this.exportValue(local, first);
        for (const name of rest) value = this.member(value, name);
        return value;
      }
      case 'variable': {
        const init = declaration.node.initializer;
        return init ? this.path(this.valueOf(init), declaration.path) : undefined;
      }
      case 'parameter':
        return this.path(this.parameterValue(declaration.node), declaration.path);
      case 'function':
        return { kind: 'function', node: declaration.node };
      case 'class':
        return { kind: 'class', node: declaration.node };
    }
  }

  /** `import x from './local.js'`: the default export, or the CommonJS `module.exports`. */
  private moduleValue(file: IndexedFile): Value {
    const fallback = this.index.exported(file, 'default');
    const value = fallback ? this.valueOfNode(fallback) : undefined;
    return value?.kind === 'object' || !value ? { kind: 'module', file } : value;
  }

  private exportValue(file: IndexedFile, name: string): Value | undefined {
    const exported = this.index.exported(file, name);
    return exported ? this.valueOfNode(exported) : undefined;
  }

  private path(value: Value | undefined, names: readonly string[]): Value | undefined {
    let current = value;
    for (const name of names) current = this.member(current, name);
    return current;
  }

  /**
   * What callers pass is the most concrete answer (it keeps the identity of the object passed);
   * the declared type is next, then the default value.
   */
  private parameterValue(parameter: TS.ParameterDeclaration): Value | undefined {
    const fn = parameter.parent;
    if (ts.isFunctionLike(fn) && 'body' in fn) {
      const position = fn.parameters.indexOf(parameter);
      for (const call of this.callsOf(fn as FunctionNode)) {
        const argument = call.arguments?.[position];
        const value = argument ? this.valueOf(argument) : undefined;
        if (value) return value;
      }
    }
    if (parameter.type) {
      const typed = this.valueOfType(parameter.type);
      if (typed) return typed;
    }
    const instance = this.pluginInstance(parameter);
    if (instance) return instance;
    return parameter.initializer ? this.valueOf(parameter.initializer) : undefined;
  }

  /**
   * The first parameter of a Fastify plugin is the instance, whoever registers it: a function
   * typed `FastifyPluginAsync` (or a type provider's variant), wrapped in `fastify-plugin`, or
   * passed to `register`. Its site is the plugin, the context it decorates and routes.
   */
  private pluginInstance(parameter: TS.ParameterDeclaration): Value | undefined {
    const fn = parameter.parent;
    if (!ts.isFunctionLike(fn) || fn.parameters[0] !== parameter) return undefined;
    if (this.isDefaultExportedPlugin(fn, parameter)) {
      return { kind: 'library', module: 'fastify', path: ['()'], site: fn };
    }
    if (!(ts.isArrowFunction(fn) || ts.isFunctionExpression(fn))) return undefined;
    const holder = fn.parent;
    const typedAsPlugin =
      ts.isVariableDeclaration(holder) &&
      holder.type !== undefined &&
      ts.isTypeReferenceNode(holder.type) &&
      /^Fastify\w*Plugin/.test(holder.type.typeName.getText());
    const wrapped =
      ts.isCallExpression(holder) &&
      holder.arguments[0] === fn &&
      (this.isLibrary(holder.expression, 'fastify-plugin') ||
        (ts.isPropertyAccessExpression(holder.expression) &&
          holder.expression.name.text === 'register'));
    return typedAsPlugin || wrapped
      ? { kind: 'library', module: 'fastify', path: ['()'], site: fn }
      : undefined;
  }

  /**
   * `export default async function (fastify) {…}` in a Fastify package: the shape of a plugin
   * loaded by `register(import('./routes.js'))` or autoload, which no call in the project shows.
   */
  private isDefaultExportedPlugin(fn: TS.SignatureDeclaration, parameter: TS.ParameterDeclaration) {
    const exported =
      (ts.isFunctionDeclaration(fn) &&
        (ts.getModifiers(fn) ?? []).some((m) => m.kind === ts.SyntaxKind.DefaultKeyword)) ||
      ts.isExportAssignment(fn.parent);
    return (
      exported &&
      fn.parameters.length <= 3 &&
      ts.isIdentifier(parameter.name) &&
      PLUGIN_PARAMETER.test(parameter.name.text) &&
      this.fileOf(fn)?.source.package.dependencies.has('fastify') === true
    );
  }

  private isLibrary(expression: TS.Expression, module: string): boolean {
    const value = this.valueOf(expression);
    return value?.kind === 'library' && value.module === module;
  }

  valueOfType(type: TS.TypeNode): Value | undefined {
    if (ts.isTypeLiteralNode(type)) return { kind: 'shape', members: type.members };
    if (ts.isUnionTypeNode(type)) {
      for (const member of type.types) {
        const value = this.valueOfType(member);
        if (value) return value;
      }
      return undefined;
    }
    if (!ts.isTypeReferenceNode(type)) return undefined;
    const names = entityNames(type.typeName);
    const [head, ...rest] = names;
    if (head === undefined) return undefined;
    const returned = this.returnTypeOf(type);
    if (returned !== false) return returned;
    const file = this.fileOf(type);
    if (!file) return undefined;
    const local = localTypeDeclaration(file.ast, head);
    if (local) return this.valueOfTypeDeclaration(local);
    const binding = file.imports.get(head);
    if (!binding) return undefined;
    const target = this.index.resolveModule(file.source.path, binding.module);
    if (!target) {
      return {
        kind: 'library',
        module: binding.module,
        path: [...binding.member, ...rest, 'new'],
        site: undefined,
      };
    }
    const exportedName = binding.member[0] ?? rest[0] ?? 'default';
    const declaration = this.exportedType(target, exportedName);
    return declaration ? this.valueOfTypeDeclaration(declaration) : undefined;
  }

  /** A type a file declares, or re-exports from another (`export { IUser } from './user'`). */
  private exportedType(file: IndexedFile, name: string, depth = 0): TypeDeclaration | undefined {
    const local = localTypeDeclaration(file.ast, name);
    if (local || depth > 8) return local;
    for (const statement of file.ast.statements) {
      if (
        !ts.isExportDeclaration(statement) ||
        !statement.moduleSpecifier ||
        !ts.isStringLiteral(statement.moduleSpecifier)
      ) {
        continue;
      }
      const clause = statement.exportClause;
      const element =
        clause && ts.isNamedExports(clause)
          ? clause.elements.find((candidate) => candidate.name.text === name)
          : undefined;
      if (clause && !element) continue;
      const target = this.index.resolveModule(file.source.path, statement.moduleSpecifier.text);
      const found =
        target &&
        this.exportedType(
          target,
          (element?.propertyName ?? element?.name)?.text ?? name,
          depth + 1,
        );
      if (found) return found;
    }
    return undefined;
  }

  /** `ReturnType<typeof createClient>` is what `createClient` returns; false for other types. */
  private returnTypeOf(type: TS.TypeReferenceNode): Value | undefined | false {
    const [argument] = type.typeArguments ?? [];
    const name = type.typeName;
    if (
      !ts.isIdentifier(name) ||
      name.text !== 'ReturnType' ||
      !argument ||
      !ts.isTypeQueryNode(argument)
    ) {
      return false;
    }
    if (!ts.isIdentifier(argument.exprName)) return undefined;
    const fn = this.valueOf(argument.exprName);
    return fn?.kind === 'function' ? this.returnValue(fn.node) : undefined;
  }

  private valueOfTypeName(identifier: TS.Identifier): Value | undefined {
    const file = this.fileOf(identifier);
    if (!file) return undefined;
    const local = localTypeDeclaration(file.ast, identifier.text);
    if (local) return this.valueOfTypeDeclaration(local);
    const binding = file.imports.get(identifier.text);
    const target = binding && this.index.resolveModule(file.source.path, binding.module);
    const declaration = target && this.exportedType(target, binding.member[0] ?? 'default');
    return declaration ? this.valueOfTypeDeclaration(declaration) : undefined;
  }

  private valueOfTypeDeclaration(declaration: TypeDeclaration): Value | undefined {
    if (ts.isInterfaceDeclaration(declaration)) {
      // Members of extended interfaces are members too.
      const inherited = (declaration.heritageClauses ?? []).flatMap((clause) =>
        clause.types.flatMap((base) => {
          const value = ts.isIdentifier(base.expression)
            ? this.valueOfTypeName(base.expression)
            : undefined;
          return value?.kind === 'shape' ? value.members : [];
        }),
      );
      return { kind: 'shape', members: [...declaration.members, ...inherited] };
    }
    if (ts.isClassDeclaration(declaration)) return { kind: 'instance', node: declaration };
    return this.valueOfType(declaration.type);
  }

  private valueOfNode(node: TS.Node): Value | undefined {
    if (ts.isExpression(node)) return this.valueOf(node);
    if (ts.isVariableDeclaration(node))
      return node.initializer ? this.valueOf(node.initializer) : undefined;
    if (ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node))
      return { kind: 'function', node };
    if (ts.isClassDeclaration(node)) return { kind: 'class', node };
    if (ts.isPropertyDeclaration(node)) {
      if (node.initializer) return this.valueOf(node.initializer);
      return node.type ? this.valueOfType(node.type) : undefined;
    }
    if (ts.isGetAccessorDeclaration(node)) return this.returnValue(node);
    if (ts.isParameter(node)) return this.parameterValue(node);
    return undefined;
  }

  private objectMemberNode(node: TS.ObjectLiteralExpression, name: string): TS.Node | undefined {
    // `state = { ...state, ready: true }`: a spread can lead back to the object itself.
    if (this.spreading.has(node) || this.spreading.size > MAX_DEPTH) return undefined;
    this.spreading.add(node);
    try {
      return this.ownOrSpreadMember(node, name);
    } finally {
      this.spreading.delete(node);
    }
  }

  private ownOrSpreadMember(node: TS.ObjectLiteralExpression, name: string): TS.Node | undefined {
    for (const property of [...node.properties].reverse()) {
      if (ts.isSpreadAssignment(property)) {
        const spread = this.memberNode(this.valueOf(property.expression), name);
        if (spread) return spread;
        continue;
      }
      if (memberName(property) !== name) continue;
      if (ts.isPropertyAssignment(property)) return property.initializer;
      if (ts.isShorthandPropertyAssignment(property)) return property.name;
      if (ts.isMethodDeclaration(property)) return property;
    }
    return undefined;
  }

  private instanceMemberNode(node: TS.ClassLikeDeclaration, name: string): TS.Node | undefined {
    for (const member of node.members) {
      if (memberName(member) === name) return member;
      if (ts.isConstructorDeclaration(member)) {
        const found = constructorMemberNode(member, name);
        if (found) return found;
      }
    }
    return undefined;
  }

  private fileOf(node: TS.Node): IndexedFile | undefined {
    return this.index.fileOfNode(node);
  }

  /**
   * Two passes: first every callee that resolves without following parameters; then, with that
   * index in hand, the calls made through parameters (`deps.events.orderCreated()` where `deps`
   * is injected). Answers cached while the index was partial are dropped.
   */
  /** What `decorate('name', value)` (fastify, any plugin of the project) sets `name` to. */
  private decoration(name: string): TS.Expression | undefined {
    if (!this.decorations) {
      this.decorations = new Map();
      for (const file of this.index.files) {
        for (const call of callExpressionsOf(file.ast)) {
          const [key, value] = call.arguments;
          if (
            ts.isPropertyAccessExpression(call.expression) &&
            DECORATE.has(call.expression.name.text) &&
            key &&
            ts.isStringLiteralLike(key) &&
            value &&
            !this.decorations.has(key.text)
          ) {
            this.decorations.set(key.text, value);
          }
        }
      }
    }
    return this.decorations.get(name);
  }

  private buildCallSites(): Map<TS.Node, CallSite[]> {
    const sites = new Map<TS.Node, CallSite[]>();
    const unresolved: CallSite[] = [];
    const add = (call: CallSite, callee: Value | undefined): boolean => {
      // `new Client(url)` calls the class's constructor.
      const fn =
        callee?.kind === 'function'
          ? callee.node
          : callee?.kind === 'class' && ts.isNewExpression(call)
            ? callee.node.members.find(ts.isConstructorDeclaration)
            : undefined;
      if (!fn) return false;
      const known = sites.get(fn);
      if (known) known.push(call);
      else sites.set(fn, [call]);
      return true;
    };
    const declared = new Set<string>();
    for (const file of this.index.files) addDeclaredNames(file.ast, declared);
    this.indexing = true;
    try {
      for (const file of this.index.files) {
        const sitesOfFile = [
          ...callExpressionsOf(file.ast),
          ...nodesOfKind<TS.NewExpression>(file.ast, ts.SyntaxKind.NewExpression),
        ];
        for (const node of sitesOfFile) {
          const callee = node.expression;
          const name = ts.isIdentifier(callee)
            ? callee.text
            : ts.isPropertyAccessExpression(callee)
              ? callee.name.text
              : undefined;
          if (name === undefined || !declared.has(name)) continue;
          if (!add(node, this.valueOfCallee(callee))) unresolved.push(node);
        }
      }
    } finally {
      this.indexing = false;
    }
    this.callSites = sites;
    for (const call of unresolved) {
      if (ts.isPropertyAccessExpression(call.expression))
        add(call, this.valueOfCallee(call.expression));
    }
    this.cache.clear();
    return sites;
  }

  // Building the call-site index must not itself ask for call sites (parameter values), or it
  // would recurse; callees are names and member chains, which rarely need them.
  private valueOfCallee(expression: TS.Expression): Value | undefined {
    if (ts.isIdentifier(expression) || ts.isPropertyAccessExpression(expression)) {
      return this.valueOf(expression);
    }
    return undefined;
  }
}

/** `constructor(private pool: Pool)` and `this.pool = pool` inside a constructor. */
function constructorMemberNode(ctor: TS.ConstructorDeclaration, name: string): TS.Node | undefined {
  for (const parameter of ctor.parameters) {
    const isProperty = (ts.getModifiers(parameter) ?? []).length > 0;
    if (isProperty && ts.isIdentifier(parameter.name) && parameter.name.text === name)
      return parameter;
  }
  for (const statement of ctor.body?.statements ?? []) {
    if (!ts.isExpressionStatement(statement) || !ts.isBinaryExpression(statement.expression))
      continue;
    const { left, right, operatorToken } = statement.expression;
    if (
      operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      ts.isPropertyAccessExpression(left) &&
      left.expression.kind === ts.SyntaxKind.ThisKeyword &&
      left.name.text === name
    ) {
      return right;
    }
  }
  return undefined;
}

type TypeDeclaration = TS.InterfaceDeclaration | TS.TypeAliasDeclaration | TS.ClassDeclaration;

function localTypeDeclaration(ast: TS.SourceFile, name: string): TypeDeclaration | undefined {
  for (const statement of ast.statements) {
    if (
      (ts.isInterfaceDeclaration(statement) ||
        ts.isTypeAliasDeclaration(statement) ||
        ts.isClassDeclaration(statement)) &&
      statement.name?.text === name
    ) {
      return statement;
    }
  }
  return undefined;
}

function entityNames(name: TS.EntityName): string[] {
  return ts.isIdentifier(name) ? [name.text] : [...entityNames(name.left), name.right.text];
}

export function memberName(node: TS.Node): string | undefined {
  const name = (node as { name?: TS.Node }).name;
  if (!name) return undefined;
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isPrivateIdentifier(name))
    return name.text;
  return undefined;
}

export function unwrap(expression: TS.Expression): TS.Expression {
  if (
    ts.isParenthesizedExpression(expression) ||
    ts.isAsExpression(expression) ||
    ts.isNonNullExpression(expression) ||
    ts.isAwaitExpression(expression) ||
    ts.isSatisfiesExpression(expression) ||
    ts.isTypeAssertionExpression(expression)
  ) {
    return unwrap(expression.expression);
  }
  return expression;
}

function isFallbackOperator(kind: TS.SyntaxKind): boolean {
  return kind === ts.SyntaxKind.QuestionQuestionToken || kind === ts.SyntaxKind.BarBarToken;
}

function enclosingClass(node: TS.Node): TS.ClassLikeDeclaration | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (ts.isClassLike(current)) return current;
    // `this` inside a plain function is not the class's instance.
    if (ts.isFunctionDeclaration(current) || ts.isFunctionExpression(current)) return undefined;
  }
  return undefined;
}

/** Expressions a function body returns, not counting nested functions. */
export function returnExpressions(body: TS.Block): TS.Expression[] {
  const found: TS.Expression[] = [];
  const visit = (node: TS.Node): void => {
    if (ts.isFunctionLike(node)) return;
    if (ts.isReturnStatement(node) && node.expression) found.push(node.expression);
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(body, visit);
  return found;
}
