-- octroi, PostgreSQL schema 0009: the login throttle in the database (issue 15, item 5: several
-- `octroi serve` processes on one database behave as one). The PostgreSQL 15 counterpart of
-- migrations/sqlite/0009_login_throttle.sql: same table, same columns in the same order, same
-- constraints and index.
--
-- Dialect differences from migrations/sqlite/0009_login_throttle.sql:
--   - no STRICT;
--   - the instants (first_at, locked_until, seconds since the epoch) are bigint; the count
--     (failures) is integer.
--
-- login_failures: the failures counted per key ("login:<login>", "addr:<address>",
-- "password:<user id>"; see LoginThrottle in src/app/accounts.h). After `max_failures` failures
-- within the window opened by the first one (first_at), the key is refused until locked_until
-- and its count starts again from zero. An entry whose window and lockout are both over means
-- nothing and is deleted by the next sweep (the index serves it), so the table cannot grow
-- without end. Two servers count into the same row: the failure is one upsert
-- (INSERT … ON CONFLICT (key) DO UPDATE), atomic under concurrency.
--
-- No authority: a key names a login or an address before anyone is authenticated. The table
-- carries no authority's data and is not copied by `db copy` (src/adapters/sql/tables.cc).
-- Numbered 0009: 0008 is taken by another change.

CREATE TABLE login_failures (
  key text NOT NULL PRIMARY KEY CHECK (length(key) BETWEEN 1 AND 200),
  failures integer NOT NULL CHECK (failures >= 0),
  first_at bigint NOT NULL,
  locked_until bigint NOT NULL
);
CREATE INDEX login_failures_by_first_at ON login_failures (first_at);
