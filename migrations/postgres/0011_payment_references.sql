-- octroi, PostgreSQL schema 0011: a payment's reference is unique per award (issue 16, finding
-- 4), as migrations/sqlite/0011_payment_references.sql.
CREATE UNIQUE INDEX payments_one_reference ON payments (application_id, reference);
