--liquibase formatted sql

--changeset compat:1
CREATE TABLE liquibase_item (id BIGINT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(64) NOT NULL, migrated_on BIGINT NOT NULL);

--changeset compat:2
-- @@server_id of the node that ran the change; row-based replication copies the value, not the expression.
INSERT INTO liquibase_item (name, migrated_on) VALUES ('2', @@server_id);
