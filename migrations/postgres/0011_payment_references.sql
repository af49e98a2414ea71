-- octroi, PostgreSQL schema 0011: a payment's reference is unique per award (issue 16, finding
-- 4), as migrations/sqlite/0011_payment_references.sql (the duplicates a database may already
-- hold keep their reference followed by " #" and their id, but the first).
UPDATE payments SET reference = reference || ' #' || id
WHERE id NOT IN (SELECT min(id) FROM payments GROUP BY application_id, reference);
CREATE UNIQUE INDEX payments_one_reference ON payments (application_id, reference);
