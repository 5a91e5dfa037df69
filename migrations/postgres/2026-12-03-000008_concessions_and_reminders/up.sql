-- Concession prices: a performance's prices are zone × ticket type, `full` always and any of
-- `student`, `pensioner`, `child` the director offers; each ticket keeps the type it was sold
-- as. Unpaid reservations may lapse some minutes before the start; each booking gets at most
-- one reminder mail, which the unique index keeps true across restarts and instances.

ALTER TABLE performance_prices ADD COLUMN ticket_type TEXT NOT NULL DEFAULT 'full'
    CHECK (ticket_type IN ('full', 'student', 'pensioner', 'child'));
ALTER TABLE performance_prices DROP CONSTRAINT performance_prices_pkey;
ALTER TABLE performance_prices ADD PRIMARY KEY (performance_id, zone, ticket_type);

ALTER TABLE tickets ADD COLUMN ticket_type TEXT NOT NULL DEFAULT 'full'
    CHECK (ticket_type IN ('full', 'student', 'pensioner', 'child'));

ALTER TABLE performances ADD COLUMN release_unpaid_minutes INTEGER
    CHECK (release_unpaid_minutes BETWEEN 0 AND 10080);

CREATE UNIQUE INDEX outbox_one_reminder ON outbox (booking_id) WHERE kind = 'reminder';
