DROP INDEX outbox_by_status;
DELETE FROM outbox WHERE account_token_id IS NOT NULL;
ALTER TABLE outbox DROP CONSTRAINT outbox_about_one;
ALTER TABLE outbox DROP COLUMN account_token_id;
ALTER TABLE outbox DROP COLUMN failed_at;
ALTER TABLE outbox ADD CONSTRAINT outbox_about_one
    CHECK ((booking_id IS NULL) <> (waitlist_entry_id IS NULL));
DROP TABLE account_tokens;
DELETE FROM login_failures WHERE kind <> 'signin';
ALTER TABLE login_failures DROP COLUMN kind;
ALTER TABLE users DROP COLUMN last_signin_at;
ALTER TABLE users DROP COLUMN language;
ALTER TABLE users DROP COLUMN active;
