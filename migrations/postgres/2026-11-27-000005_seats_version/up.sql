-- A performance's seat map changes whenever a seat claim or a price of it changes. The database
-- counts those changes itself, so that a kept copy of the map can be checked with one small
-- read, whichever instance of kassa made the change.
ALTER TABLE performances ADD COLUMN seats_version BIGINT NOT NULL DEFAULT 0;

CREATE FUNCTION bump_seats_version() RETURNS trigger AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        UPDATE performances SET seats_version = seats_version + 1 WHERE id = OLD.performance_id;
    END IF;
    IF TG_OP <> 'DELETE' AND (TG_OP = 'INSERT' OR NEW.performance_id <> OLD.performance_id) THEN
        UPDATE performances SET seats_version = seats_version + 1 WHERE id = NEW.performance_id;
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER seat_claims_changed AFTER INSERT OR UPDATE OR DELETE ON seat_claims
    FOR EACH ROW EXECUTE FUNCTION bump_seats_version();
CREATE TRIGGER performance_prices_changed AFTER INSERT OR UPDATE OR DELETE ON performance_prices
    FOR EACH ROW EXECUTE FUNCTION bump_seats_version();
