ALTER TABLE productions DROP COLUMN poster;
