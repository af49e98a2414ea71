-- octroi, PostgreSQL schema 0017: the business date of each ledger movement (issue 18, finding 9).
-- migrations/sqlite/0017_ledger_dates.sql, translated as 0001 explains (a date column).
ALTER TABLE ledger_entries ADD COLUMN effective_on date;
