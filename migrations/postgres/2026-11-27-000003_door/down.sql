DROP TABLE scan_results;
DROP TABLE checkins;
ALTER TABLE tickets DROP COLUMN inside;
