-- Exchanges: a booking moves to another date of its production and counts how often it did;
-- a production may set its own exchange policy (the cutoff before the old performance's start,
-- and how many exchanges a booking gets), NULL meaning the house's from the config.

ALTER TABLE bookings ADD COLUMN exchanges INTEGER NOT NULL DEFAULT 0 CHECK (exchanges >= 0);

ALTER TABLE productions ADD COLUMN exchange_cutoff_minutes INTEGER
    CHECK (exchange_cutoff_minutes BETWEEN 0 AND 525600);
ALTER TABLE productions ADD COLUMN max_exchanges INTEGER
    CHECK (max_exchanges BETWEEN 0 AND 10);
