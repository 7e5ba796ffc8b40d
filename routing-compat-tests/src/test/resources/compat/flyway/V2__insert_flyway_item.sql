-- @@server_id of the node that ran the migration; row-based replication copies the value, not the expression.
INSERT INTO flyway_item (name, migrated_on) VALUES ('v2', @@server_id);
