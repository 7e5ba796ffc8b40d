-- The sample's tables for the "external" profile (MySQL 8 / MariaDB), which does not let Hibernate change your schema.
-- Run once on the primary, in the database of PRIMARY_URL:  mysql -h db-primary -u tickets -p tickets < mysql-schema.sql
-- The replicas get the tables through replication.

CREATE TABLE IF NOT EXISTS events (
    id BIGINT NOT NULL AUTO_INCREMENT,
    name VARCHAR(255),
    venue VARCHAR(255),
    starts_at DATETIME(6),
    capacity INT NOT NULL,
    PRIMARY KEY (id)
) ENGINE = InnoDB;

CREATE TABLE IF NOT EXISTS tickets (
    id BIGINT NOT NULL AUTO_INCREMENT,
    event_id BIGINT NOT NULL,
    buyer VARCHAR(255),
    purchased_at DATETIME(6),
    PRIMARY KEY (id),
    INDEX idx_tickets_buyer (buyer),
    CONSTRAINT fk_tickets_event FOREIGN KEY (event_id) REFERENCES events (id)
) ENGINE = InnoDB;
