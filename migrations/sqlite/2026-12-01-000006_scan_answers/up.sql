-- A scan's first answer is kept as its JSON alone: the HTTP status is the API's reading of the
-- answer's `result`, not something to store.
ALTER TABLE scan_results DROP COLUMN status;
