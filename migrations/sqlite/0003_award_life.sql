-- octroi, SQLite schema 0003: the life of an award after the vote — the scheme's payment, lapse
-- and state-aid rules, agreements and their signature, amendments, payments with their expense
-- statements, clawbacks, state-aid checks and linked parties, conditions and outcomes.

-- Scheme rules (Île-de-France's figures are not in the seed: they are data, not defaults).
ALTER TABLE aid_schemes ADD COLUMN model_agreement TEXT NOT NULL DEFAULT '';
ALTER TABLE aid_schemes ADD COLUMN advance_max_num INTEGER;
ALTER TABLE aid_schemes ADD COLUMN advance_max_den INTEGER CHECK (advance_max_den > 0);
ALTER TABLE aid_schemes ADD COLUMN interim_max_num INTEGER;
ALTER TABLE aid_schemes ADD COLUMN interim_max_den INTEGER CHECK (interim_max_den > 0);
ALTER TABLE aid_schemes ADD COLUMN tolerance_num INTEGER NOT NULL DEFAULT 0;
ALTER TABLE aid_schemes ADD COLUMN tolerance_den INTEGER NOT NULL DEFAULT 1 CHECK (tolerance_den > 0);
ALTER TABLE aid_schemes ADD COLUMN lapse_first_request_years INTEGER CHECK (lapse_first_request_years > 0);
ALTER TABLE aid_schemes ADD COLUMN lapse_balance_years INTEGER CHECK (lapse_balance_years > 0);
ALTER TABLE aid_schemes ADD COLUMN obligation_years INTEGER CHECK (obligation_years > 0);
ALTER TABLE aid_schemes ADD COLUMN aid_regime TEXT NOT NULL DEFAULT 'none'
  CHECK (aid_regime IN ('none', 'de_minimis_1407_2013', 'de_minimis_2023_2831', 'sieg_360_2012',
                        'gber_651_2014'));

-- The regime an award was granted under (copied from its scheme at the vote).
ALTER TABLE applications ADD COLUMN aid_regime TEXT NOT NULL DEFAULT 'none'
  CHECK (aid_regime IN ('none', 'de_minimis_1407_2013', 'de_minimis_2023_2831', 'sieg_360_2012',
                        'gber_651_2014'));

-- Amendment articles: the new end of the expense eligibility period (extension).
ALTER TABLE report_articles ADD COLUMN new_end_date TEXT;

CREATE TABLE agreements (
  id INTEGER PRIMARY KEY,
  authority_id INTEGER NOT NULL REFERENCES authorities(id),
  application_id INTEGER NOT NULL UNIQUE REFERENCES applications(id),
  model_deliberation TEXT NOT NULL,
  eligibility_start TEXT NOT NULL,
  eligibility_end TEXT NOT NULL CHECK (eligibility_end >= eligibility_start),
  early_start_date TEXT,
  signed_by_beneficiary_on TEXT,
  signed_by_authority_on TEXT
) STRICT;

CREATE TABLE amendments (
  id INTEGER PRIMARY KEY,
  authority_id INTEGER NOT NULL REFERENCES authorities(id),
  application_id INTEGER NOT NULL REFERENCES applications(id),
  number INTEGER NOT NULL CHECK (number >= 1),
  kind TEXT NOT NULL CHECK (kind IN ('transfer', 'amount', 'extension')),
  deliberation TEXT NOT NULL,
  approved_on TEXT NOT NULL,
  before TEXT NOT NULL,
  after TEXT NOT NULL,
  UNIQUE (application_id, number)
) STRICT;
CREATE TRIGGER amendments_append_only_u BEFORE UPDATE ON amendments
BEGIN SELECT RAISE(ABORT, 'amendments is append-only'); END;
CREATE TRIGGER amendments_append_only_d BEFORE DELETE ON amendments
BEGIN SELECT RAISE(ABORT, 'amendments is append-only'); END;

-- Payments: one row per payment (advance, interim, balance) with its expense statement.
CREATE TABLE payments (
  id INTEGER PRIMARY KEY,
  authority_id INTEGER NOT NULL REFERENCES authorities(id),
  application_id INTEGER NOT NULL REFERENCES applications(id),
  kind TEXT NOT NULL CHECK (kind IN ('advance', 'interim', 'balance')),
  requested_on TEXT NOT NULL,
  realised_eligible_cents INTEGER CHECK (realised_eligible_cents >= 0),
  amount_cents INTEGER NOT NULL CHECK (amount_cents >= 0),
  ledger_entry_id INTEGER REFERENCES ledger_entries(id),
  reference TEXT NOT NULL,
  CHECK ((amount_cents > 0) = (ledger_entry_id IS NOT NULL))
) STRICT;
CREATE UNIQUE INDEX payments_one_balance ON payments (application_id) WHERE kind = 'balance';

CREATE TABLE payment_expense_lines (
  payment_id INTEGER NOT NULL REFERENCES payments(id),
  position INTEGER NOT NULL CHECK (position >= 1),
  label TEXT NOT NULL CHECK (label <> ''),
  amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
  eligible INTEGER NOT NULL CHECK (eligible IN (0, 1)),
  authority_id INTEGER NOT NULL REFERENCES authorities(id),
  PRIMARY KEY (payment_id, position)
) STRICT;

CREATE TABLE clawbacks (
  id INTEGER PRIMARY KEY,
  authority_id INTEGER NOT NULL REFERENCES authorities(id),
  application_id INTEGER NOT NULL REFERENCES applications(id),
  amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
  reason TEXT NOT NULL CHECK (reason <> ''),
  decided_on TEXT NOT NULL,
  reference TEXT NOT NULL,
  years_total INTEGER,
  years_remaining INTEGER
) STRICT;

-- Control links between parties (a controls b): a single undertaking for de minimis.
CREATE TABLE party_links (
  authority_id INTEGER NOT NULL REFERENCES authorities(id),
  controlling_party_id INTEGER NOT NULL REFERENCES parties(id),
  controlled_party_id INTEGER NOT NULL REFERENCES parties(id),
  CHECK (controlling_party_id <> controlled_party_id),
  PRIMARY KEY (controlling_party_id, controlled_party_id)
) STRICT;

-- De minimis aid declared by a beneficiary, granted by others.
CREATE TABLE third_party_aids (
  id INTEGER PRIMARY KEY,
  authority_id INTEGER NOT NULL REFERENCES authorities(id),
  party_id INTEGER NOT NULL REFERENCES parties(id),
  regime TEXT NOT NULL,
  amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
  granted_on TEXT NOT NULL,
  grantor TEXT NOT NULL CHECK (grantor <> '')
) STRICT;

-- Every de minimis check made (at instruction and at the vote), with its result.
CREATE TABLE state_aid_checks (
  id INTEGER PRIMARY KEY,
  authority_id INTEGER NOT NULL REFERENCES authorities(id),
  application_id INTEGER NOT NULL REFERENCES applications(id),
  stage TEXT NOT NULL CHECK (stage IN ('instruction', 'vote')),
  regime TEXT NOT NULL,
  checked_on TEXT NOT NULL,
  amount_cents INTEGER NOT NULL,
  used_cents INTEGER NOT NULL,
  ceiling_cents INTEGER NOT NULL,
  room_cents INTEGER NOT NULL,
  ok INTEGER NOT NULL CHECK (ok IN (0, 1))
) STRICT;

CREATE TABLE award_conditions (
  id INTEGER PRIMARY KEY,
  authority_id INTEGER NOT NULL REFERENCES authorities(id),
  application_id INTEGER NOT NULL REFERENCES applications(id),
  label TEXT NOT NULL CHECK (label <> ''),
  status TEXT NOT NULL CHECK (status IN ('pending', 'met', 'not_met')),
  due_on TEXT
) STRICT;

CREATE TABLE outcome_reports (
  id INTEGER PRIMARY KEY,
  authority_id INTEGER NOT NULL REFERENCES authorities(id),
  application_id INTEGER NOT NULL REFERENCES applications(id),
  indicator TEXT NOT NULL CHECK (indicator <> ''),
  value INTEGER NOT NULL CHECK (value >= 0),
  reported_on TEXT NOT NULL
) STRICT;
