// Every node of a file in source order, collected by one walk and shared by all detectors. Each
// detector used to walk the whole tree itself; on a large project those walks cost more than
// parsing did. Iterating an array, or only the nodes of the kinds a detector reads, is cheap.
import type * as TS from 'typescript';
import { ts } from '../../typescript.js';

interface FileNodes {
  all: TS.Node[];
  byKind: Map<TS.SyntaxKind, TS.Node[]>;
}

const tables = new WeakMap<TS.SourceFile, FileNodes>();

function tableOf(ast: TS.SourceFile): FileNodes {
  let table = tables.get(ast);
  if (table) return table;
  const all: TS.Node[] = [];
  const byKind = new Map<TS.SyntaxKind, TS.Node[]>();
  const visit = (node: TS.Node): void => {
    all.push(node);
    const bucket = byKind.get(node.kind);
    if (bucket) bucket.push(node);
    else byKind.set(node.kind, [node]);
    ts.forEachChild(node, visit);
  };
  visit(ast);
  table = { all, byKind };
  tables.set(ast, table);
  return table;
}

/** The file and every node under it, parents before children, in source order. */
export function nodesOf(ast: TS.SourceFile): readonly TS.Node[] {
  return tableOf(ast).all;
}

/** The nodes of one syntax kind, in source order. */
export function nodesOfKind<T extends TS.Node>(
  ast: TS.SourceFile,
  kind: TS.SyntaxKind,
): readonly T[] {
  return (tableOf(ast).byKind.get(kind) ?? []) as T[];
}

/** Every call expression of the file, outer calls before the calls inside them. */
export function callExpressionsOf(ast: TS.SourceFile): readonly TS.CallExpression[] {
  return nodesOfKind<TS.CallExpression>(ast, ts.SyntaxKind.CallExpression);
}
