CREATE TABLE outbox_old (
    id INTEGER PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL,
    booking_id INTEGER NOT NULL REFERENCES bookings (id),
    recipient TEXT NOT NULL,
    details TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
    attempts INTEGER NOT NULL,
    next_attempt_at TIMESTAMP NOT NULL,
    locked_until TIMESTAMP,
    last_error TEXT,
    created_at TIMESTAMP NOT NULL,
    sent_at TIMESTAMP
);
INSERT INTO outbox_old (id, kind, booking_id, recipient, details, status, attempts,
                        next_attempt_at, locked_until, last_error, created_at, sent_at)
    SELECT id, kind, booking_id, recipient, details, status, attempts,
           next_attempt_at, locked_until, last_error, created_at, sent_at
    FROM outbox WHERE booking_id IS NOT NULL;
DROP TABLE outbox;
ALTER TABLE outbox_old RENAME TO outbox;
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
CREATE UNIQUE INDEX outbox_one_reminder ON outbox (booking_id) WHERE kind = 'reminder';
ALTER TABLE holds DROP COLUMN waitlist_entry_id;
DROP TABLE waitlist_entries;
