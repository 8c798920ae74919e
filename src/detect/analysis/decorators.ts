// Decorators of a class, method or parameter that a library exports (`@Get(':id')` from
// @nestjs/common, `@httpPost('/')` from inversify-express-utils), by the name it exports them as.
import type * as TS from 'typescript';
import { ts } from '../../typescript.js';
import type { ValueResolver } from './values.js';

export interface LibraryDecorator {
  module: string;
  name: string;
  args: readonly TS.Expression[];
  node: TS.Decorator;
}

export function libraryDecorators(
  values: ValueResolver,
  node: TS.HasDecorators,
  fromModule: (module: string) => boolean,
): LibraryDecorator[] {
  return (ts.getDecorators(node) ?? []).flatMap((decorator) => {
    const expression = decorator.expression;
    const callee = ts.isCallExpression(expression) ? expression.expression : expression;
    const value = values.valueOf(callee);
    if (value?.kind !== 'library' || !fromModule(value.module)) return [];
    const name = value.path.at(-1);
    const args = ts.isCallExpression(expression) ? expression.arguments : [];
    return name ? [{ module: value.module, name, args, node: decorator }] : [];
  });
}
