// OpenAPI documents (openapi.yaml/json, swagger.yaml/json): the request body schema of each
// operation, with its line, to give routes whose code declares no schema their shape.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { isMap, isScalar, LineCounter, parseDocument } from 'yaml';
import type { Location, Unrecognised } from '../map/model.js';

export interface OpenApiOperation {
  method: string;
  /** The path with `{id}` written as `:id`, as routers write it. */
  path: string;
  body?: { schema: Record<string, unknown>; at: Location };
}

const NAMES = /^(openapi|swagger)\.(ya?ml|json)$/;

export async function readOpenApi(
  root: string,
  files: string[],
  notes: Unrecognised[],
): Promise<OpenApiOperation[]> {
  const operations: OpenApiOperation[] = [];
  for (const file of files.filter((candidate) => NAMES.test(path.posix.basename(candidate)))) {
    const lines = new LineCounter();
    const document = parseDocument(await readFile(path.join(root, file), 'utf8'), {
      lineCounter: lines,
    });
    if (document.errors.length > 0) {
      notes.push({
        kind: 'unreadable-openapi',
        message: document.errors[0]?.message ?? 'invalid',
        at: { file, line: 1 },
      });
      continue;
    }
    const paths = document.get('paths');
    if (!isMap(paths)) continue;
    for (const entry of paths.items) {
      if (!isScalar(entry.key) || !isMap(entry.value)) continue;
      const routePath = String(entry.key.value).replace(/\{([^}]+)\}/g, ':$1');
      for (const method of entry.value.items) {
        if (!isScalar(method.key) || !isMap(method.value)) continue;
        const schemaNode = method.value.getIn(
          ['requestBody', 'content', 'application/json', 'schema'],
          true,
        );
        const operation: OpenApiOperation = {
          method: String(method.key.value).toUpperCase(),
          path: routePath,
        };
        if (isMap(schemaNode)) {
          const line = lines.linePos(schemaNode.range?.[0] ?? 0).line;
          operation.body = {
            schema: schemaNode.toJSON() as Record<string, unknown>,
            at: { file, line },
          };
        }
        operations.push(operation);
      }
    }
  }
  return operations;
}
