-- A sale at the door: how it was paid, cash or card (null for online bookings and complimentary
-- seats), and who sold it.
ALTER TABLE bookings ADD COLUMN paid_with TEXT;
ALTER TABLE bookings ADD COLUMN sold_by INTEGER REFERENCES users (id);
