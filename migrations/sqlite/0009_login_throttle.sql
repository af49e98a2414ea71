-- octroi, SQLite schema 0009: the login throttle in the database (issue 15, item 5: several
-- `octroi serve` processes on one database behave as one).
--
-- login_failures: the failures counted per key ("login:<login>", "addr:<address>",
-- "password:<user id>"; see LoginThrottle in src/app/accounts.h). After `max_failures` failures
-- within the window opened by the first one (first_at), the key is refused until locked_until
-- and its count starts again from zero. Instants are whole seconds since the epoch (UTC),
-- compared as numbers. An entry whose window and lockout are both over means nothing and is
-- deleted by the next sweep (the index serves it), so the table cannot grow without end.
--
-- No authority: a key names a login or an address before anyone is authenticated. The table
-- carries no authority's data and is not copied by `db copy` (src/adapters/sql/tables.cc).
-- Numbered 0009: 0008 is taken by another change.

CREATE TABLE login_failures (
  key TEXT NOT NULL PRIMARY KEY CHECK (length(key) BETWEEN 1 AND 200),
  failures INTEGER NOT NULL CHECK (failures >= 0),
  first_at INTEGER NOT NULL,
  locked_until INTEGER NOT NULL
) STRICT;
CREATE INDEX login_failures_by_first_at ON login_failures (first_at);
