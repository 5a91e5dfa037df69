DROP TABLE audit_log;
ALTER TABLE bookings ADD COLUMN payment TEXT NOT NULL DEFAULT 'unpaid'
    CHECK (payment IN ('unpaid', 'paid', 'comp'));
ALTER TABLE bookings ADD COLUMN paid_with TEXT;
UPDATE bookings SET payment = 'comp' WHERE comp;
UPDATE bookings SET payment = 'paid',
    paid_with = (SELECT MIN(method) FROM payments WHERE payments.booking_id = bookings.id)
    WHERE NOT comp AND EXISTS (SELECT 1 FROM payments WHERE payments.booking_id = bookings.id);
ALTER TABLE bookings DROP COLUMN comp;
DROP TABLE payments;
