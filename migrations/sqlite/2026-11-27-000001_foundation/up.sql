-- The foundation: staff accounts, the hall and its seat plan, productions and the calendar.
-- Instants are UTC (TIMESTAMP without zone); money is whole tenge (BIGINT).

CREATE TABLE users (
    id INTEGER PRIMARY KEY NOT NULL,
    email TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('director', 'staff')),
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE sessions (
    id INTEGER PRIMARY KEY NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP
);
CREATE INDEX sessions_user_id ON sessions (user_id);

CREATE TABLE login_failures (
    id INTEGER PRIMARY KEY NOT NULL,
    email TEXT NOT NULL,
    client_ip TEXT NOT NULL,
    failed_at TIMESTAMP NOT NULL
);
CREATE INDEX login_failures_email ON login_failures (email, failed_at);
CREATE INDEX login_failures_client_ip ON login_failures (client_ip, failed_at);

CREATE TABLE venues (
    id INTEGER PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    address TEXT NOT NULL,
    timezone TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE seats (
    id INTEGER PRIMARY KEY NOT NULL,
    venue_id INTEGER NOT NULL REFERENCES venues (id) ON DELETE CASCADE,
    row_number INTEGER NOT NULL,
    seat_number INTEGER NOT NULL,
    zone TEXT NOT NULL,
    x INTEGER NOT NULL,
    y INTEGER NOT NULL,
    accessible BOOLEAN NOT NULL,
    UNIQUE (venue_id, row_number, seat_number)
);

CREATE TABLE productions (
    id INTEGER PRIMARY KEY NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    duration_minutes INTEGER NOT NULL,
    intermission_minutes INTEGER NOT NULL,
    age_rating TEXT NOT NULL,
    language TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE performances (
    id INTEGER PRIMARY KEY NOT NULL,
    production_id INTEGER NOT NULL REFERENCES productions (id),
    venue_id INTEGER NOT NULL REFERENCES venues (id),
    starts_at TIMESTAMP NOT NULL,
    ends_at TIMESTAMP NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('draft', 'published', 'cancelled')),
    sales_open_at TIMESTAMP,
    sales_close_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CHECK (ends_at > starts_at)
);
CREATE INDEX performances_venue_time ON performances (venue_id, starts_at);
CREATE INDEX performances_starts_at ON performances (starts_at);
CREATE INDEX performances_production ON performances (production_id);

CREATE TABLE performance_prices (
    performance_id INTEGER NOT NULL REFERENCES performances (id) ON DELETE CASCADE,
    zone TEXT NOT NULL,
    price BIGINT NOT NULL CHECK (price >= 0),
    PRIMARY KEY (performance_id, zone)
);

CREATE TABLE seat_blocks (
    id INTEGER PRIMARY KEY NOT NULL,
    performance_id INTEGER NOT NULL REFERENCES performances (id) ON DELETE CASCADE,
    seat_id INTEGER NOT NULL REFERENCES seats (id),
    reason TEXT NOT NULL,
    release_at TIMESTAMP,
    created_by INTEGER NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    UNIQUE (performance_id, seat_id)
);
