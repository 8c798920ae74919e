// Reserving and releasing stock. Stock rows are locked (in sku order, so two reservations of the
// same items cannot deadlock) before they are checked, which is what stops two concurrent
// reservations of the last unit from both succeeding.
const { randomUUID } = require('node:crypto');
const { HttpError } = require('./errors');

async function inTransaction(pool, work) {
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

async function reserve(pool, { orderId, customerId, requestId, items }) {
  return inTransaction(pool, async (client) => {
    const skus = items.map((item) => item.sku);
    const { rows } = await client.query(
      'SELECT sku, available, unit_price_cents FROM stock WHERE sku = ANY($1) ORDER BY sku FOR UPDATE',
      [skus],
    );
    const stock = new Map(rows.map((row) => [row.sku, row]));
    // One reservation per order. Claimed before the stock is checked, so that a repeated request
    // (a retry, or one racing the first) gets the reservation already made, not "out of stock".
    const reservationId = randomUUID();
    const claimed = await client.query(
      `INSERT INTO reservations (id, order_id, customer_id, request_id, status) VALUES ($1, $2, $3, $4, 'held')
       ON CONFLICT (order_id) DO NOTHING`,
      [reservationId, orderId, customerId, requestId],
    );
    if (claimed.rowCount === 0) {
      return existingReservation(client, { orderId, customerId, items }, stock);
    }
    for (const item of items) {
      const row = stock.get(item.sku);
      if (!row)
        throw new HttpError(404, 'unknown_sku', `Unknown product ${item.sku}`, { sku: item.sku });
      if (row.available < item.quantity) {
        throw new HttpError(409, 'out_of_stock', `Not enough stock for ${item.sku}`, {
          sku: item.sku,
        });
      }
    }
    for (const item of items) {
      await client.query(
        'UPDATE stock SET available = available - $2, reserved = reserved + $2 WHERE sku = $1',
        [item.sku, item.quantity],
      );
      await client.query(
        'INSERT INTO reservation_items (reservation_id, sku, quantity) VALUES ($1, $2, $3)',
        [reservationId, item.sku, item.quantity],
      );
    }
    return {
      reservationId,
      items: items.map((item) => ({
        sku: item.sku,
        quantity: item.quantity,
        unitPriceCents: stock.get(item.sku).unit_price_cents,
      })),
    };
  });
}

/**
 * The order's reservation when it was already made: the same answer again if it is still held
 * and for the same customer and items; otherwise the order id is being reused, a conflict.
 */
async function existingReservation(client, { orderId, customerId, items }, stock) {
  const { rows } = await client.query(
    `SELECT r.id, r.customer_id, r.status, ri.sku, ri.quantity
     FROM reservations r JOIN reservation_items ri ON ri.reservation_id = r.id
     WHERE r.order_id = $1`,
    [orderId],
  );
  const held = new Map(rows.map((row) => [row.sku, row.quantity]));
  const same =
    rows.length === items.length &&
    rows.every((row) => row.customer_id === customerId && row.status === 'held') &&
    items.every((item) => held.get(item.sku) === item.quantity);
  if (!same) {
    throw new HttpError(409, 'duplicate_reservation', 'This order already has another reservation');
  }
  return {
    reservationId: rows[0].id,
    items: items.map((item) => ({
      sku: item.sku,
      quantity: item.quantity,
      unitPriceCents: stock.get(item.sku).unit_price_cents,
    })),
  };
}

/**
 * Gives a held reservation's stock back, the reservation row locked first. Releasing twice
 * changes nothing the second time, so a redelivered message or a repeated DELETE is harmless.
 */
async function releaseLocked(client, reservation) {
  if (reservation.status === 'released') return;
  await client.query(
    `UPDATE stock SET available = stock.available + ri.quantity, reserved = stock.reserved - ri.quantity
     FROM reservation_items ri
     WHERE ri.reservation_id = $1 AND ri.sku = stock.sku`,
    [reservation.id],
  );
  await client.query(
    "UPDATE reservations SET status = 'released', released_at = now() WHERE id = $1",
    [reservation.id],
  );
}

/** Returns false when there is no such reservation. */
async function release(pool, reservationId) {
  return inTransaction(pool, async (client) => {
    const { rows } = await client.query(
      'SELECT id, status FROM reservations WHERE id = $1 FOR UPDATE',
      [reservationId],
    );
    if (rows.length === 0) return false;
    await releaseLocked(client, rows[0]);
    return true;
  });
}

/** The same, for the reservation of an order (what an order.cancelled event names). */
async function releaseForOrder(pool, orderId) {
  return inTransaction(pool, async (client) => {
    const { rows } = await client.query(
      'SELECT id, status FROM reservations WHERE order_id = $1 FOR UPDATE',
      [orderId],
    );
    if (rows.length === 0) return false;
    await releaseLocked(client, rows[0]);
    return true;
  });
}

async function findStock(pool, sku) {
  const { rows } = await pool.query(
    'SELECT sku, name, available, reserved, unit_price_cents FROM stock WHERE sku = $1',
    [sku],
  );
  return rows[0];
}

module.exports = { reserve, release, releaseForOrder, findStock };
