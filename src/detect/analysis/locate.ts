// Where a node is, as the map records it: the file relative to the project root and the line.
// Lines only: golden maps stay readable and survive reformatting within a line.
import type ts from 'typescript';
import type { Location } from '../../map/model.js';

export function locationOf(node: ts.Node): Location {
  const ast = node.getSourceFile();
  return {
    file: ast.fileName,
    line: ast.getLineAndCharacterOfPosition(node.getStart(ast)).line + 1,
  };
}
