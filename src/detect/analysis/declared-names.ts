// The names a file gives to things: variables, functions, classes, methods, object properties,
// imports, and members assigned (`exports.x = …`, `this.x = …`). A call can only resolve to one
// of the project's functions through such a name, so the call-site index skips calls of any
// other name (`rows.map`, `Number`, `res.json`): most calls of a large project.
import type * as TS from 'typescript';
import { ts } from '../../typescript.js';
import { nodesOfKinds } from './file-nodes.js';

const DECLARING = new Set([
  ts.SyntaxKind.VariableDeclaration,
  ts.SyntaxKind.FunctionDeclaration,
  ts.SyntaxKind.FunctionExpression,
  ts.SyntaxKind.ClassDeclaration,
  ts.SyntaxKind.ClassExpression,
  ts.SyntaxKind.MethodDeclaration,
  ts.SyntaxKind.PropertyDeclaration,
  ts.SyntaxKind.GetAccessor,
  ts.SyntaxKind.PropertyAssignment,
  ts.SyntaxKind.ShorthandPropertyAssignment,
  ts.SyntaxKind.BindingElement,
  ts.SyntaxKind.Parameter,
  ts.SyntaxKind.ImportSpecifier,
  ts.SyntaxKind.ExportSpecifier,
  ts.SyntaxKind.ImportClause,
  ts.SyntaxKind.NamespaceImport,
  ts.SyntaxKind.ImportEqualsDeclaration,
  ts.SyntaxKind.BinaryExpression,
]);

export function addDeclaredNames(ast: TS.SourceFile, into: Set<string>): void {
  for (const node of nodesOfKinds(ast, DECLARING)) {
    if (ts.isBinaryExpression(node)) {
      // `exports.handler = …`, `this.client = …`: a member by assignment.
      if (
        node.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
        ts.isPropertyAccessExpression(node.left)
      ) {
        into.add(node.left.name.text);
      }
      continue;
    }
    if (ts.isImportSpecifier(node) || ts.isExportSpecifier(node)) {
      if (node.propertyName) into.add(node.propertyName.text);
    }
    if (ts.isBindingElement(node) && node.propertyName && ts.isIdentifier(node.propertyName)) {
      into.add(node.propertyName.text);
    }
    const name = (node as TS.NamedDeclaration).name;
    // Destructuring patterns need nothing here: their BindingElements are visited on their own.
    if (name && (ts.isIdentifier(name) || ts.isStringLiteral(name))) into.add(name.text);
  }
}
