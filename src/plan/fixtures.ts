// Seed data: a row factory for every table the system only reads (reference data such as
// products and prices), which no route of the system creates and tests must therefore seed.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IntegrationMap } from '../map/model.js';
import type { Fixture, PlanValue } from './model.js';
import { sampleRow } from './sample-values.js';
import { readSqlSchema, type TableSchema } from './sql-schema.js';
import { operationsFrom } from './system-spec.js';

/** Numbers in seed rows: enough stock, balance or quota that one test never runs out. */
const GENEROUS = 100;

export function tableSchemas(map: IntegrationMap, projectRoot: string): Map<string, TableSchema[]> {
  const byDatabase = new Map<string, TableSchema[]>();
  for (const boundary of map.boundaries) {
    if (boundary.protocol !== 'sql' || byDatabase.has(boundary.to)) continue;
    const service = map.components.find((component) => component.id === boundary.from);
    const files = (service?.migrations?.files ?? []).map((path) => ({
      path,
      text: readFileSync(join(projectRoot, path), 'utf8'),
    }));
    byDatabase.set(boundary.to, readSqlSchema(files, 'postgresql').tables);
  }
  return byDatabase;
}

/** Tables some operation reads or updates but no operation of the system ever inserts into. */
export function referenceFixtures(
  map: IntegrationMap,
  schemas: Map<string, TableSchema[]>,
): Fixture[] {
  const sql = operationsFrom(map, (boundary) => boundary.protocol === 'sql').flatMap(
    ({ boundary, operation }) =>
      operation.kind === 'sql' ? [{ database: boundary.to, operation }] : [],
  );
  const inserted = new Set(
    sql
      .filter(({ operation }) => operation.action === 'insert' || operation.action === 'upsert')
      .map(({ database, operation }) => `${database} ${operation.table}`),
  );
  const fixtures: Fixture[] = [];
  for (const { database, operation } of sql) {
    const key = `${database} ${operation.table}`;
    if (inserted.has(key) || operation.action === 'ddl') continue;
    if (fixtures.some((fixture) => `${fixture.dependency} ${fixture.table}` === key)) continue;
    const table = schemas.get(database)?.find((candidate) => candidate.name === operation.table);
    if (!table) continue;
    fixtures.push({
      name: fixtureName(table.name),
      dependency: database,
      table: table.name,
      row: fixtureRow(table),
      lowerBounds: lowerBounds(table),
    });
  }
  return fixtures;
}

function fixtureRow(table: TableSchema): Record<string, PlanValue> {
  const sample = sampleRow(table, { tag: 'TAG' });
  const row: Record<string, PlanValue> = {};
  let integers = 0;
  for (const column of table.columns) {
    if (!(column.name in sample)) continue;
    const value = sample[column.name];
    if (typeof value === 'string' && value.includes('TAG'))
      row[column.name] = { $unique: column.name };
    else if (
      typeof value === 'number' &&
      Number.isInteger(value) &&
      !column.references &&
      !table.primaryKey.includes(column.name)
    )
      // Distinct numbers per column, so a value seen later tells which column it came from.
      row[column.name] = Math.max(
        value,
        Math.min(GENEROUS + 25 * integers++, column.check?.max ?? GENEROUS),
      );
    else row[column.name] = value as PlanValue;
  }
  return row;
}

function lowerBounds(table: TableSchema): Record<string, number> {
  const bounds: Record<string, number> = {};
  for (const column of table.columns) {
    const min =
      column.check?.min ??
      (column.check?.exclusiveMin === undefined ? undefined : column.check.exclusiveMin + 1);
    if (min === undefined || column.references || table.primaryKey.includes(column.name)) continue;
    if (['integer', 'int', 'int4', 'bigint', 'int8', 'smallint', 'int2'].includes(column.type))
      bounds[column.name] = min;
  }
  return bounds;
}

/** `stock` → `stock`, `products` → `product`, `order_lines` → `orderLine`. */
export function fixtureName(table: string): string {
  const singular = table.endsWith('ies')
    ? `${table.slice(0, -3)}y`
    : table.endsWith('s') && !table.endsWith('ss')
      ? table.slice(0, -1)
      : table;
  return singular.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());
}
