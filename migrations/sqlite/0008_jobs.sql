-- octroi, SQLite schema 0008: long work off the request path (issue 15).
--
-- jobs: a document batch or an export (SCDL CSV, workbooks) asked for by a user, run by a
-- server's job workers rather than inside the request: the request answers at once with the
-- job, whose page shows its progress and, when it is done, offers its file. Any server process
-- on the database may run any queued job (several `octroi serve` on one PostgreSQL behave as
-- one). A job belongs to its authority and to the user who asked for it (`owner`, the actor
-- "web:login" or "api:label"); nobody else sees it.
--
-- states: queued -> running -> done | failed. The result (the file's bytes, hex-encoded) is
-- present exactly when done; a failure carries its French reason. `heartbeat_at` is moved by
-- the worker while it runs: a running job whose heartbeat is too old was abandoned (its process
-- died) and is marked failed by the next worker that looks.

CREATE TABLE jobs (
  id INTEGER PRIMARY KEY,
  authority_id INTEGER NOT NULL REFERENCES authorities(id),
  owner TEXT NOT NULL CHECK (length(owner) BETWEEN 1 AND 300),
  kind TEXT NOT NULL CHECK (kind IN ('documents', 'export')),
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
  CHECK ((state = 'done') = (result_hex IS NOT NULL AND result_name IS NOT NULL
                             AND result_type IS NOT NULL)),
  CHECK ((state = 'failed') = (failure <> '')),
  CHECK ((state = 'queued') = (started_at IS NULL))
) STRICT;

CREATE INDEX jobs_queue ON jobs (state, id);
CREATE INDEX jobs_owner ON jobs (authority_id, owner, id);
