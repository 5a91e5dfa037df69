DROP INDEX outbox_one_reminder;
ALTER TABLE performances DROP COLUMN release_unpaid_minutes;
ALTER TABLE tickets DROP COLUMN ticket_type;

CREATE TABLE performance_prices_full (
    performance_id INTEGER NOT NULL REFERENCES performances (id) ON DELETE CASCADE,
    zone TEXT NOT NULL,
    price BIGINT NOT NULL CHECK (price >= 0),
    PRIMARY KEY (performance_id, zone)
);
INSERT INTO performance_prices_full (performance_id, zone, price)
    SELECT performance_id, zone, price FROM performance_prices WHERE ticket_type = 'full';
DROP TABLE performance_prices;
ALTER TABLE performance_prices_full RENAME TO performance_prices;
CREATE TRIGGER performance_prices_inserted AFTER INSERT ON performance_prices
BEGIN
    UPDATE performances SET seats_version = seats_version + 1 WHERE id = NEW.performance_id;
END;
CREATE TRIGGER performance_prices_updated AFTER UPDATE ON performance_prices
BEGIN
    UPDATE performances SET seats_version = seats_version + 1
     WHERE id IN (OLD.performance_id, NEW.performance_id);
END;
CREATE TRIGGER performance_prices_deleted AFTER DELETE ON performance_prices
BEGIN
    UPDATE performances SET seats_version = seats_version + 1 WHERE id = OLD.performance_id;
END;
