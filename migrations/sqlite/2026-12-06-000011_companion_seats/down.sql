DROP INDEX seats_one_companion;
ALTER TABLE seats DROP COLUMN companion_of;
