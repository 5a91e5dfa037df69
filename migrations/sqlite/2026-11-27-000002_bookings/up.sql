-- Selling seats. A seat of a performance is claimed by at most one thing at a time: a hold
-- (until it expires), a booking, or a director's block. The primary key of seat_claims is that
-- guarantee, enforced by the database itself: no seat is ever sold twice.

CREATE TABLE holds (
    id INTEGER PRIMARY KEY NOT NULL,
    performance_id INTEGER NOT NULL REFERENCES performances (id),
    token_hash TEXT NOT NULL UNIQUE,
    seat_count INTEGER NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE bookings (
    id INTEGER PRIMARY KEY NOT NULL,
    reference TEXT NOT NULL UNIQUE,
    performance_id INTEGER NOT NULL REFERENCES performances (id),
    hold_id INTEGER UNIQUE REFERENCES holds (id),
    name TEXT NOT NULL,
    email TEXT,
    phone TEXT,
    language TEXT NOT NULL CHECK (language IN ('ru', 'kk', 'en')),
    status TEXT NOT NULL CHECK (status IN ('confirmed', 'cancelled')),
    payment TEXT NOT NULL CHECK (payment IN ('unpaid', 'paid', 'comp')),
    total BIGINT NOT NULL CHECK (total >= 0),
    created_at TIMESTAMP NOT NULL,
    cancelled_at TIMESTAMP
);
CREATE INDEX bookings_performance ON bookings (performance_id);

CREATE TABLE tickets (
    id INTEGER PRIMARY KEY NOT NULL,
    booking_id INTEGER NOT NULL REFERENCES bookings (id),
    performance_id INTEGER NOT NULL REFERENCES performances (id),
    seat_id INTEGER NOT NULL REFERENCES seats (id),
    code TEXT NOT NULL UNIQUE,
    price BIGINT NOT NULL CHECK (price >= 0),
    status TEXT NOT NULL CHECK (status IN ('valid', 'void')),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX tickets_booking ON tickets (booking_id);
CREATE INDEX tickets_performance ON tickets (performance_id);

CREATE TABLE seat_claims (
    performance_id INTEGER NOT NULL REFERENCES performances (id),
    seat_id INTEGER NOT NULL REFERENCES seats (id),
    hold_id INTEGER REFERENCES holds (id) ON DELETE CASCADE,
    booking_id INTEGER REFERENCES bookings (id),
    block_id INTEGER REFERENCES seat_blocks (id) ON DELETE CASCADE,
    -- A claim with an expiry stops counting at that instant (a hold's end, a block's release).
    expires_at TIMESTAMP,
    PRIMARY KEY (performance_id, seat_id),
    CHECK ((CASE WHEN hold_id IS NULL THEN 0 ELSE 1 END)
         + (CASE WHEN booking_id IS NULL THEN 0 ELSE 1 END)
         + (CASE WHEN block_id IS NULL THEN 0 ELSE 1 END) = 1)
);
CREATE INDEX seat_claims_hold ON seat_claims (hold_id);
CREATE INDEX seat_claims_booking ON seat_claims (booking_id);

INSERT INTO seat_claims (performance_id, seat_id, block_id, expires_at)
SELECT performance_id, seat_id, id, release_at FROM seat_blocks;

CREATE TABLE idempotency_keys (
    idempotency_key TEXT PRIMARY KEY NOT NULL,
    request_hash TEXT NOT NULL,
    booking_id INTEGER NOT NULL REFERENCES bookings (id),
    created_at TIMESTAMP NOT NULL
);

-- Secrets made at the first start and shared by every instance on this database, e.g. the key
-- that signs booking management links. Configuration may override them.
CREATE TABLE app_secrets (
    name TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);

-- Mail to send, written in the same transaction as the booking it is about.
CREATE TABLE outbox (
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
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
