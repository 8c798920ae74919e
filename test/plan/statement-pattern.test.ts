// The cut-on patterns against statements as they cross the wire: PostgreSQL Parse/Query messages
// end each statement's text with a NUL byte, and a driver may send several in one chunk.
import { describe, expect, it } from 'vitest';
import type { SqlOperation } from '../../src/map/model.js';
import { statementPattern } from '../../src/plan/fault-scenarios.js';

function sql(action: SqlOperation['action'], table: string): SqlOperation {
  return {
    id: `${action}-${table}`,
    kind: 'sql',
    action,
    table,
    transaction: false,
    at: [{ file: 'src/repository.ts', line: 1 }],
  } as SqlOperation;
}

function matches(operation: SqlOperation, wire: string): boolean {
  return new RegExp(statementPattern(operation), 'i').test(wire);
}

describe('statementPattern', () => {
  it('finds a read of its table, by FROM or JOIN, quoted or schema-qualified', () => {
    const items = sql('select', 'order_items');
    expect(matches(items, 'P\0SELECT * FROM order_items WHERE order_id = $1\0')).toBe(true);
    expect(
      matches(items, 'select o.id from orders o join "order_items" i on i.order_id = o.id'),
    ).toBe(true);
    expect(matches(items, 'SELECT * FROM "public"."order_items"')).toBe(true);
    expect(matches(items, 'SELECT * FROM `order_items`')).toBe(true);
  });

  it('does not take a neighbouring table or a statement sent after it for its own', () => {
    const orders = sql('select', 'orders');
    expect(matches(orders, 'SELECT * FROM order_items WHERE order_id = $1')).toBe(false);
    // The read of orders ends at its NUL; the FROM orders of the next statement is an UPDATE's.
    const items = sql('select', 'order_items');
    expect(matches(items, 'SELECT 1\0UPDATE x SET y = 1 FROM order_items\0')).toBe(false);
  });

  it('finds writes by their verb', () => {
    expect(matches(sql('insert', 'orders'), 'INSERT INTO orders (id) VALUES ($1)')).toBe(true);
    expect(
      matches(
        sql('upsert', 'stock'),
        'insert into "stock" (sku) values ($1) on conflict do nothing',
      ),
    ).toBe(true);
    expect(matches(sql('update', 'stock'), 'UPDATE stock SET available = available - $1')).toBe(
      true,
    );
    expect(matches(sql('delete', 'reservations'), 'DELETE FROM reservations WHERE id = $1')).toBe(
      true,
    );
    expect(matches(sql('update', 'stock'), 'SELECT * FROM stock')).toBe(false);
  });
});
