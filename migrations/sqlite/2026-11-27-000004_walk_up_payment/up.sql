-- How a sale at the door was paid: cash or card (null for online bookings and complimentary seats).
ALTER TABLE bookings ADD COLUMN paid_with TEXT;
