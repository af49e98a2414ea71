-- octroi, SQLite schema 0011: a payment's reference is unique per award (issue 16, finding 4).
-- The same payment request sent twice (a double click, a retried request) carries the same
-- reference: the database refuses the second, whatever the code checked before.
CREATE UNIQUE INDEX payments_one_reference ON payments (application_id, reference);
