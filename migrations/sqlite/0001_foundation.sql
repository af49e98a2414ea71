-- octroi, SQLite schema 0001: authorities, aid schemes, parties, applications and their
-- financing plans, dossier history, audit trail.
-- Amounts are INTEGER cents (64-bit). Dates are ISO 'YYYY-MM-DD' TEXT. Every table carries the
-- authority it belongs to. The history and the audit trail are append-only: triggers refuse
-- UPDATE and DELETE. The PostgreSQL schema (a later migration set) mirrors this one with
-- BIGINT and without STRICT.

CREATE TABLE authorities (
  id INTEGER PRIMARY KEY,
  code TEXT NOT NULL UNIQUE CHECK (length(code) BETWEEN 1 AND 32),
  name TEXT NOT NULL CHECK (name <> ''),
  siret TEXT NOT NULL DEFAULT '' CHECK (siret = '' OR (length(siret) = 14 AND siret NOT GLOB '*[^0-9]*')),
  address TEXT NOT NULL DEFAULT '',
  executive TEXT NOT NULL DEFAULT ''
) STRICT;

CREATE TABLE aid_schemes (
  id INTEGER PRIMARY KEY,
  authority_id INTEGER NOT NULL REFERENCES authorities(id),
  number TEXT NOT NULL CHECK (number <> '' AND number NOT GLOB '*[^0-9]*'),
  name TEXT NOT NULL CHECK (name <> ''),
  framework_deliberation TEXT NOT NULL,
  section TEXT NOT NULL CHECK (section IN ('operating', 'investment')),
  budget_imputation TEXT NOT NULL,
  budget_action TEXT NOT NULL,
  opens_on TEXT,
  closes_on TEXT,
  rule_kind TEXT NOT NULL CHECK (rule_kind IN ('rate', 'fixed')),
  rate_numerator INTEGER NOT NULL CHECK (rate_numerator >= 0),
  rate_denominator INTEGER NOT NULL CHECK (rate_denominator > 0 AND rate_numerator <= rate_denominator),
  rate_rounding TEXT NOT NULL CHECK (rate_rounding IN ('down', 'up', 'half_up', 'half_even')),
  base TEXT NOT NULL CHECK (base IN ('by_vat_recovery', 'ht', 'ttc')),
  step_cents INTEGER CHECK (step_cents > 0),
  step_rounding TEXT NOT NULL CHECK (step_rounding IN ('down', 'up', 'half_up', 'half_even')),
  cap_cents INTEGER CHECK (cap_cents > 0),
  not_above_request INTEGER NOT NULL CHECK (not_above_request IN (0, 1)),
  fixed_cents INTEGER CHECK (fixed_cents > 0),
  CHECK (closes_on IS NULL OR opens_on IS NULL OR closes_on >= opens_on),
  UNIQUE (authority_id, number)
) STRICT;

CREATE TABLE parties (
  id INTEGER PRIMARY KEY,
  authority_id INTEGER NOT NULL REFERENCES authorities(id),
  legal_name TEXT NOT NULL CHECK (legal_name <> ''),
  siren TEXT NOT NULL CHECK (siren = '' OR (length(siren) = 9 AND siren NOT GLOB '*[^0-9]*')),
  siret TEXT NOT NULL CHECK (siret = '' OR (length(siret) = 14 AND siret NOT GLOB '*[^0-9]*')),
  rna TEXT NOT NULL CHECK (rna = '' OR rna GLOB 'W[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]'),
  naf TEXT NOT NULL,
  legal_status TEXT NOT NULL,
  recovers_vat INTEGER NOT NULL CHECK (recovers_vat IN (0, 1)),
  rep_civility TEXT NOT NULL,
  rep_first_name TEXT NOT NULL,
  rep_last_name TEXT NOT NULL,
  rep_role TEXT NOT NULL,
  address_line1 TEXT NOT NULL,
  address_line2 TEXT NOT NULL,
  postal_code TEXT NOT NULL,
  city TEXT NOT NULL,
  insee_code TEXT NOT NULL,
  departement TEXT NOT NULL,
  CHECK (siret = '' OR substr(siret, 1, 9) = siren)
) STRICT;
CREATE UNIQUE INDEX parties_siren ON parties (authority_id, siren) WHERE siren <> '';

