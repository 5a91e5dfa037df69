-- The door. Whether a ticket's holder is inside is one column, changed by a conditional
-- UPDATE (inside = false → true): two doors scanning one ticket at once admit it once.

ALTER TABLE tickets ADD COLUMN inside BOOLEAN NOT NULL DEFAULT FALSE;

-- Every movement through the door, kept when undone (undone_at set), never erased.
CREATE TABLE checkins (
    id INTEGER PRIMARY KEY NOT NULL,
    ticket_id INTEGER NOT NULL REFERENCES tickets (id),
    performance_id INTEGER NOT NULL REFERENCES performances (id),
    direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
    at TIMESTAMP NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users (id),
    device TEXT NOT NULL,
    undone_at TIMESTAMP,
    undone_by INTEGER REFERENCES users (id)
);
CREATE INDEX checkins_ticket ON checkins (ticket_id, id);
CREATE INDEX checkins_performance ON checkins (performance_id);

-- The answer given to each scan that carried a nonce: a replayed scan (uploaded again after
-- an outage) gets the first answer back.
CREATE TABLE scan_results (
    nonce TEXT PRIMARY KEY NOT NULL,
    status INTEGER NOT NULL,
    body TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
