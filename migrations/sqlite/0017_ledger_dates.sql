-- octroi, SQLite schema 0017: the business date of each ledger movement (issue 18, finding 9).
--
-- ledger_entries.effective_on: the day of the act the movement records — the session's date for
-- a vote's allocations, the signature's for a commitment, the payment's for a payment order and
-- its CP, the lapse date, the budget's vote — which the journals show, instead of the instant the
-- row was recorded (at, UTC). Movements recorded before this migration have none (NULL): the
-- journals show their recording day. The journal stays append-only.
ALTER TABLE ledger_entries ADD COLUMN effective_on TEXT
  CHECK (effective_on IS NULL OR
         effective_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]');
