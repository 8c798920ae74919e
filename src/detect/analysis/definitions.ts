// The expression a name was defined with, in this file or the one it was imported from (ESM
// imports, `require` of a local module, destructured or not): how a schema defined in one file
// and used in another is read.
import type * as TS from 'typescript';
import { ts } from '../../typescript.js';
import { requiredModule } from './imports.js';
import type { ProjectIndex } from './project-index.js';
import { findDeclaration } from './scope.js';

export function definitionOf(
  index: ProjectIndex,
  expression: TS.Expression,
  depth = 0,
): TS.Expression | undefined {
  if (!ts.isIdentifier(expression) || depth > 8) return undefined;
  const file = index.fileOfNode(expression);
  const declaration = file && findDeclaration(expression, file.imports);
  if (!file || !declaration) return undefined;
  if (declaration.kind === 'variable') {
    const init = declaration.node.initializer;
    if (!init) return undefined;
    if (declaration.path.length === 0) return init;
    // `const { schema } = require('./schemas')`
    const required = requiredModule(init);
    const target = required && index.resolveModule(file.source.path, required.module);
    const name = declaration.path[0];
    return target && name
      ? exportedDefinition(index, index.exported(target, name), depth)
      : undefined;
  }
  if (declaration.kind !== 'import') return undefined;
  const target = index.resolveModule(file.source.path, declaration.binding.module);
  return target
    ? exportedDefinition(
        index,
        index.exported(target, declaration.binding.member[0] ?? 'default'),
        depth,
      )
    : undefined;
}

function exportedDefinition(
  index: ProjectIndex,
  node: TS.Node | undefined,
  depth: number,
): TS.Expression | undefined {
  if (!node) return undefined;
  if (ts.isVariableDeclaration(node)) return node.initializer;
  if (ts.isIdentifier(node)) return definitionOf(index, node, depth + 1) ?? node;
  return ts.isExpression(node) ? node : undefined;
}
