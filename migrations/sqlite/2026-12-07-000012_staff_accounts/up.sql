-- Staff accounts run from the pages: an account can be switched off (its sessions end with it),
-- has a language for the mail it gets, and shows when it last signed in. An invited account has
-- no password until its holder sets one from the link in the invitation.
ALTER TABLE users ADD COLUMN active BOOLEAN NOT NULL DEFAULT 1;
ALTER TABLE users ADD COLUMN language TEXT NOT NULL DEFAULT 'ru';
ALTER TABLE users ADD COLUMN last_signin_at TIMESTAMP;

-- The limits on sign-in also count requests for a password-reset link.
ALTER TABLE login_failures ADD COLUMN kind TEXT NOT NULL DEFAULT 'signin'
    CHECK (kind IN ('signin', 'reset'));

-- A one-time link to set a password: after an invitation, or after "forgot password". The
-- database keeps a random nonce (the token is an HMAC of it under the installation's secret)
-- and the token's hash, never the token.
CREATE TABLE account_tokens (
    id INTEGER PRIMARY KEY NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users (id),
    purpose TEXT NOT NULL CHECK (purpose IN ('invite', 'reset')),
    nonce TEXT NOT NULL UNIQUE,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP
);
CREATE INDEX account_tokens_user ON account_tokens (user_id);

-- A message is about a booking, a waiting-list entry or an account's link, and says when it was
-- given up (for the director's warning). SQLite cannot change a table's CHECK, so the table is
-- made again with the same rows.
CREATE TABLE outbox_new (
    id INTEGER PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL,
    booking_id INTEGER REFERENCES bookings (id),
    recipient TEXT NOT NULL,
    details TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
    attempts INTEGER NOT NULL,
    next_attempt_at TIMESTAMP NOT NULL,
    locked_until TIMESTAMP,
    last_error TEXT,
    created_at TIMESTAMP NOT NULL,
    sent_at TIMESTAMP,
    waitlist_entry_id INTEGER REFERENCES waitlist_entries (id),
    account_token_id INTEGER REFERENCES account_tokens (id),
    failed_at TIMESTAMP,
    CHECK ((booking_id IS NOT NULL) + (waitlist_entry_id IS NOT NULL)
           + (account_token_id IS NOT NULL) = 1)
);
INSERT INTO outbox_new (id, kind, booking_id, recipient, details, status, attempts,
                        next_attempt_at, locked_until, last_error, created_at, sent_at,
                        waitlist_entry_id)
    SELECT id, kind, booking_id, recipient, details, status, attempts,
           next_attempt_at, locked_until, last_error, created_at, sent_at, waitlist_entry_id
    FROM outbox;
UPDATE outbox_new SET failed_at = next_attempt_at WHERE status = 'failed';
DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
CREATE UNIQUE INDEX outbox_one_reminder ON outbox (booking_id) WHERE kind = 'reminder';
CREATE INDEX outbox_by_status ON outbox (status, created_at);
