// The nodes of a file by kind, in source order, collected by one walk and shared by all
// detectors. Each detector used to walk the whole tree itself; on a large project those walks
// cost more than parsing did. Iterating only the nodes of the kinds a detector reads is cheap.
// The same walk sets the parent links (the parser is asked not to, to save a walk).
import type * as TS from 'typescript';
import { ts } from '../../typescript.js';

interface Bucket {
  nodes: TS.Node[];
  /** Each node's place in the walk, to merge buckets back into source order. */
  order: number[];
}

interface FileNodes {
  /** Indexed by SyntaxKind (a small integer): cheaper per node than a Map. */
  byKind: (Bucket | undefined)[];
}

const tables = new WeakMap<TS.SourceFile, FileNodes>();

function tableOf(ast: TS.SourceFile): FileNodes {
  let table = tables.get(ast);
  if (table) return table;
  const byKind: (Bucket | undefined)[] = [];
  let walked = 0;
  const record = (node: TS.Node): void => {
    const bucket = byKind[node.kind];
    if (bucket) {
      bucket.nodes.push(node);
      bucket.order.push(walked);
    } else byKind[node.kind] = { nodes: [node], order: [walked] };
    walked += 1;
  };
  // One callback for the whole walk, the parent kept in a variable: a closure per node would be
  // a million allocations on a large project.
  let parent: TS.Node = ast;
  const visit = (child: TS.Node): void => {
    (child as { parent: TS.Node }).parent = parent;
    record(child);
    const outer = parent;
    parent = child;
    ts.forEachChild(child, visit);
    parent = outer;
  };
  record(ast);
  ts.forEachChild(ast, visit);
  table = { byKind };
  tables.set(ast, table);
  return table;
}

/** Walks a freshly parsed file once: parent links set, nodes sorted by kind for the detectors. */
export function indexNodes(ast: TS.SourceFile): void {
  tableOf(ast);
}

/** The nodes of one syntax kind, in source order. */
export function nodesOfKind<T extends TS.Node>(
  ast: TS.SourceFile,
  kind: TS.SyntaxKind,
): readonly T[] {
  return (tableOf(ast).byKind[kind]?.nodes ?? []) as T[];
}

/** Every call expression of the file, outer calls before the calls inside them. */
export function callExpressionsOf(ast: TS.SourceFile): readonly TS.CallExpression[] {
  return nodesOfKind<TS.CallExpression>(ast, ts.SyntaxKind.CallExpression);
}

/** The nodes of the given kinds, in source order. */
export function nodesOfKinds(ast: TS.SourceFile, kinds: ReadonlySet<TS.SyntaxKind>): TS.Node[] {
  const { byKind } = tableOf(ast);
  const buckets = [...kinds].flatMap((kind) => byKind[kind] ?? []);
  const next = buckets.map(() => 0);
  const merged: TS.Node[] = [];
  for (;;) {
    // A handful of buckets: picking the earliest head each time is cheaper than sorting.
    let pick = -1;
    for (let bucket = 0; bucket < buckets.length; bucket++) {
      const head = (buckets[bucket] as Bucket).order[next[bucket] as number];
      if (head === undefined) continue;
      if (pick < 0 || head < ((buckets[pick] as Bucket).order[next[pick] as number] as number))
        pick = bucket;
    }
    if (pick < 0) return merged;
    merged.push((buckets[pick] as Bucket).nodes[next[pick] as number] as TS.Node);
    next[pick] = (next[pick] as number) + 1;
  }
}
