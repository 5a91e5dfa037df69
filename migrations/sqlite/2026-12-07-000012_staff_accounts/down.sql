CREATE TABLE outbox_old (
    id INTEGER PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL,
    booking_id INTEGER REFERENCES bookings (id),
    recipient TEXT NOT NULL,
    details TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
    attempts INTEGER NOT NULL,
    next_attempt_at TIMESTAMP NOT NULL,
    locked_until TIMESTAMP,
    last_error TEXT,
    created_at TIMESTAMP NOT NULL,
    sent_at TIMESTAMP,
    waitlist_entry_id INTEGER REFERENCES waitlist_entries (id),
    CHECK ((booking_id IS NULL) <> (waitlist_entry_id IS NULL))
);
INSERT INTO outbox_old (id, kind, booking_id, recipient, details, status, attempts,
                        next_attempt_at, locked_until, last_error, created_at, sent_at,
                        waitlist_entry_id)
    SELECT id, kind, booking_id, recipient, details, status, attempts,
           next_attempt_at, locked_until, last_error, created_at, sent_at, waitlist_entry_id
    FROM outbox WHERE account_token_id IS NULL;
DROP TABLE outbox;
ALTER TABLE outbox_old RENAME TO outbox;
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
CREATE UNIQUE INDEX outbox_one_reminder ON outbox (booking_id) WHERE kind = 'reminder';
DROP TABLE account_tokens;
DELETE FROM login_failures WHERE kind <> 'signin';
ALTER TABLE login_failures DROP COLUMN kind;
ALTER TABLE users DROP COLUMN last_signin_at;
ALTER TABLE users DROP COLUMN language;
ALTER TABLE users DROP COLUMN active;
