-- octroi, SQLite schema 0019: the amount an applicant asks for, as its own field (issue 18).
--
-- applications.requested_cents: the amount asked when it is not what the financing plan's lines
-- from this authority add up to; NULL (every dossier before this migration) means those lines,
-- as before. The rule's "never above the request" caps the award at it.
ALTER TABLE applications ADD COLUMN requested_cents INTEGER
  CHECK (requested_cents IS NULL OR requested_cents > 0);
