-- A companion seat names the wheelchair space it goes with: it is sold with that space until
-- `booking.companion_release_hours` before the start, and then on its own. One companion per
-- space.
ALTER TABLE seats ADD COLUMN companion_of INTEGER REFERENCES seats (id);
CREATE UNIQUE INDEX seats_one_companion ON seats (companion_of) WHERE companion_of IS NOT NULL;
