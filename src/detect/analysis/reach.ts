// Which facts an entry point (a route handler, a middleware, a message consumer) can cause: the
// facts inside its body, nested callbacks included, and, transitively, inside every function it
// calls that can be resolved, across files.
import type * as TS from 'typescript';
import { ts } from '../../typescript.js';
import type { Fact } from '../types.js';
import { callExpressionsOf, nodesOfKind, nodesOfKinds } from './file-nodes.js';
import type { ProjectIndex } from './project-index.js';
import { findDeclaration } from './scope.js';
import { type FunctionNode, memberName, unwrap, type ValueResolver } from './values.js';

/** A fact, or a call whose callee's facts count too, at a place in a file. */
interface Step {
  node: TS.Node;
  fact?: Fact;
  call?: TS.CallExpression | TS.NewExpression;
}

/** The index of the first step starting at or after `pos` (steps are sorted by position). */
function firstAtOrAfter(steps: readonly Step[], pos: number): number {
  let low = 0;
  let high = steps.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((steps[middle] as Step).node.pos < pos) low = middle + 1;
    else high = middle;
  }
  return low;
}

export class Reach {
  private readonly factsByNode = new Map<TS.Node, Fact[]>();
  private readonly memo = new Map<TS.Node, ReadonlySet<Fact>>();
  private readonly inProgress = new Set<TS.Node>();
  private functionsByName: Map<string, FunctionNode[]> | undefined;
  /** Classes by the interfaces they implement. */
  private implementers: Map<string, TS.ClassDeclaration[]> | undefined;
  private readonly factsByFile = new Map<TS.SourceFile, Fact[]>();
  private readonly stepsByFile = new Map<TS.SourceFile, Step[]>();

