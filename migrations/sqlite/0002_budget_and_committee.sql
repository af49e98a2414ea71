-- octroi, SQLite schema 0002: budget lines and their append-only ledger, committee sessions,
-- reports and articles, and the beneficiary history of a dossier.
--
-- Ledger invariants (domain/budget/ledger.h), enforced here too so that no writer, whatever the
-- interleaving, can break them: every balance is kept in budget_lines in the same transaction
-- as the journal row that changes it, and the CHECK constraints below refuse a balance that
-- would over-allocate, over-commit, over-pay or spend more CP than the year's vote.

CREATE TABLE budget_lines (
  id INTEGER PRIMARY KEY,
  authority_id INTEGER NOT NULL REFERENCES authorities(id),
  fiscal_year INTEGER NOT NULL CHECK (fiscal_year BETWEEN 2000 AND 2100),
  nomenclature TEXT NOT NULL CHECK (nomenclature IN ('M57', 'M71')),
  chapter TEXT NOT NULL,
  function TEXT NOT NULL,
  nature TEXT NOT NULL,
  programme TEXT NOT NULL,
  free_code TEXT NOT NULL,
  section TEXT NOT NULL CHECK (section IN ('operating', 'investment')),
  programme_label TEXT NOT NULL,
  action TEXT NOT NULL CHECK (length(action) = 8 AND action NOT GLOB '*[^0-9]*'),
  action_label TEXT NOT NULL,
  ae_voted_cents INTEGER NOT NULL DEFAULT 0,
  cp_voted_cents INTEGER NOT NULL DEFAULT 0,
  allocated_cents INTEGER NOT NULL DEFAULT 0,
  committed_cents INTEGER NOT NULL DEFAULT 0,
  paid_cents INTEGER NOT NULL DEFAULT 0,
  -- CP of this line's year consumed by payment orders (of this line's commitments or of earlier
  -- years' commitments of the same action).
  cp_used_cents INTEGER NOT NULL DEFAULT 0,
  CHECK (allocated_cents >= 0 AND allocated_cents <= ae_voted_cents),
  CHECK (committed_cents >= 0 AND committed_cents <= allocated_cents),
  CHECK (paid_cents >= 0 AND paid_cents <= committed_cents),
  CHECK (cp_used_cents >= 0 AND cp_voted_cents >= 0 AND cp_used_cents <= cp_voted_cents),
  UNIQUE (authority_id, fiscal_year, action)
) STRICT;

CREATE TABLE committee_sessions (
  id INTEGER PRIMARY KEY,
  authority_id INTEGER NOT NULL REFERENCES authorities(id),
  body TEXT NOT NULL CHECK (body IN ('standing_committee', 'council')),
  date TEXT NOT NULL,
  UNIQUE (authority_id, body, date)
) STRICT;

CREATE TABLE reports (
  id INTEGER PRIMARY KEY,
  authority_id INTEGER NOT NULL REFERENCES authorities(id),
  session_id INTEGER NOT NULL REFERENCES committee_sessions(id),
  number TEXT NOT NULL CHECK (number <> ''),
  title TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('draft', 'adopted')),
  adopted_on TEXT,
  CHECK ((state = 'adopted') = (adopted_on IS NOT NULL)),
  UNIQUE (authority_id, number)
) STRICT;

CREATE TABLE report_articles (
  id INTEGER PRIMARY KEY,
  authority_id INTEGER NOT NULL REFERENCES authorities(id),
  report_id INTEGER NOT NULL REFERENCES reports(id),
  position INTEGER NOT NULL CHECK (position >= 1),
  kind TEXT NOT NULL CHECK (kind IN ('scheme_awards', 'tranche', 'direct', 'transfer',
                                     'amount_change', 'extension')),
  title TEXT NOT NULL,
  budget_line_id INTEGER NOT NULL REFERENCES budget_lines(id),
  amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
  scheme_id INTEGER REFERENCES aid_schemes(id),
  party_id INTEGER REFERENCES parties(id),
  planned_total_cents INTEGER CHECK (planned_total_cents > 0),
  tranche_rate_numerator INTEGER,
  tranche_rate_denominator INTEGER CHECK (tranche_rate_denominator > 0),
  transfer_application_id INTEGER REFERENCES applications(id),
  UNIQUE (report_id, position)
) STRICT;

CREATE TABLE report_article_applications (
  article_id INTEGER NOT NULL REFERENCES report_articles(id),
  position INTEGER NOT NULL CHECK (position >= 1),
  application_id INTEGER NOT NULL REFERENCES applications(id),
  authority_id INTEGER NOT NULL REFERENCES authorities(id),
  PRIMARY KEY (article_id, position),
  UNIQUE (article_id, application_id)
) STRICT;

-- The journal: append-only, one row per movement. amount_cents is signed only for votes (an
-- amending decision may reduce a vote) and their reversals; every other kind carries a positive
-- amount. A reversal names the row it reverses, carries its amount and undoes its effect.
CREATE TABLE ledger_entries (
  id INTEGER PRIMARY KEY,
  authority_id INTEGER NOT NULL REFERENCES authorities(id),
  budget_line_id INTEGER NOT NULL REFERENCES budget_lines(id),
  kind TEXT NOT NULL CHECK (kind IN ('vote_ae', 'vote_cp', 'allocation', 'release',
                                     'commitment', 'payment_order', 'decommitment',
                                     'cp_consumption',
                                     'lapse_release', 'reversal')),
  amount_cents INTEGER NOT NULL CHECK (amount_cents <> 0),
  reference TEXT NOT NULL CHECK (reference <> ''),
  label TEXT NOT NULL,
  application_id INTEGER REFERENCES applications(id),
  party_id INTEGER REFERENCES parties(id),
  article_id INTEGER REFERENCES report_articles(id),
  reverses_entry_id INTEGER REFERENCES ledger_entries(id),
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  -- Votes may be negative (an amending decision), and so may the reversal of such a vote.
  CHECK (kind IN ('vote_ae', 'vote_cp', 'reversal') OR amount_cents > 0),
  CHECK ((kind = 'reversal') = (reverses_entry_id IS NOT NULL))
) STRICT;
CREATE INDEX ledger_entries_by_line ON ledger_entries (budget_line_id, id);
CREATE UNIQUE INDEX ledger_one_reversal ON ledger_entries (reverses_entry_id)
  WHERE reverses_entry_id IS NOT NULL;

CREATE TRIGGER ledger_entries_append_only_u BEFORE UPDATE ON ledger_entries
BEGIN SELECT RAISE(ABORT, 'ledger_entries is append-only'); END;
CREATE TRIGGER ledger_entries_append_only_d BEFORE DELETE ON ledger_entries
BEGIN SELECT RAISE(ABORT, 'ledger_entries is append-only'); END;

-- Who was the beneficiary of a dossier, and since when (a transfer amendment adds a row).
CREATE TABLE application_beneficiaries (
  id INTEGER PRIMARY KEY,
  authority_id INTEGER NOT NULL REFERENCES authorities(id),
  application_id INTEGER NOT NULL REFERENCES applications(id),
  party_id INTEGER NOT NULL REFERENCES parties(id),
  since TEXT NOT NULL,
  deliberation TEXT NOT NULL
) STRICT;
CREATE TRIGGER application_beneficiaries_append_only_u BEFORE UPDATE ON application_beneficiaries
BEGIN SELECT RAISE(ABORT, 'application_beneficiaries is append-only'); END;
CREATE TRIGGER application_beneficiaries_append_only_d BEFORE DELETE ON application_beneficiaries
BEGIN SELECT RAISE(ABORT, 'application_beneficiaries is append-only'); END;
