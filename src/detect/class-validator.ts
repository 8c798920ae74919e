// DTO classes checked by class-validator (as NestJS's ValidationPipe does with `@Body() dto:
// CreateCatDto`): their properties and decorators read as a JSON Schema, without running them.
import type * as TS from 'typescript';
import { ts } from '../typescript.js';
import type { DetectContext, Shape } from './types.js';

type JsonSchema = Record<string, unknown>;

const TYPES: Record<string, JsonSchema> = {
  IsString: { type: 'string' },
  IsInt: { type: 'integer' },
  IsNumber: { type: 'number' },
  IsBoolean: { type: 'boolean' },
  IsEmail: { type: 'string', format: 'email' },
  IsUUID: { type: 'string', format: 'uuid' },
  IsUrl: { type: 'string', format: 'uri' },
  IsDateString: { type: 'string', format: 'date-time' },
  IsISO8601: { type: 'string', format: 'date-time' },
  IsArray: { type: 'array' },
  IsObject: { type: 'object' },
};

/** The JSON Schema of a DTO class named by a parameter's type, or undefined if it is none. */
export function dtoShape(ctx: DetectContext, type: TS.TypeNode | undefined): Shape | undefined {
  if (!type || !ts.isTypeReferenceNode(type) || !ts.isIdentifier(type.typeName)) return undefined;
  const found = classNamed(ctx, type.typeName);
  if (!found) return undefined;
  return { source: 'class-validator', schema: classSchema(found), at: ctx.locate(found) };
}

function classNamed(ctx: DetectContext, name: TS.Identifier): TS.ClassDeclaration | undefined {
  const file = ctx.index.fileOfNode(name);
  if (!file) return undefined;
  const local = file.ast.statements.find(
    (statement): statement is TS.ClassDeclaration =>
      ts.isClassDeclaration(statement) && statement.name?.text === name.text,
  );
  if (local) return local;
  const binding = file.imports.get(name.text);
  const target = binding && ctx.index.resolveModule(file.source.path, binding.module);
  const exported = target && ctx.index.exported(target, binding.member[0] ?? 'default');
  return exported && ts.isClassDeclaration(exported) ? exported : undefined;
}

function classSchema(declaration: TS.ClassDeclaration): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const member of declaration.members) {
    if (!ts.isPropertyDeclaration(member) || !ts.isIdentifier(member.name)) continue;
    const decorators = (ts.getDecorators(member) ?? []).map(decoratorCall);
    let schema: JsonSchema = fromAnnotation(member.type);
    let optional = member.questionToken !== undefined;
    for (const { name, args } of decorators) {
      if (name === 'IsOptional') optional = true;
      const typed = TYPES[name];
      if (typed) schema = { ...schema, ...typed };
      const number = args[0] && ts.isNumericLiteral(args[0]) ? Number(args[0].text) : undefined;
      if (name === 'Min' && number !== undefined) schema.minimum = number;
      if (name === 'Max' && number !== undefined) schema.maximum = number;
      if (name === 'MinLength' && number !== undefined) schema.minLength = number;
      if (name === 'MaxLength' && number !== undefined) schema.maxLength = number;
      if (name === 'IsIn' && args[0] && ts.isArrayLiteralExpression(args[0])) {
        schema.enum = args[0].elements
          .filter(ts.isStringLiteralLike)
          .map((element) => element.text);
      }
    }
    properties[member.name.text] = schema;
    if (!optional) required.push(member.name.text);
  }
  return { type: 'object', properties, ...(required.length > 0 ? { required } : {}) };
}

function decoratorCall(decorator: TS.Decorator): { name: string; args: readonly TS.Expression[] } {
  const expression = decorator.expression;
  const callee = ts.isCallExpression(expression) ? expression.expression : expression;
  return {
    name: callee.getText(),
    args: ts.isCallExpression(expression) ? expression.arguments : [],
  };
}

function fromAnnotation(type: TS.TypeNode | undefined): JsonSchema {
  switch (type?.kind) {
    case ts.SyntaxKind.StringKeyword:
      return { type: 'string' };
    case ts.SyntaxKind.NumberKeyword:
      return { type: 'number' };
    case ts.SyntaxKind.BooleanKeyword:
      return { type: 'boolean' };
    default:
      return type && ts.isArrayTypeNode(type) ? { type: 'array' } : {};
  }
}
