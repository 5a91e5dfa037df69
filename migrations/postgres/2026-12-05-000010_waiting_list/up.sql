-- The waiting list of a sold-out performance. An entry waits in line (its id is its place),
-- is offered seats held for it (a hold that names the entry), and ends booked, lapsed (the
-- offer ran out) or left (from the link in its mail).
CREATE TABLE waitlist_entries (
    id SERIAL PRIMARY KEY,
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

-- A message is about a booking or about a waiting-list entry.
ALTER TABLE outbox ALTER COLUMN booking_id DROP NOT NULL;
ALTER TABLE outbox ADD COLUMN waitlist_entry_id INTEGER REFERENCES waitlist_entries (id);
ALTER TABLE outbox ADD CONSTRAINT outbox_about_one
    CHECK ((booking_id IS NULL) <> (waitlist_entry_id IS NULL));
