-- octroi, SQLite schema 0011: a payment's reference is unique per award (issue 16, finding 4).
-- The same payment request sent twice (a double click, a retried request) carries the same
-- reference: the database refuses the second, whatever the code checked before.
--
-- A database may already hold two payments of one award under one reference (the double
-- payments this migration is about, or a reference typed twice): every one but the first keeps
-- its reference followed by " #" and its id, so that the index can be built and nothing is lost.
UPDATE payments SET reference = reference || ' #' || id
WHERE id NOT IN (SELECT min(id) FROM payments GROUP BY application_id, reference);
CREATE UNIQUE INDEX payments_one_reference ON payments (application_id, reference);
