-- octroi, PostgreSQL schema 0010: imports as jobs (issue 15, item 4). The same change as
-- migrations/sqlite/0010_import_jobs.sql: a third kind of job, and the uploaded file waiting in
-- the job (input_hex, hex-encoded, at most 32 MiB of file) until a worker imports it; dropped
-- (NULL) as soon as the job ends.

ALTER TABLE jobs DROP CONSTRAINT jobs_kind_check;
ALTER TABLE jobs ADD CONSTRAINT jobs_kind_check CHECK (kind IN ('documents', 'export', 'import'));
ALTER TABLE jobs ADD COLUMN input_hex text
  CHECK (input_hex IS NULL OR length(input_hex) <= 67108864);
ALTER TABLE jobs ADD CONSTRAINT jobs_input_while_pending
  CHECK (input_hex IS NULL OR state IN ('queued', 'running'));
