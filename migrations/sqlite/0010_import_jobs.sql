-- octroi, SQLite schema 0010: imports as jobs (issue 15, item 4).
--
-- A spreadsheet or CSV import may take a minute: the page and the API upload the file, which
-- waits in the job (input_hex, the file's bytes hex-encoded, at most 32 MiB of file) until a
-- worker reads and imports it; the job's file is then the line-by-line report. The input is
-- dropped (NULL) as soon as the job ends, done or failed.
--
-- SQLite cannot change a CHECK constraint in place: the table is rebuilt (no table references
-- jobs; its two indexes are recreated).

CREATE TABLE jobs_0010 (
  id INTEGER PRIMARY KEY,
  authority_id INTEGER NOT NULL REFERENCES authorities(id),
  owner TEXT NOT NULL CHECK (length(owner) BETWEEN 1 AND 300),
  kind TEXT NOT NULL CHECK (kind IN ('documents', 'export', 'import')),
  title TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 500),
  request TEXT NOT NULL CHECK (length(request) BETWEEN 1 AND 100000),
  state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed')),
  steps_done INTEGER NOT NULL DEFAULT 0 CHECK (steps_done >= 0),
  steps_total INTEGER NOT NULL DEFAULT 0 CHECK (steps_total >= 0 AND steps_done <= steps_total),
  stage TEXT NOT NULL DEFAULT '' CHECK (length(stage) <= 500),
  failure TEXT NOT NULL DEFAULT '' CHECK (length(failure) <= 2000),
  result_name TEXT,
  result_type TEXT,
  result_hex TEXT CHECK (result_hex IS NULL OR length(result_hex) <= 268435456),
  runner TEXT,
  created_at TEXT NOT NULL,
  started_at TEXT,
  heartbeat_at TEXT,
  finished_at TEXT,
  input_hex TEXT CHECK (input_hex IS NULL OR length(input_hex) <= 67108864),
  CHECK ((state = 'done') = (result_hex IS NOT NULL AND result_name IS NOT NULL
                             AND result_type IS NOT NULL)),
  CHECK ((state = 'failed') = (failure <> '')),
  CHECK ((state = 'queued') = (started_at IS NULL)),
  CHECK (input_hex IS NULL OR state IN ('queued', 'running'))
) STRICT;

INSERT INTO jobs_0010 (id, authority_id, owner, kind, title, request, state, steps_done,
                       steps_total, stage, failure, result_name, result_type, result_hex, runner,
                       created_at, started_at, heartbeat_at, finished_at)
SELECT id, authority_id, owner, kind, title, request, state, steps_done, steps_total, stage,
       failure, result_name, result_type, result_hex, runner, created_at, started_at,
       heartbeat_at, finished_at
FROM jobs;

DROP TABLE jobs;
ALTER TABLE jobs_0010 RENAME TO jobs;
CREATE INDEX jobs_queue ON jobs (state, id);
CREATE INDEX jobs_owner ON jobs (authority_id, owner, id);
