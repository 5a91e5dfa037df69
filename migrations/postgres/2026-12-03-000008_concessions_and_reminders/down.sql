DROP INDEX outbox_one_reminder;
ALTER TABLE performances DROP COLUMN release_unpaid_minutes;
ALTER TABLE tickets DROP COLUMN ticket_type;

DELETE FROM performance_prices WHERE ticket_type <> 'full';
ALTER TABLE performance_prices DROP CONSTRAINT performance_prices_pkey;
ALTER TABLE performance_prices DROP COLUMN ticket_type;
ALTER TABLE performance_prices ADD PRIMARY KEY (performance_id, zone);
