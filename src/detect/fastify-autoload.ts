// @fastify/autoload: every plugin file under a folder is registered with a prefix made of its
// folders (`routes/api/tasks/index.ts` → /api/tasks), and with `autoHooks` the hooks of an
// `autohooks` file apply to the plugins beside it and, with `cascadeHooks`, below it.
import path from 'node:path';
import type * as TS from 'typescript';
import { ts } from '../typescript.js';
import { nameOf, propertyOf } from './analysis/calls.js';
import type { IndexedFile } from './analysis/project-index.js';
import { unwrap } from './analysis/values.js';
import type { DetectContext } from './types.js';

export function isAutoload(ctx: DetectContext, plugin: TS.Expression): boolean {
  const value = ctx.values.valueOf(plugin);
  return value?.kind === 'library' && value.module === '@fastify/autoload';
}

export function reportAutoload(
  ctx: DetectContext,
  call: TS.CallExpression,
  owner: TS.Node | undefined,
): void {
  const options = call.arguments[1] && unwrap(call.arguments[1]);
  const dirExpression = propertyOf(options, 'dir');
  const dir = dirExpression && folderOf(ctx, dirExpression);
  if (!dir) {
    ctx.unrecognised(
      'unresolved-autoload',
      'the folder @fastify/autoload loads is not known statically',
      call,
    );
    return;
  }
  const autoHooks = propertyOf(options, 'autoHooks')?.kind === ts.SyntaxKind.TrueKeyword;
  const cascade = propertyOf(options, 'cascadeHooks')?.kind === ts.SyntaxKind.TrueKeyword;
  const files = [...ctx.index.files].filter((file) => file.source.path.startsWith(`${dir}/`));
  const hooks = autoHooks ? files.filter((file) => isAutohooks(file.source.path)) : [];
  for (const file of files) {
    if (isAutohooks(file.source.path)) continue;
    const plugin = pluginOf(ctx, file);
    if (!plugin) continue;
    const folder = path.posix.dirname(file.source.path);
    const prefix = folder === dir ? '' : `/${path.posix.relative(dir, folder)}`;
    ctx.report({ kind: 'mount', prefix, parent: owner, child: plugin, node: nameOf(call) });
    for (const hookFile of hooks) {
      const hookFolder = path.posix.dirname(hookFile.source.path);
      const applies = hookFolder === folder || (cascade && folder.startsWith(`${hookFolder}/`));
      if (applies) reportHooks(ctx, hookFile, plugin);
    }
  }
}

function isAutohooks(file: string): boolean {
  return /^autohooks\.[cm]?[jt]s$/.test(path.posix.basename(file));
}

/** `path.join(__dirname, 'routes')`, `join(import.meta.dirname, 'routes')`. */
function folderOf(ctx: DetectContext, expression: TS.Expression): string | undefined {
  const call = unwrap(expression);
  if (!ts.isCallExpression(call)) return undefined;
  const [base, ...rest] = call.arguments;
  const baseText = base?.getText();
  if (baseText !== '__dirname' && baseText !== 'import.meta.dirname') return undefined;
  const parts = rest.map((part) => ctx.strings.literal(part));
  if (parts.some((part) => part === undefined)) return undefined;
  return path.posix.normalize(
    path.posix.join(path.posix.dirname(ctx.file.source.path), ...(parts as string[])),
  );
}

/** The plugin a file exports: its default export or `module.exports`, when a function. */
function pluginOf(ctx: DetectContext, file: IndexedFile): TS.Node | undefined {
  const exported = ctx.index.exported(file, 'default');
  if (!exported) return undefined;
  const value = ts.isExpression(exported) ? ctx.values.valueOf(exported) : undefined;
  if (value?.kind === 'function') return value.node;
  return ts.isFunctionDeclaration(exported) ? exported : undefined;
}

/** The hooks an autohooks file adds, applied to one plugin. */
function reportHooks(ctx: DetectContext, hookFile: IndexedFile, plugin: TS.Node): void {
  const hooksPlugin = pluginOf(ctx, hookFile);
  if (!hooksPlugin) return;
  const visit = (node: TS.Node): void => {
    if (
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      node.expression.name.text === 'addHook' &&
      node.arguments[1]
    ) {
      ctx.report({ kind: 'hook', owner: plugin, fn: node.arguments[1], node: nameOf(node) });
    }
    ts.forEachChild(node, visit);
  };
  visit(hooksPlugin);
}
