-- Concession prices: a performance's prices are zone × ticket type, `full` always and any of
-- `student`, `pensioner`, `child` the director offers; each ticket keeps the type it was sold
-- as. Unpaid reservations may lapse some minutes before the start; each booking gets at most
-- one reminder mail, which the unique index keeps true across restarts and instances.

CREATE TABLE performance_prices_typed (
    performance_id INTEGER NOT NULL REFERENCES performances (id) ON DELETE CASCADE,
    zone TEXT NOT NULL,
    price BIGINT NOT NULL CHECK (price >= 0),
    ticket_type TEXT NOT NULL DEFAULT 'full'
        CHECK (ticket_type IN ('full', 'student', 'pensioner', 'child')),
    PRIMARY KEY (performance_id, zone, ticket_type)
);
INSERT INTO performance_prices_typed (performance_id, zone, price, ticket_type)
    SELECT performance_id, zone, price, 'full' FROM performance_prices;
DROP TABLE performance_prices;
ALTER TABLE performance_prices_typed RENAME TO performance_prices;
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

ALTER TABLE tickets ADD COLUMN ticket_type TEXT NOT NULL DEFAULT 'full'
    CHECK (ticket_type IN ('full', 'student', 'pensioner', 'child'));

ALTER TABLE performances ADD COLUMN release_unpaid_minutes INTEGER
    CHECK (release_unpaid_minutes BETWEEN 0 AND 10080);

CREATE UNIQUE INDEX outbox_one_reminder ON outbox (booking_id) WHERE kind = 'reminder';
