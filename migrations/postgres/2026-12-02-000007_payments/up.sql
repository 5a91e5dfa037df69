-- Money is records, not a flag. Every payment and refund of a booking is a row; the booking's
-- payment state (unpaid, partly paid, paid, refund due, refunded) is derived from its rows and
-- total. A complimentary booking says so in `comp`.

CREATE TABLE payments (
    id SERIAL PRIMARY KEY,
    booking_id INTEGER NOT NULL REFERENCES bookings (id),
    amount BIGINT NOT NULL CHECK (amount > 0),
    method TEXT NOT NULL CHECK (method IN ('cash', 'card', 'kaspi', 'transfer')),
    kind TEXT NOT NULL CHECK (kind IN ('payment', 'refund')),
    recorded_by INTEGER REFERENCES users (id),
    recorded_at TIMESTAMP NOT NULL,
    note TEXT,
    -- A request retried with its Idempotency-Key finds the payment it made.
    idempotency_key TEXT UNIQUE,
    request_hash TEXT
);
CREATE INDEX payments_booking ON payments (booking_id);
CREATE INDEX payments_recorded_at ON payments (recorded_at);

ALTER TABLE bookings ADD COLUMN comp BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE bookings SET comp = TRUE WHERE payment = 'comp';
-- A sale at the door that was paid gets the row it would have had.
INSERT INTO payments (booking_id, amount, method, kind, recorded_by, recorded_at)
    SELECT id, total, paid_with, 'payment', sold_by, created_at
    FROM bookings
    WHERE payment = 'paid' AND paid_with IS NOT NULL AND total > 0;
ALTER TABLE bookings DROP COLUMN payment;
ALTER TABLE bookings DROP COLUMN paid_with;

-- Who did what to money, tickets and the calendar, and when: written in the transaction of the
-- change it describes, never changed or removed.
CREATE TABLE audit_log (
    id SERIAL PRIMARY KEY,
    at TIMESTAMP NOT NULL,
    user_id INTEGER REFERENCES users (id),
    action TEXT NOT NULL,
    booking_id INTEGER REFERENCES bookings (id),
    performance_id INTEGER REFERENCES performances (id),
    details TEXT NOT NULL
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_booking ON audit_log (booking_id);
CREATE FUNCTION audit_log_kept() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit entries are never changed or removed';
END;
$$;
CREATE TRIGGER audit_log_kept BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_kept();
