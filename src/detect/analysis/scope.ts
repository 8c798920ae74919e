// Lexical lookup of the declaration an identifier refers to, without a type checker: walk outwards
// through the enclosing functions and blocks. Good enough for the code detectors care about; it
// ignores `var` hoisting out of nested blocks and `with`.
import type * as TS from 'typescript';
import { ts } from '../../typescript.js';
import type { ImportBinding } from './imports.js';

export type Declaration =
  | { kind: 'import'; binding: ImportBinding }
  | { kind: 'variable'; node: TS.VariableDeclaration; path: string[] }
  | { kind: 'parameter'; node: TS.ParameterDeclaration; path: string[] }
  | { kind: 'function'; node: TS.FunctionDeclaration | TS.FunctionExpression }
  | { kind: 'class'; node: TS.ClassDeclaration };

export function findDeclaration(
  identifier: TS.Identifier,
  imports: ReadonlyMap<string, ImportBinding>,
): Declaration | undefined {
  const name = identifier.text;
  for (let scope: TS.Node | undefined = identifier.parent; scope; scope = scope.parent) {
    const found = declarationIn(scope, name);
    if (found) return found;
    if (ts.isSourceFile(scope)) {
      const binding = imports.get(name);
      return binding ? { kind: 'import', binding } : undefined;
    }
  }
  return undefined;
}

function declarationIn(scope: TS.Node, name: string): Declaration | undefined {
  if (ts.isFunctionLike(scope)) {
    for (const parameter of scope.parameters) {
      const path = bindingPath(parameter.name, name);
      if (path) return { kind: 'parameter', node: parameter, path };
    }
    if (ts.isFunctionExpression(scope) && scope.name?.text === name) {
      return { kind: 'function', node: scope };
    }
    return undefined;
  }
  if (
    (ts.isForOfStatement(scope) || ts.isForInStatement(scope) || ts.isForStatement(scope)) &&
    scope.initializer &&
    ts.isVariableDeclarationList(scope.initializer)
  ) {
    return variableIn(scope.initializer, name);
  }
  if (ts.isCatchClause(scope) && scope.variableDeclaration) {
    const path = bindingPath(scope.variableDeclaration.name, name);
    return path ? { kind: 'variable', node: scope.variableDeclaration, path } : undefined;
  }
  return statementTable(scope)?.get(name);
}

// Lookups climb to the same blocks and files again and again; reading a block's declarations once
// and keeping them by name turns each later lookup there into one map access.
const tables = new WeakMap<TS.Node, Map<string, Declaration>>();

function statementTable(scope: TS.Node): Map<string, Declaration> | undefined {
  const known = tables.get(scope);
  if (known) return known;
  const statements = statementsOf(scope);
  if (!statements) return undefined;
  const table = new Map<string, Declaration>();
  // The first declaration of a name wins, as the lookup by name did.
  const add = (name: string, declaration: Declaration) => {
    if (!table.has(name)) table.set(name, declaration);
  };
  for (const statement of statements) {
    if (ts.isVariableStatement(statement)) {
      for (const node of statement.declarationList.declarations) {
        for (const [name, path] of boundNames(node.name, []))
          add(name, { kind: 'variable', node, path });
      }
    } else if (ts.isFunctionDeclaration(statement) && statement.name) {
      add(statement.name.text, { kind: 'function', node: statement });
    } else if (ts.isClassDeclaration(statement) && statement.name) {
      add(statement.name.text, { kind: 'class', node: statement });
    }
  }
  tables.set(scope, table);
  return table;
}

/** Every name a binding declares, with its path as `bindingPath` gives it. */
function boundNames(binding: TS.BindingName, prefix: string[]): [string, string[]][] {
  if (ts.isIdentifier(binding)) return [[binding.text, prefix]];
  const names: [string, string[]][] = [];
  if (ts.isObjectBindingPattern(binding)) {
    for (const element of binding.elements) {
      const property = element.propertyName ?? element.name;
      const key = ts.isIdentifier(property) || ts.isStringLiteral(property) ? property.text : '?';
      names.push(...boundNames(element.name, element.dotDotDotToken ? prefix : [...prefix, key]));
    }
    return names;
  }
  for (const [index, element] of binding.elements.entries()) {
    if (!ts.isOmittedExpression(element)) {
      names.push(...boundNames(element.name, [...prefix, String(index)]));
    }
  }
  return names;
}

function statementsOf(scope: TS.Node): readonly TS.Statement[] | undefined {
  if (ts.isSourceFile(scope) || ts.isBlock(scope) || ts.isModuleBlock(scope))
    return scope.statements;
  if (ts.isCaseClause(scope) || ts.isDefaultClause(scope)) return scope.statements;
  return undefined;
}

function variableIn(list: TS.VariableDeclarationList, name: string): Declaration | undefined {
  for (const declaration of list.declarations) {
    const path = bindingPath(declaration.name, name);
    if (path) return { kind: 'variable', node: declaration, path };
  }
  return undefined;
}

/**
 * Where `name` sits inside a binding: [] for a plain identifier, ['a', 'b'] for `{ a: { b } }`.
 * Array elements are recorded as their index.
 */
export function bindingPath(binding: TS.BindingName, name: string): string[] | undefined {
  if (ts.isIdentifier(binding)) return binding.text === name ? [] : undefined;
  if (ts.isObjectBindingPattern(binding)) {
    for (const element of binding.elements) {
      const inner = bindingPath(element.name, name);
      if (!inner) continue;
      const property = element.propertyName ?? element.name;
      const key = ts.isIdentifier(property) || ts.isStringLiteral(property) ? property.text : '?';
      return element.dotDotDotToken ? inner : [key, ...inner];
    }
    return undefined;
  }
  for (const [index, element] of binding.elements.entries()) {
    if (ts.isOmittedExpression(element)) continue;
    const inner = bindingPath(element.name, name);
    if (inner) return [String(index), ...inner];
  }
  return undefined;
}
