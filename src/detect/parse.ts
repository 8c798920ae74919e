// Parses one source file with the TypeScript compiler's parser (no type checking: it is the
// expensive part and detectors do not need it).
import type * as TS from 'typescript';
import type { SourceFile } from '../project/types.js';
import { ts } from '../typescript.js';
import { indexNodes } from './analysis/file-nodes.js';

const SCRIPT_KINDS: Record<string, TS.ScriptKind> = {
  '.ts': ts.ScriptKind.TS,
  '.mts': ts.ScriptKind.TS,
  '.cts': ts.ScriptKind.TS,
  '.tsx': ts.ScriptKind.TSX,
  '.jsx': ts.ScriptKind.JSX,
};

export interface ParsedFile {
  source: SourceFile;
  ast: TS.SourceFile;
}

export interface ParseResult {
  parsed: ParsedFile;
  /** The first syntax error, if any: detectors still run on what the parser recovered. */
  syntaxError?: { message: string; line: number };
}

export function parseSource(source: SourceFile): ParseResult {
  const extension = source.path.slice(source.path.lastIndexOf('.'));
  const ast = ts.createSourceFile(
    source.path,
    source.text,
    // No detector reads JSDoc; skipping it saves a good part of the parse on documented code.
    { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone },
    // Parent links are set by the one walk that lists the file's nodes, not by a walk of its own.
    false,
    SCRIPT_KINDS[extension] ?? ts.ScriptKind.JS,
  );
  indexNodes(ast);
  const parsed = { source, ast };
  // The parser records syntax errors on the file; the public API only exposes them via a Program.
  const diagnostics = (ast as unknown as { parseDiagnostics?: TS.Diagnostic[] }).parseDiagnostics;
  const first = diagnostics?.[0];
  if (!first) return { parsed };
  const line = ast.getLineAndCharacterOfPosition(first.start ?? 0).line + 1;
  return {
    parsed,
    syntaxError: { message: ts.flattenDiagnosticMessageText(first.messageText, ' '), line },
  };
}
