-- Stock levels and the reservations held against them.
CREATE TABLE stock (
  sku              text PRIMARY KEY,
  name             text NOT NULL,
  unit_price_cents integer NOT NULL CHECK (unit_price_cents >= 0),
  available        integer NOT NULL CHECK (available >= 0),
  reserved         integer NOT NULL DEFAULT 0 CHECK (reserved >= 0)
);

CREATE TABLE reservations (
  id          uuid PRIMARY KEY,
  order_id    uuid NOT NULL UNIQUE,
  customer_id text NOT NULL,
  request_id  text,
  status      text NOT NULL CHECK (status IN ('held', 'released')),
  created_at  timestamptz NOT NULL DEFAULT now(),
  released_at timestamptz
);

CREATE TABLE reservation_items (
  reservation_id uuid NOT NULL REFERENCES reservations (id) ON DELETE CASCADE,
  sku            text NOT NULL REFERENCES stock (sku),
  quantity       integer NOT NULL CHECK (quantity > 0),
  PRIMARY KEY (reservation_id, sku)
);
