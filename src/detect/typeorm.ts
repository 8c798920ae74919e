// TypeORM: repositories of entities (`Repository<User>` injected or typed, `getRepository(User)`)
// and what their methods do to the entity's table (`@Entity('users')`, or the class name in
// snake_case as TypeORM's default naming has it).
import type * as TS from 'typescript';
import { ts } from '../typescript.js';
import { methodCall, nameOf } from './analysis/calls.js';
import { callExpressionsOf } from './analysis/file-nodes.js';
import { findDeclaration } from './analysis/scope.js';
import { memberName, unwrap } from './analysis/values.js';
import { installedDatabase } from './database-driver.js';
import type { DetectContext, Detector, SqlFact } from './types.js';

const ACTIONS: Record<string, SqlFact['action']> = {
  find: 'select',
  findOne: 'select',
  findBy: 'select',
  findOneBy: 'select',
  findOneOrFail: 'select',
  findOneByOrFail: 'select',
  findAndCount: 'select',
  count: 'select',
  countBy: 'select',
  exists: 'select',
  save: 'upsert',
  insert: 'insert',
  update: 'update',
  increment: 'update',
  decrement: 'update',
  delete: 'delete',
  remove: 'delete',
  softDelete: 'update',
};

export const typeormDetector: Detector = {
  name: 'typeorm',
  enabledBy: ['typeorm', '@nestjs/typeorm'],
  detect(ctx) {
    const visit = (node: TS.Node): void => {
      const call = methodCall(node);
      const action =
        call &&
        (call.method === 'createQueryBuilder'
          ? queryBuilderAction(call.call)
          : ACTIONS[call.method]);
      if (call && action) {
        const entity = entityOf(ctx, call.receiver);
        const table = entity && tableOf(ctx, entity);
        const technology = installedDatabase(ctx.file.source.package);
        if (table) {
          ctx.report({
            kind: 'sql',
            driver: 'typeorm',
            ...(technology ? { technology } : {}),
            action,
            table,
            connection: undefined,
            node: nameOf(call.call),
          });
        }
      }
    };
    for (const node of callExpressionsOf(ctx.file.ast)) visit(node);
  },
};

/** The entity a repository is for: from `Repository<User>`, `getRepository(User)` or `@InjectRepository(User)`. */
function entityOf(ctx: DetectContext, receiver: TS.Expression): TS.Identifier | undefined {
  const expression = unwrap(receiver);
  const made = repositoryCall(expression);
  if (made) return identifierArgument(made);
  if (expression.kind === ts.SyntaxKind.ThisKeyword) return customRepositoryEntity(expression);
  const declaration = declarationOf(ctx, expression);
  if (!declaration) return undefined;
  const injected = (ts.canHaveDecorators(declaration) ? (ts.getDecorators(declaration) ?? []) : [])
    .map((decorator) => decorator.expression)
    .find(
      (call): call is TS.CallExpression =>
        ts.isCallExpression(call) && call.expression.getText() === 'InjectRepository',
    );
  if (injected) return identifierArgument(injected);
  const type = 'type' in declaration ? (declaration.type as TS.TypeNode | undefined) : undefined;
  if (type && ts.isTypeReferenceNode(type) && /Repository$/.test(type.typeName.getText())) {
    const [argument] = type.typeArguments ?? [];
    if (argument && ts.isTypeReferenceNode(argument) && ts.isIdentifier(argument.typeName))
      return argument.typeName;
  }
  const init =
    'initializer' in declaration
      ? (declaration.initializer as TS.Expression | undefined)
      : undefined;
  const initCall = init && repositoryCall(unwrap(init));
  return initCall ? identifierArgument(initCall) : undefined;
}

/** `dataSource.getRepository(User)`, `manager.getRepository(User)` or typeorm's `getRepository(User)`. */
function repositoryCall(expression: TS.Expression): TS.CallExpression | undefined {
  if (!ts.isCallExpression(expression)) return undefined;
  const callee = expression.expression;
  const name = ts.isPropertyAccessExpression(callee)
    ? callee.name.text
    : ts.isIdentifier(callee)
      ? callee.text
      : undefined;
  return name === 'getRepository' ? expression : undefined;
}

/**
 * `this.save(…)` inside a custom repository: `@EntityRepository(Article) class … extends
 * Repository<Article>` (TypeORM 0.2), the entity named by the decorator or the base class.
 */
