-- A performance's seat map changes whenever a seat claim or a price of it changes. The database
-- counts those changes itself, so that a kept copy of the map can be checked with one small
-- read, whichever instance of kassa made the change.
ALTER TABLE performances ADD COLUMN seats_version BIGINT NOT NULL DEFAULT 0;

CREATE TRIGGER seat_claims_inserted AFTER INSERT ON seat_claims
BEGIN
    UPDATE performances SET seats_version = seats_version + 1 WHERE id = NEW.performance_id;
END;
CREATE TRIGGER seat_claims_updated AFTER UPDATE ON seat_claims
BEGIN
    UPDATE performances SET seats_version = seats_version + 1
     WHERE id IN (OLD.performance_id, NEW.performance_id);
END;
CREATE TRIGGER seat_claims_deleted AFTER DELETE ON seat_claims
BEGIN
    UPDATE performances SET seats_version = seats_version + 1 WHERE id = OLD.performance_id;
END;
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
