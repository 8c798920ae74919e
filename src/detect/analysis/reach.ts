// Which facts an entry point (a route handler, a middleware, a message consumer) can cause: the
// facts inside its body, nested callbacks included, and, transitively, inside every function it
// calls that can be resolved, across files.
import type * as TS from 'typescript';
import { ts } from '../../typescript.js';
import type { Fact } from '../types.js';
import type { ProjectIndex } from './project-index.js';
import { findDeclaration } from './scope.js';
import { type FunctionNode, memberName, type ValueResolver } from './values.js';

export class Reach {
  private readonly factsByNode = new Map<TS.Node, Fact[]>();
  private readonly memo = new Map<TS.Node, ReadonlySet<Fact>>();
  private readonly inProgress = new Set<TS.Node>();
  private functionsByName: Map<string, FunctionNode[]> | undefined;

  constructor(
    private readonly index: ProjectIndex,
    private readonly values: ValueResolver,
    facts: readonly Fact[],
  ) {
    for (const fact of facts) {
      const list = this.factsByNode.get(fact.node) ?? [];
      list.push(fact);
      this.factsByNode.set(fact.node, list);
    }
  }

  /** Facts caused by running what `expression` evaluates to (a function, or a factory call). */
  ofExpression(expression: TS.Expression): ReadonlySet<Fact> {
    // Facts about the expression itself (a validator factory call names its schema there).
    const own = this.factsByNode.get(expression);
    if (own) return new Set([...own, ...this.ofExpressionBody(expression)]);
    return this.ofExpressionBody(expression);
  }

  private ofExpressionBody(expression: TS.Expression): ReadonlySet<Fact> {
    // A class method named directly (a NestJS handler): run the method.
    if (
      ts.isIdentifier(expression) &&
      ts.isMethodDeclaration(expression.parent) &&
      expression.parent.name === expression
    ) {
      return this.ofFunction(expression.parent);
    }
    const value = this.values.valueOf(expression);
    if (value?.kind === 'function') return this.ofFunction(value.node);
    if (ts.isCallExpression(expression)) return this.ofNode(expression);
    return new Set();
  }

  ofFunction(fn: FunctionNode): ReadonlySet<Fact> {
    return this.ofNode(fn);
  }

  /** Facts caused by running a piece of code: a block, a statement, a function. */
  ofNode(root: TS.Node): ReadonlySet<Fact> {
    const known = this.memo.get(root);
    if (known) return known;
    if (this.inProgress.has(root)) return new Set();
    this.inProgress.add(root);
    const found = new Set<Fact>();
    const visit = (node: TS.Node): void => {
      for (const fact of this.factsByNode.get(node) ?? []) found.add(fact);
      if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
        for (const callee of this.callees(node)) {
          for (const fact of this.ofNode(callee)) found.add(fact);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(root);
    this.inProgress.delete(root);
    this.memo.set(root, found);
    return found;
  }

  private callees(call: TS.CallExpression | TS.NewExpression): FunctionNode[] {
    const callee = call.expression;
    // Calling a parameter runs whatever the caller passed, and that callback sits in the
    // caller's own body, which is walked already; guessing one caller here would mix callers.
    if (ts.isIdentifier(callee) && this.isParameter(callee)) return [];
    const resolved = this.values.calleeFunction(call);
    if (resolved) return [resolved];
    // Interface-typed dependencies (`deps.orders.create()`) have no implementation in their
    // type; a method name defined once in the package is taken to be the one called. Not for
    // library objects (`req.get()` is express's, not some `get` of ours).
    if (!ts.isPropertyAccessExpression(callee)) return [];
    const receiver = this.values.valueOf(callee.expression);
    if (receiver && receiver.kind !== 'shape') return [];
    const file = this.index.fileOfNode(call);
    const candidates = this.definitionsNamed(callee.name.text).filter(
      (fn) => this.index.fileOfNode(fn)?.source.package === file?.source.package,
    );
    return candidates.length === 1 ? candidates : [];
  }

  private isParameter(identifier: TS.Identifier): boolean {
    const file = this.index.fileOfNode(identifier);
    return file !== undefined && findDeclaration(identifier, file.imports)?.kind === 'parameter';
  }

  private definitionsNamed(name: string): FunctionNode[] {
    if (!this.functionsByName) {
      this.functionsByName = new Map();
      for (const file of this.index.files) collectNamedFunctions(file.ast, this.functionsByName);
    }
    return this.functionsByName.get(name) ?? [];
  }
}

/** Methods of classes and object literals, and properties holding functions, by name. */
function collectNamedFunctions(ast: TS.SourceFile, into: Map<string, FunctionNode[]>): void {
  const add = (name: string | undefined, fn: FunctionNode) => {
    if (!name) return;
    into.set(name, [...(into.get(name) ?? []), fn]);
  };
  const visit = (node: TS.Node): void => {
    if (ts.isMethodDeclaration(node) && node.body) add(memberName(node), node);
    if (
      (ts.isPropertyAssignment(node) || ts.isPropertyDeclaration(node)) &&
      node.initializer &&
      (ts.isArrowFunction(node.initializer) || ts.isFunctionExpression(node.initializer))
    ) {
      add(memberName(node), node.initializer);
    }
    ts.forEachChild(node, visit);
  };
  visit(ast);
}
