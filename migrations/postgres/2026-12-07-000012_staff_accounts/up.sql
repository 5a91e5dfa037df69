-- Staff accounts run from the pages: an account can be switched off (its sessions end with it),
-- has a language for the mail it gets, and shows when it last signed in. An invited account has
-- no password until its holder sets one from the link in the invitation.
ALTER TABLE users ADD COLUMN active BOOLEAN NOT NULL DEFAULT true;
ALTER TABLE users ADD COLUMN language TEXT NOT NULL DEFAULT 'ru';
ALTER TABLE users ADD COLUMN last_signin_at TIMESTAMP;

-- The limits on sign-in also count requests for a password-reset link.
ALTER TABLE login_failures ADD COLUMN kind TEXT NOT NULL DEFAULT 'signin'
    CHECK (kind IN ('signin', 'reset'));

-- A one-time link to set a password: after an invitation, or after "forgot password". The
-- database keeps a random nonce (the token is an HMAC of it under the installation's secret)
-- and the token's hash, never the token.
CREATE TABLE account_tokens (
    id SERIAL PRIMARY KEY,
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
-- given up (for the director's warning).
ALTER TABLE outbox ADD COLUMN account_token_id INTEGER REFERENCES account_tokens (id);
ALTER TABLE outbox ADD COLUMN failed_at TIMESTAMP;
UPDATE outbox SET failed_at = next_attempt_at WHERE status = 'failed';
ALTER TABLE outbox DROP CONSTRAINT outbox_about_one;
ALTER TABLE outbox ADD CONSTRAINT outbox_about_one
    CHECK (num_nonnulls(booking_id, waitlist_entry_id, account_token_id) = 1);
CREATE INDEX outbox_by_status ON outbox (status, created_at);
