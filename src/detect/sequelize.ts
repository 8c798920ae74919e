// Sequelize: models made with `sequelize.define('User', …)` or `class User extends Model` +
// `User.init(…)`, and what their static methods do to the model's table (`tableName`, or the
// model name pluralised as Sequelize does by default, or kept with `freezeTableName`).
import type * as TS from 'typescript';
import { ts } from '../typescript.js';
import { methodCall, nameOf, propertyOf } from './analysis/calls.js';
import { definitionOf } from './analysis/definitions.js';
import { callExpressionsOf } from './analysis/file-nodes.js';
import { findDeclaration } from './analysis/scope.js';
import { unwrap } from './analysis/values.js';
import { installedDatabase } from './database-driver.js';
import type { DetectContext, Detector, SqlFact } from './types.js';

const ACTIONS: Record<string, SqlFact['action']> = {
  findAll: 'select',
  findOne: 'select',
  findByPk: 'select',
  findAndCountAll: 'select',
  findOrCreate: 'upsert',
  count: 'select',
  create: 'insert',
  bulkCreate: 'insert',
  update: 'update',
  increment: 'update',
  decrement: 'update',
  upsert: 'upsert',
  destroy: 'delete',
  truncate: 'delete',
};

export const sequelizeDetector: Detector = {
  name: 'sequelize',
  enabledBy: ['sequelize', 'sequelize-typescript'],
  detect(ctx) {
    const visit = (node: TS.Node): void => {
      const call = methodCall(node);
      const action = call && ACTIONS[call.method];
      const table =
        action && call && ts.isIdentifier(unwrap(call.receiver))
          ? tableOf(ctx, unwrap(call.receiver) as TS.Identifier)
          : undefined;
      if (call && action && table) {
        const technology = installedDatabase(ctx.file.source.package);
        ctx.report({
          kind: 'sql',
          driver: 'sequelize',
          ...(technology ? { technology } : {}),
          action,
          table,
          connection: undefined,
          node: nameOf(call.call),
        });
      }
    };
    for (const node of callExpressionsOf(ctx.file.ast)) visit(node);
  },
};

/** The table of a model named by an identifier: declared by `define(…)` or a `Model` class. */
function tableOf(ctx: DetectContext, model: TS.Identifier): string | undefined {
  const definition = classOf(ctx, model) ?? definitionOf(ctx.index, model);
  if (!definition) return undefined;
  const defined = methodCall(unwrap(definition as TS.Expression));
  if (defined?.method === 'define' && defined.call.arguments[0]) {
    const name = ctx.strings.literal(defined.call.arguments[0]);
    return name && nameFromOptions(ctx, defined.call.arguments[2], name);
  }
  const declared = ts.isIdentifier(definition) ? classOf(ctx, definition) : definition;
  if (declared && ts.isClassDeclaration(declared) && extendsModel(declared) && declared.name) {
    const init = initCall(declared);
    return nameFromOptions(ctx, init?.arguments[1], declared.name.text);
  }
  return undefined;
}

/** The class a name is declared as, in the file it is used in. */
function classOf(ctx: DetectContext, name: TS.Identifier): TS.ClassDeclaration | undefined {
  const file = ctx.index.fileOfNode(name);
  const declaration = file && findDeclaration(name, file.imports);
  return declaration?.kind === 'class' && ts.isClassDeclaration(declaration.node)
    ? declaration.node
    : undefined;
}

function extendsModel(declaration: TS.ClassDeclaration): boolean {
  return (declaration.heritageClauses ?? []).some((clause) =>
    clause.types.some((type) => /(^|\.)Model$/.test(type.expression.getText())),
  );
}

/** `User.init({ … }, { sequelize, tableName })` in the same file. */
function initCall(declaration: TS.ClassDeclaration): TS.CallExpression | undefined {
  const name = declaration.name?.text;
  let found: TS.CallExpression | undefined;
  const visit = (node: TS.Node): void => {
    const call = methodCall(node);
    if (call?.method === 'init' && ts.isIdentifier(call.receiver) && call.receiver.text === name)
      found = call.call;
    if (!found) ts.forEachChild(node, visit);
  };
  visit(declaration.getSourceFile());
  return found;
}

function nameFromOptions(
  ctx: DetectContext,
  options: TS.Expression | undefined,
  modelName: string,
): string {
  const object = options && unwrap(options);
  const tableName = propertyOf(object, 'tableName');
  const explicit = tableName && ctx.strings.literal(tableName);
  if (explicit) return explicit;
  return propertyOf(object, 'freezeTableName')?.kind === ts.SyntaxKind.TrueKeyword
    ? modelName
    : plural(modelName);
}

/** Sequelize's default: the model name in the plural. */
function plural(name: string): string {
  if (/[^aeiou]y$/i.test(name)) return `${name.slice(0, -1)}ies`;
  if (/(s|x|z|ch|sh)$/i.test(name)) return `${name}es`;
  return `${name}s`;
}