  constructor(
    private readonly index: ProjectIndex,
    private readonly values: ValueResolver,
    facts: readonly Fact[],
  ) {
    for (const fact of facts) {
      const list = this.factsByNode.get(fact.node) ?? [];
      list.push(fact);
      this.factsByNode.set(fact.node, list);
      const ast = fact.node.getSourceFile();
      const inFile = this.factsByFile.get(ast) ?? [];
      inFile.push(fact);
      this.factsByFile.set(ast, inFile);
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
    if (value?.kind === 'function') {
      // `const getUser = catchAsync(async (req, res) => …)`: the wrapper's returned function
      // runs the one it was given, which sits in the wrapping call.
      const made = this.wrappingCall(expression);
      if (!made) return this.ofFunction(value.node);
      return new Set([...this.ofFunction(value.node), ...this.ofNode(made)]);
    }
    if (ts.isCallExpression(expression)) return this.ofNode(expression);
    return new Set();
  }

  /** The call that made a handler, when it was given a function: `wrap(async (req, res) => …)`. */
  private wrappingCall(expression: TS.Expression, depth = 0): TS.CallExpression | undefined {
    const node = unwrap(expression);
    if (depth > 6) return undefined;
    if (ts.isCallExpression(node)) {
      const givenFunction = node.arguments.some(
        (argument) => this.values.valueOf(argument)?.kind === 'function',
      );
      return givenFunction ? node : undefined;
    }
    let defined: TS.Node | undefined;
    if (ts.isIdentifier(node)) {
      const file = this.index.fileOfNode(node);
      const declaration = file && findDeclaration(node, file.imports);
      if (declaration?.kind === 'variable' && declaration.path.length === 0)
        defined = declaration.node.initializer;
    } else if (ts.isPropertyAccessExpression(node)) {
      defined = this.values.memberNode(this.values.valueOf(node.expression), node.name.text);
    }
    if (!defined || defined === node) return undefined;
    if (ts.isVariableDeclaration(defined)) defined = defined.initializer;
    return defined && ts.isExpression(defined) ? this.wrappingCall(defined, depth + 1) : undefined;
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
    for (const step of this.stepsUnder(root)) {
      if (step.fact) found.add(step.fact);
      else if (step.call) {
        for (const callee of this.callees(step.call)) {
          for (const fact of this.ofNode(callee)) found.add(fact);
        }
      }
    }
    this.inProgress.delete(root);
    this.memo.set(root, found);
    return found;
  }

  /**
   * The facts and calls inside `root`, in source order, found by position in the file's sorted
   * lists rather than by walking its subtree: entry points share most of the code they reach.
   */
  private stepsUnder(root: TS.Node): Step[] {
    const ast = root.getSourceFile();
    let steps = this.stepsByFile.get(ast);
    if (!steps) {
      const all: Step[] = [
        ...(this.factsByFile.get(ast) ?? []).map((fact) => ({ node: fact.node, fact })),
        ...callExpressionsOf(ast).map((call) => ({ node: call, call })),
        ...nodesOfKind<TS.NewExpression>(ast, ts.SyntaxKind.NewExpression).map((call) => ({
          node: call,
          call,
        })),
      ];
      steps = all.sort(
        (a, b) =>
          a.node.pos - b.node.pos || b.node.end - a.node.end || (a.fact ? -1 : b.fact ? 1 : 0),
      );
      this.stepsByFile.set(ast, steps);
    }
    const inside: Step[] = [];
    for (let at = firstAtOrAfter(steps, root.pos); at < steps.length; at++) {
      const step = steps[at] as Step;
      if (step.node.pos >= root.end) break;
      if (step.node.end <= root.end) inside.push(step);
    }
    return inside;
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
    // An interface-typed receiver runs the method of the class that implements the interface.
    const implemented = receiver ? this.implementationOf(receiver.members, callee.name.text) : [];
    if (implemented.length === 1) return implemented;
    const file = this.index.fileOfNode(call);
    const candidates = this.definitionsNamed(callee.name.text).filter(
      (fn) => this.index.fileOfNode(fn)?.source.package === file?.source.package,
    );
    return candidates.length === 1 ? candidates : [];
  }

  private implementationOf(members: readonly TS.TypeElement[], name: string): FunctionNode[] {
    const owner = members[0]?.parent;
    if (!owner || !ts.isInterfaceDeclaration(owner)) return [];
    if (!this.implementers) {
      this.implementers = new Map();
      for (const file of this.index.files) {
        for (const node of nodesOfKind<TS.ClassDeclaration>(
          file.ast,
          ts.SyntaxKind.ClassDeclaration,
        )) {
          for (const clause of node.heritageClauses ?? []) {
            if (clause.token !== ts.SyntaxKind.ImplementsKeyword) continue;
            for (const type of clause.types) {
              const interfaceName = type.expression.getText();
              const known = this.implementers.get(interfaceName);
              if (known) known.push(node);
              else this.implementers.set(interfaceName, [node]);
            }
          }
        }
      }
    }
    return (this.implementers.get(owner.name.text) ?? []).flatMap((candidate) =>
      candidate.members.filter(
        (member): member is TS.MethodDeclaration =>
          ts.isMethodDeclaration(member) &&
          member.body !== undefined &&
          memberName(member) === name,
      ),
    );
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
    const known = into.get(name);
    if (known) known.push(fn);
    else into.set(name, [fn]);
  };
  for (const node of nodesOfKinds(ast, MEMBERS)) {
    if (ts.isMethodDeclaration(node) && node.body) add(memberName(node), node);
    if (
      (ts.isPropertyAssignment(node) || ts.isPropertyDeclaration(node)) &&
      node.initializer &&
      (ts.isArrowFunction(node.initializer) || ts.isFunctionExpression(node.initializer))
    ) {
      add(memberName(node), node.initializer);
    }
  }
}

const MEMBERS = new Set([
  ts.SyntaxKind.MethodDeclaration,
  ts.SyntaxKind.PropertyAssignment,
  ts.SyntaxKind.PropertyDeclaration,
]);
