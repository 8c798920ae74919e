CREATE DATABASE shop_orders;
CREATE DATABASE shop_inventory;
