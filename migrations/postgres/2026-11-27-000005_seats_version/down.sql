DROP TRIGGER performance_prices_changed ON performance_prices;
DROP TRIGGER seat_claims_changed ON seat_claims;
DROP FUNCTION bump_seats_version();
ALTER TABLE performances DROP COLUMN seats_version;