function customRepositoryEntity(node: TS.Node): TS.Identifier | undefined {
  let owner: TS.Node | undefined = node.parent;
  while (owner && !ts.isClassDeclaration(owner)) owner = owner.parent;
  if (!owner || !ts.isClassDeclaration(owner)) return undefined;
  for (const decorator of ts.getDecorators(owner) ?? []) {
    const call = decorator.expression;
    if (ts.isCallExpression(call) && call.expression.getText() === 'EntityRepository') {
      const entity = identifierArgument(call);
      if (entity) return entity;
    }
  }
  for (const clause of owner.heritageClauses ?? []) {
    for (const type of clause.types) {
      const [argument] = type.typeArguments ?? [];
      if (
        /Repository$/.test(type.expression.getText()) &&
        argument &&
        ts.isTypeReferenceNode(argument) &&
        ts.isIdentifier(argument.typeName)
      ) {
        return argument.typeName;
      }
    }
  }
  return undefined;
}

/** Query-builder methods that make the query a write, by what they do to the entity's table. */
const BUILDER_WRITES: Record<string, SqlFact['action']> = {
  insert: 'insert',
  update: 'update',
  delete: 'delete',
  softDelete: 'update',
  orUpdate: 'upsert',
  orIgnore: 'insert',
};

/**
 * `repository.createQueryBuilder('article').leftJoin(…).where(…).getMany()`: a read, unless a
 * method along the chain makes it an insert, update or delete.
 */
function queryBuilderAction(call: TS.CallExpression): SqlFact['action'] {
  let action: SqlFact['action'] = 'select';
  let current: TS.Node = call;
  while (
    ts.isPropertyAccessExpression(current.parent) &&
    ts.isCallExpression(current.parent.parent)
  ) {
    const write = BUILDER_WRITES[current.parent.name.text];
    if (write) action = write === 'upsert' || action === 'select' ? write : action;
    current = current.parent.parent;
  }
  return action;
}

function identifierArgument(call: TS.CallExpression): TS.Identifier | undefined {
  const [first] = call.arguments;
  return first && ts.isIdentifier(first) ? first : undefined;
}

/** `this.users` → the property or constructor parameter `users`; `users` → its declaration. */
function declarationOf(ctx: DetectContext, expression: TS.Expression): TS.Node | undefined {
  if (
    ts.isPropertyAccessExpression(expression) &&
    expression.expression.kind === ts.SyntaxKind.ThisKeyword
  ) {
    const owner = enclosingClass(expression);
    const name = expression.name.text;
    for (const member of owner?.members ?? []) {
      if (memberName(member) === name) return member;
      if (ts.isConstructorDeclaration(member)) {
        const parameter = member.parameters.find(
          (candidate) => ts.isIdentifier(candidate.name) && candidate.name.text === name,
        );
        if (parameter) return parameter;
      }
    }
    return undefined;
  }
  if (!ts.isIdentifier(expression)) return undefined;
  const declaration = findDeclaration(expression, ctx.file.imports);
  return declaration?.kind === 'variable' || declaration?.kind === 'parameter'
    ? declaration.node
    : undefined;
}

function enclosingClass(node: TS.Node): TS.ClassLikeDeclaration | undefined {
  for (let current = node.parent; current; current = current.parent)
    if (ts.isClassLike(current)) return current;
  return undefined;
}

/** `@Entity('users')`, `@Entity({ name: 'users' })`, or the class name in snake_case. */
function tableOf(ctx: DetectContext, entity: TS.Identifier): string | undefined {
  const file = ctx.index.fileOfNode(entity);
  if (!file) return undefined;
  let declaration: TS.Node | undefined = file.ast.statements.find(
    (statement) => ts.isClassDeclaration(statement) && statement.name?.text === entity.text,
  );
  const binding = declaration ? undefined : file.imports.get(entity.text);
  const target = binding && ctx.index.resolveModule(file.source.path, binding.module);
  if (target && binding) declaration = ctx.index.exported(target, binding.member[0] ?? 'default');
  if (!declaration || !ts.isClassDeclaration(declaration)) return undefined;
  const marker = (ts.getDecorators(declaration) ?? [])
    .map((decorator) => decorator.expression)
    .find(
      (call): call is TS.CallExpression =>
        ts.isCallExpression(call) && call.expression.getText() === 'Entity',
    );
  if (!marker) return undefined;
  const [first] = marker.arguments;
  if (first && ts.isStringLiteralLike(first)) return first.text;
  if (first && ts.isObjectLiteralExpression(first)) {
    const name = first.properties.find(
      (property) => ts.isPropertyAssignment(property) && property.name.getText() === 'name',
    );
    if (name && ts.isPropertyAssignment(name) && ts.isStringLiteralLike(name.initializer))
      return name.initializer.text;
  }
  return snakeCase(declaration.name?.text ?? entity.text);
}

function snakeCase(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}