CREATE TABLE applications (
  id INTEGER PRIMARY KEY,
  authority_id INTEGER NOT NULL REFERENCES authorities(id),
  number TEXT NOT NULL CHECK (number GLOB 'EX[0-9][0-9][0-9][0-9][0-9][0-9]'),
  scheme_id INTEGER NOT NULL REFERENCES aid_schemes(id),
  party_id INTEGER NOT NULL REFERENCES parties(id),
  title TEXT NOT NULL CHECK (title <> ''),
  description TEXT NOT NULL,
  place TEXT NOT NULL,
  start_date TEXT NOT NULL,
  end_date TEXT NOT NULL CHECK (end_date >= start_date),
  early_start INTEGER NOT NULL CHECK (early_start IN (0, 1)),
  early_start_date TEXT CHECK (early_start = 1 OR early_start_date IS NULL),
  early_start_justification TEXT NOT NULL,
  reference_year INTEGER NOT NULL CHECK (reference_year BETWEEN 2000 AND 2100),
  basis TEXT NOT NULL CHECK (basis IN ('HT', 'TTC')),
  state TEXT NOT NULL CHECK (state IN ('draft', 'submitted', 'incomplete', 'under_instruction',
                                       'proposed', 'awarded', 'refused', 'withdrawn', 'closed',
                                       'lapsed')),
  submitted_on TEXT,
  proposed_award_cents INTEGER CHECK (proposed_award_cents > 0),
  awarded_cents INTEGER CHECK (awarded_cents > 0),
  award_date TEXT,
  award_deliberation TEXT,
  -- An award exists exactly when the dossier has been awarded (and possibly closed or lapsed
  -- since). It may exceed the original proposal after an amendment of its amount.
  CHECK ((awarded_cents IS NOT NULL) = (state IN ('awarded', 'closed', 'lapsed'))),
  CHECK ((awarded_cents IS NULL) = (award_date IS NULL)
         AND (awarded_cents IS NULL) = (award_deliberation IS NULL)),
  UNIQUE (authority_id, number)
) STRICT;
CREATE INDEX applications_state ON applications (authority_id, state);

CREATE TABLE plan_lines (
  id INTEGER PRIMARY KEY,
  authority_id INTEGER NOT NULL REFERENCES authorities(id),
  application_id INTEGER NOT NULL REFERENCES applications(id),
  side TEXT NOT NULL CHECK (side IN ('expense', 'resource')),
  position INTEGER NOT NULL CHECK (position >= 1),
  label TEXT NOT NULL CHECK (label <> ''),
  amount_cents INTEGER NOT NULL CHECK (amount_cents > 0 AND amount_cents <= 1000000000000),
  eligible INTEGER NOT NULL CHECK (eligible IN (0, 1)),
  resource_kind TEXT CHECK ((side = 'expense' AND resource_kind IS NULL) OR
                            (side = 'resource' AND resource_kind IN ('self_funding', 'authority',
                             'other_public', 'loan', 'private', 'other'))),
  status TEXT NOT NULL,
  UNIQUE (application_id, side, position)
) STRICT;

CREATE TABLE application_events (
  id INTEGER PRIMARY KEY,
  authority_id INTEGER NOT NULL REFERENCES authorities(id),
  application_id INTEGER NOT NULL REFERENCES applications(id),
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  event TEXT NOT NULL,
  from_state TEXT NOT NULL,
  to_state TEXT NOT NULL,
  reason TEXT NOT NULL
) STRICT;
CREATE INDEX application_events_by_application ON application_events (application_id, id);

-- The audit trail is a hash chain per authority: each row's hash is the SHA-256 of its fields
-- and of the previous row's hash (app/audit_chain.h), so that altering or removing a row breaks
-- the chain (`octroi audit verify`). authority_seq numbers an authority's rows 1, 2, 3...
CREATE TABLE audit_log (
  seq INTEGER PRIMARY KEY,
  authority_id INTEGER NOT NULL REFERENCES authorities(id),
  authority_seq INTEGER NOT NULL CHECK (authority_seq >= 1),
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  entity TEXT NOT NULL,
  entity_key TEXT NOT NULL,
  before TEXT NOT NULL,
  after TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL CHECK (length(hash) = 64),
  UNIQUE (authority_id, authority_seq)
) STRICT;

CREATE TRIGGER application_events_append_only_u BEFORE UPDATE ON application_events
BEGIN SELECT RAISE(ABORT, 'application_events is append-only'); END;
CREATE TRIGGER application_events_append_only_d BEFORE DELETE ON application_events
BEGIN SELECT RAISE(ABORT, 'application_events is append-only'); END;
CREATE TRIGGER audit_log_append_only_u BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_append_only_d BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
