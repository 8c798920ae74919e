// SQL for orders. `insertOrder` and `cancelOrder` each run in one transaction on one client.
import type pg from 'pg';

export interface OrderItem {
  sku: string;
  quantity: number;
  unitPriceCents: number;
}

export interface Order {
  id: string;
  customerId: string;
  status: 'confirmed' | 'cancelled';
  currency: string;
  totalCents: number;
  items: OrderItem[];
  note: string | null;
  reservationId: string;
  createdAt: string;
  cancelledAt: string | null;
}

export interface NewOrder {
  id: string;
  customerId: string;
  currency: string;
  totalCents: number;
  paymentId: string;
  reservationId: string;
  requestId: string;
  note: string | null;
  items: OrderItem[];
}

interface OrderRow {
  id: string;
  customer_id: string;
  status: 'confirmed' | 'cancelled';
  currency: string;
  total_cents: number;
  reservation_id: string;
  note: string | null;
  created_at: Date;
  cancelled_at: Date | null;
}

export function createOrdersRepository(pool: pg.Pool) {
  async function withTransaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async function itemsOf(db: pg.Pool | pg.PoolClient, orderId: string): Promise<OrderItem[]> {
    const { rows } = await db.query<{ sku: string; quantity: number; unit_price_cents: number }>(
      'SELECT sku, quantity, unit_price_cents FROM order_items WHERE order_id = $1 ORDER BY sku',
      [orderId],
    );
    return rows.map((row) => ({
      sku: row.sku,
      quantity: row.quantity,
      unitPriceCents: row.unit_price_cents,
    }));
  }

  return {
    async insertOrder(order: NewOrder): Promise<Order> {
      return withTransaction(async (client) => {
        const { rows } = await client.query<OrderRow>(
          `INSERT INTO orders (id, customer_id, status, currency, total_cents, payment_id, reservation_id, request_id, note)
           VALUES ($1, $2, 'confirmed', $3, $4, $5, $6, $7, $8)
           RETURNING *`,
          [
            order.id,
            order.customerId,
            order.currency,
            order.totalCents,
            order.paymentId,
            order.reservationId,
            order.requestId,
            order.note,
          ],
        );
        for (const item of order.items) {
          await client.query(
            'INSERT INTO order_items (order_id, sku, quantity, unit_price_cents) VALUES ($1, $2, $3, $4)',
            [order.id, item.sku, item.quantity, item.unitPriceCents],
          );
        }
        return toOrder(rows[0] as OrderRow, order.items);
      });
    },

    async findOrder(id: string): Promise<Order | undefined> {
      const { rows } = await pool.query<OrderRow>('SELECT * FROM orders WHERE id = $1', [id]);
      const row = rows[0];
      return row && toOrder(row, await itemsOf(pool, id));
    },

    /** Locks the order so two cancels cannot both succeed; `decide` throws to refuse. */
    async cancelOrder(id: string, decide: (order: Order) => void): Promise<Order | undefined> {
      return withTransaction(async (client) => {
        const { rows } = await client.query<OrderRow>(
          'SELECT * FROM orders WHERE id = $1 FOR UPDATE',
          [id],
        );
        const row = rows[0];
        if (!row) return undefined;
        decide(toOrder(row, []));
        const updated = await client.query<OrderRow>(
          "UPDATE orders SET status = 'cancelled', cancelled_at = now() WHERE id = $1 RETURNING *",
          [id],
        );
        return toOrder(updated.rows[0] as OrderRow, await itemsOf(client, id));
      });
    },
  };
}

function toOrder(row: OrderRow, items: OrderItem[]): Order {
  return {
    id: row.id,
    customerId: row.customer_id,
    status: row.status,
    currency: row.currency,
    totalCents: row.total_cents,
    items,
    note: row.note,
    reservationId: row.reservation_id,
    createdAt: row.created_at.toISOString(),
    cancelledAt: row.cancelled_at ? row.cancelled_at.toISOString() : null,
  };
}

export type OrdersRepository = ReturnType<typeof createOrdersRepository>;
