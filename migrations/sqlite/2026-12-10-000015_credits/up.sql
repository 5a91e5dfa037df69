-- A production's credits, in the order the director gives them: who made it (`crew`) and who
-- plays in it (`cast`), each a role (may be empty) and a name.
CREATE TABLE credits (
    production_id INTEGER NOT NULL REFERENCES productions (id),
    position INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('crew', 'cast')),
    role TEXT NOT NULL,
    name TEXT NOT NULL,
    PRIMARY KEY (production_id, position)
);
