DELETE FROM outbox WHERE booking_id IS NULL;
ALTER TABLE outbox DROP CONSTRAINT outbox_about_one;
ALTER TABLE outbox DROP COLUMN waitlist_entry_id;
ALTER TABLE outbox ALTER COLUMN booking_id SET NOT NULL;
ALTER TABLE holds DROP COLUMN waitlist_entry_id;
DROP TABLE waitlist_entries;
