-- A price zone's name as people read it, per language (the key in `seats.zone` stays what the
-- API and the prices use). A language left empty falls back to another.
CREATE TABLE zone_names (
    venue_id INTEGER NOT NULL REFERENCES venues (id),
    zone TEXT NOT NULL,
    name_ru TEXT,
    name_kk TEXT,
    name_en TEXT,
    PRIMARY KEY (venue_id, zone)
);
