-- octroi, SQLite schema 0004: the web application's accounts (issue 6) — users and their roles,
-- server-side login sessions, API bearer tokens, the answers kept for Idempotency-Key replays,
-- and the instructors' private notes on a dossier.
--
-- Secrets are never stored: a session token or an API token is kept as the SHA-256 of the
-- random value the client holds (64 hex digits), a password as an argon2id hash
-- (libsodium's crypto_pwhash_str). Instants are ISO 8601 UTC TEXT; the login sessions' instants
-- are compared as strings, so they must all have the one fixed format 'YYYY-MM-DDTHH:MM:SSZ'.
-- Sessions are deleted at logout and expiry; the notes are append-only.

CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  authority_id INTEGER NOT NULL REFERENCES authorities(id),
  -- Unique in the whole database: one login page serves every authority of the platform.
  login TEXT NOT NULL UNIQUE
    CHECK (length(login) BETWEEN 1 AND 64 AND login NOT GLOB '*[^a-z0-9._@-]*'),
  display_name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('administrator', 'instructor', 'approver', 'clerk', 'finance',
                                     'reader')),
  service TEXT NOT NULL DEFAULT '',
  password_hash TEXT NOT NULL CHECK (substr(password_hash, 1, 10) = '$argon2id$'),
  active INTEGER NOT NULL CHECK (active IN (0, 1)),
  created_at TEXT NOT NULL
) STRICT;
CREATE INDEX users_by_authority ON users (authority_id, login);

CREATE TABLE login_sessions (
  token_hash TEXT PRIMARY KEY CHECK (length(token_hash) = 64),
  user_id INTEGER NOT NULL REFERENCES users(id),
  authority_id INTEGER NOT NULL REFERENCES authorities(id),
  csrf_token TEXT NOT NULL CHECK (length(csrf_token) >= 32),
  created_at TEXT NOT NULL
    CHECK (created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]Z'),
  last_seen_at TEXT NOT NULL
    CHECK (last_seen_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]Z'),
  expires_at TEXT NOT NULL
    CHECK (expires_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]Z')
) STRICT;
CREATE INDEX login_sessions_by_user ON login_sessions (user_id);

CREATE TABLE api_tokens (
  id INTEGER PRIMARY KEY,
  authority_id INTEGER NOT NULL REFERENCES authorities(id),
  token_hash TEXT NOT NULL UNIQUE CHECK (length(token_hash) = 64),
  label TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('administrator', 'instructor', 'approver', 'clerk', 'finance',
                                     'reader')),
  created_at TEXT NOT NULL,
  revoked_at TEXT
) STRICT;

-- The answer given to a creating request sent with an Idempotency-Key, per authority.
CREATE TABLE idempotency_keys (
  authority_id INTEGER NOT NULL REFERENCES authorities(id),
  key TEXT NOT NULL CHECK (length(key) BETWEEN 1 AND 200),
  request_hash TEXT NOT NULL,
  status INTEGER NOT NULL CHECK (status BETWEEN 100 AND 599),
  response_body TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (authority_id, key)
) STRICT;

-- The instructors' private notes on a dossier (never published).
CREATE TABLE application_notes (
  id INTEGER PRIMARY KEY,
  authority_id INTEGER NOT NULL REFERENCES authorities(id),
  application_id INTEGER NOT NULL REFERENCES applications(id),
  author TEXT NOT NULL,
  at TEXT NOT NULL,
  text TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 10000)
) STRICT;
CREATE INDEX application_notes_by_application ON application_notes (application_id, id);
CREATE TRIGGER application_notes_append_only_u BEFORE UPDATE ON application_notes
BEGIN SELECT RAISE(ABORT, 'application_notes is append-only'); END;
CREATE TRIGGER application_notes_append_only_d BEFORE DELETE ON application_notes
BEGIN SELECT RAISE(ABORT, 'application_notes is append-only'); END;
