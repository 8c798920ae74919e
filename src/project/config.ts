// The components file: what analysis cannot know about the system, said by the user. Read from
// seamtest.config.json, or from seamtest.config.ts/.js/.mjs written with `defineConfig({ … })`;
// the latter is read statically (its object literal), never executed.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type * as TS from 'typescript';
import { z } from 'zod';
import { firstIssue, SeamtestError } from '../errors.js';
import { ComponentKind, Configured } from '../map/model.js';
import { ts } from '../typescript.js';

export const ComponentRule = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'ids are lower-case letters, digits and dashes'),
  name: z.string().optional(),
  kind: ComponentKind.optional().describe("e.g. 'third-party' or 'service' (internal)"),
  reachedBy: Configured.optional(),
  /** Components found by analysis that are really this one. */
  merge: z.array(z.string()).optional(),
  /** Leave the component, and every boundary to or from it, out of the map. */
  ignore: z.boolean().optional(),
});

export const SeamtestConfig = z.strictObject({
  components: z.array(ComponentRule).default([]),
});

export type ComponentRule = z.infer<typeof ComponentRule>;
export type SeamtestConfig = z.infer<typeof SeamtestConfig>;

/** Identity, for type checking a seamtest.config.ts. */
export function defineConfig(
  config: z.input<typeof SeamtestConfig>,
): z.input<typeof SeamtestConfig> {
  return config;
}

const CONFIG_FILES = [
  'seamtest.config.json',
  'seamtest.config.ts',
  'seamtest.config.mjs',
  'seamtest.config.js',
];

export async function loadConfig(root: string): Promise<{ config: SeamtestConfig; file?: string }> {
  for (const name of CONFIG_FILES) {
    const text = await readFile(path.join(root, name), 'utf8').catch(() => undefined);
    if (text === undefined) continue;
    const raw = name.endsWith('.json') ? parseJson(name, text) : readDefineConfig(name, text);
    const result = SeamtestConfig.safeParse(raw);
    if (!result.success) {
      const where = firstIssue(result.error);
      throw new SeamtestError(
        'unreadable-project',
        `${name} is not a valid components file (${where}); fix it or remove it`,
      );
    }
    return { config: result.data, file: name };
  }
  return { config: { components: [] } };
}

function parseJson(name: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new SeamtestError(
      'unreadable-project',
      `${name} is not JSON (${(error as Error).message}); fix it or remove it`,
    );
  }
}

/** `export default defineConfig({ … })` or `export default { … }`, read as a literal. */
function readDefineConfig(name: string, text: string): unknown {
  const ast = ts.createSourceFile(name, text, ts.ScriptTarget.Latest, true);
  for (const statement of ast.statements) {
    if (!ts.isExportAssignment(statement)) continue;
    let expression = statement.expression;
    if (ts.isCallExpression(expression) && expression.arguments[0])
      expression = expression.arguments[0];
    const value = literalOf(expression);
    if (value !== undefined) return value;
  }
  throw new SeamtestError(
    'unreadable-project',
    `${name} must \`export default defineConfig({ … })\` with a literal object; seamtest reads it without running it`,
  );
}

function literalOf(node: TS.Expression): unknown {
  if (
    ts.isParenthesizedExpression(node) ||
    ts.isAsExpression(node) ||
    ts.isSatisfiesExpression(node)
  ) {
    return literalOf(node.expression);
  }
  if (ts.isStringLiteralLike(node)) return node.text;
  if (ts.isNumericLiteral(node)) return Number(node.text);
  if (node.kind === ts.SyntaxKind.TrueKeyword) return true;
  if (node.kind === ts.SyntaxKind.FalseKeyword) return false;
  if (ts.isArrayLiteralExpression(node)) return node.elements.map(literalOf);
  if (ts.isObjectLiteralExpression(node)) {
    const object: Record<string, unknown> = {};
    for (const property of node.properties) {
      if (
        ts.isPropertyAssignment(property) &&
        (ts.isIdentifier(property.name) || ts.isStringLiteral(property.name))
      ) {
        object[property.name.text] = literalOf(property.initializer);
      }
    }
    return object;
  }
  return undefined;
}
