DROP TRIGGER performance_prices_deleted;
DROP TRIGGER performance_prices_updated;
DROP TRIGGER performance_prices_inserted;
DROP TRIGGER seat_claims_deleted;
DROP TRIGGER seat_claims_updated;
DROP TRIGGER seat_claims_inserted;
ALTER TABLE performances DROP COLUMN seats_version;
