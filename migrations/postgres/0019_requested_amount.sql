-- octroi, PostgreSQL schema 0019: as migrations/sqlite/0019_requested_amount.sql, the amount an
-- applicant asks for as its own field (NULL: the plan's lines from this authority).
ALTER TABLE applications ADD COLUMN requested_cents bigint
  CHECK (requested_cents IS NULL OR requested_cents > 0);
