-- A production's poster: the name its copies have under `posters.dir` (made from their content).
ALTER TABLE productions ADD COLUMN poster TEXT;
