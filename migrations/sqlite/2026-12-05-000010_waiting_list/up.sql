-- The waiting list of a sold-out performance. An entry waits in line (its id is its place),
-- is offered seats held for it (a hold that names the entry), and ends booked, lapsed (the
-- offer ran out) or left (from the link in its mail).
CREATE TABLE waitlist_entries (
    id INTEGER PRIMARY KEY NOT NULL,
    performance_id INTEGER NOT NULL REFERENCES performances (id),
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    language TEXT NOT NULL,
    seats INTEGER NOT NULL CHECK (seats BETWEEN 1 AND 4),
    status TEXT NOT NULL DEFAULT 'waiting'
        CHECK (status IN ('waiting', 'offered', 'booked', 'lapsed', 'left')),
    created_at TIMESTAMP NOT NULL,
    offered_at TIMESTAMP,
    offer_expires_at TIMESTAMP,
    booking_id INTEGER REFERENCES bookings (id),
    ended_at TIMESTAMP
);
CREATE INDEX waitlist_entries_line ON waitlist_entries (performance_id, status, id);

-- A hold made as an offer names its entry, so that booking it marks the entry booked.
ALTER TABLE holds ADD COLUMN waitlist_entry_id INTEGER REFERENCES waitlist_entries (id);

-- A message is about a booking or about a waiting-list entry. SQLite cannot drop NOT NULL
-- from a column, so the table is made again with the same rows.
CREATE TABLE outbox_new (
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
INSERT INTO outbox_new (id, kind, booking_id, recipient, details, status, attempts,
                        next_attempt_at, locked_until, last_error, created_at, sent_at)
    SELECT id, kind, booking_id, recipient, details, status, attempts,
           next_attempt_at, locked_until, last_error, created_at, sent_at
    FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
CREATE UNIQUE INDEX outbox_one_reminder ON outbox (booking_id) WHERE kind = 'reminder';
