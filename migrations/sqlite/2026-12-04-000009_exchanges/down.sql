ALTER TABLE productions DROP COLUMN max_exchanges;
ALTER TABLE productions DROP COLUMN exchange_cutoff_minutes;
ALTER TABLE bookings DROP COLUMN exchanges;
