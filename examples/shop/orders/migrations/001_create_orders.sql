-- Orders and their lines. An order is written with its items in one transaction.
CREATE TABLE orders (
  id             uuid PRIMARY KEY,
  customer_id    text NOT NULL,
  status         text NOT NULL CHECK (status IN ('confirmed', 'cancelled')),
  currency       char(3) NOT NULL,
  total_cents    integer NOT NULL CHECK (total_cents >= 0),
  payment_id     text NOT NULL,
  reservation_id uuid NOT NULL,
  request_id     text,
  note           text,
  created_at     timestamptz NOT NULL DEFAULT now(),
  cancelled_at   timestamptz
);

CREATE INDEX orders_customer_id_idx ON orders (customer_id);

CREATE TABLE order_items (
  order_id         uuid NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
  sku              text NOT NULL,
  quantity         integer NOT NULL CHECK (quantity > 0),
  unit_price_cents integer NOT NULL CHECK (unit_price_cents >= 0),
  PRIMARY KEY (order_id, sku)
);
