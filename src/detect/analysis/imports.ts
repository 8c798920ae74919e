// What each imported name of a file refers to: ESM imports, `import x = require()`, and CommonJS
// `require` (whole module or destructured). Namespace and default imports of a package both mean
// "the module itself", which is how CommonJS interop treats them.
import type * as TS from 'typescript';
import { ts } from '../../typescript.js';
import { nodesOfKind } from './file-nodes.js';

export interface ImportBinding {
  module: string;
  /** Member of the module the name is bound to; empty for the module itself. */
  member: string[];
}

export function collectImports(ast: TS.SourceFile): Map<string, ImportBinding> {
  const bindings = new Map<string, ImportBinding>();
  for (const statement of ast.statements) {
    if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier)) {
      addEsmImport(bindings, statement.moduleSpecifier.text, statement.importClause);
    } else if (
      ts.isImportEqualsDeclaration(statement) &&
      ts.isExternalModuleReference(statement.moduleReference) &&
      ts.isStringLiteral(statement.moduleReference.expression)
    ) {
      bindings.set(statement.name.text, {
        module: statement.moduleReference.expression.text,
        member: [],
      });
    }
  }
  for (const node of nodesOfKind<TS.VariableDeclaration>(ast, ts.SyntaxKind.VariableDeclaration)) {
    const required = node.initializer && requiredModule(node.initializer);
    if (required) addRequire(bindings, node.name, required);
  }
  return bindings;
}

function addEsmImport(
  bindings: Map<string, ImportBinding>,
  module: string,
  clause: TS.ImportClause | undefined,
): void {
  if (!clause) return;
  if (clause.name) bindings.set(clause.name.text, { module, member: [] });
  const named = clause.namedBindings;
  if (!named) return;
  if (ts.isNamespaceImport(named)) {
    bindings.set(named.name.text, { module, member: [] });
    return;
  }
  for (const element of named.elements) {
    const imported = (element.propertyName ?? element.name).text;
    bindings.set(element.name.text, { module, member: imported === 'default' ? [] : [imported] });
  }
}

function addRequire(
  bindings: Map<string, ImportBinding>,
  name: TS.BindingName,
  required: { module: string; member: string[] },
): void {
  if (ts.isIdentifier(name)) {
    bindings.set(name.text, required);
    return;
  }
  if (!ts.isObjectBindingPattern(name)) return;
  for (const element of name.elements) {
    if (!ts.isIdentifier(element.name)) continue;
    const property = element.propertyName ?? element.name;
    if (!ts.isIdentifier(property)) continue;
    bindings.set(element.name.text, {
      module: required.module,
      member: [...required.member, property.text],
    });
  }
}

/** `require('m')`, `require('m').x`, and `require('m').default`. */
export function requiredModule(
  expression: TS.Expression,
): { module: string; member: string[] } | undefined {
  if (ts.isPropertyAccessExpression(expression)) {
    const inner = requiredModule(expression.expression);
    if (!inner) return undefined;
    const name = expression.name.text;
    return name === 'default' ? inner : { module: inner.module, member: [...inner.member, name] };
  }
  if (
    ts.isCallExpression(expression) &&
    ts.isIdentifier(expression.expression) &&
    expression.expression.text === 'require' &&
    expression.arguments.length === 1
  ) {
    const [argument] = expression.arguments;
    if (argument && ts.isStringLiteralLike(argument)) return { module: argument.text, member: [] };
  }
  return undefined;
}
