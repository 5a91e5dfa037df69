ALTER TABLE bookings DROP COLUMN paid_with;
