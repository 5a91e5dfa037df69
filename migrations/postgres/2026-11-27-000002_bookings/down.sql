DROP TABLE outbox;
DROP TABLE app_secrets;
DROP TABLE idempotency_keys;
DROP TABLE seat_claims;
DROP TABLE tickets;
DROP TABLE bookings;
DROP TABLE holds;
