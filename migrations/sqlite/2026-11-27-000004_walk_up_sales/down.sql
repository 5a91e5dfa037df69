ALTER TABLE bookings DROP COLUMN sold_by;
ALTER TABLE bookings DROP COLUMN paid_with;
