-- octroi, SQLite schema 0007: awards imported from subsidy files (issue 8).
--
-- imported_awards: one row per line of an SCDL file (or one of its older or home-made variants)
-- that was accepted: an award another authority (or this one, before octroi) granted to a party.
-- They feed the party's 360° view and, when granted under a de minimis regulation, the de minimis
-- cumulation. import_key is the SHA-256 of the line's meaning (grantor, date, decision,
-- beneficiary, amount, share, object): importing the same file again adds nothing. Append-only.

CREATE TABLE imported_awards (
  id INTEGER PRIMARY KEY,
  authority_id INTEGER NOT NULL REFERENCES authorities(id),
  party_id INTEGER NOT NULL REFERENCES parties(id),
  import_key TEXT NOT NULL CHECK (length(import_key) = 64),
  grantor TEXT NOT NULL CHECK (grantor <> ''),
  grantor_id TEXT NOT NULL DEFAULT '',
  granted_on TEXT NOT NULL CHECK (granted_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  reference TEXT NOT NULL DEFAULT '',
  object TEXT NOT NULL DEFAULT '',
  amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
  share_bp INTEGER NOT NULL CHECK (share_bp BETWEEN 1 AND 10000),
  part_cents INTEGER NOT NULL CHECK (part_cents > 0 AND part_cents <= amount_cents),
  nature TEXT NOT NULL DEFAULT '',
  payment_terms TEXT NOT NULL DEFAULT '',
  payment_period TEXT NOT NULL DEFAULT '',
  regime TEXT NOT NULL,
  source TEXT NOT NULL,
  source_line INTEGER NOT NULL CHECK (source_line >= 2),
  imported_at TEXT NOT NULL,
  imported_by TEXT NOT NULL,
  UNIQUE (authority_id, import_key)
) STRICT;
CREATE INDEX imported_awards_by_party ON imported_awards (party_id, granted_on);
CREATE TRIGGER imported_awards_append_only_u BEFORE UPDATE ON imported_awards
BEGIN SELECT RAISE(ABORT, 'imported_awards is append-only'); END;
CREATE TRIGGER imported_awards_append_only_d BEFORE DELETE ON imported_awards
BEGIN SELECT RAISE(ABORT, 'imported_awards is append-only'); END;

-- imported_applications: the dossiers read back from a legacy deliberation's text (octroi import
-- deliberation-text): where they came from and the amount the sheet printed. Append-only.
CREATE TABLE imported_applications (
  application_id INTEGER PRIMARY KEY REFERENCES applications(id),
  authority_id INTEGER NOT NULL REFERENCES authorities(id),
  source TEXT NOT NULL CHECK (source <> ''),
  source_line INTEGER NOT NULL CHECK (source_line >= 1),
  printed_amount_cents INTEGER NOT NULL CHECK (printed_amount_cents > 0),
  imported_at TEXT NOT NULL,
  imported_by TEXT NOT NULL
) STRICT;
CREATE TRIGGER imported_applications_append_only_u BEFORE UPDATE ON imported_applications
BEGIN SELECT RAISE(ABORT, 'imported_applications is append-only'); END;
CREATE TRIGGER imported_applications_append_only_d BEFORE DELETE ON imported_applications
BEGIN SELECT RAISE(ABORT, 'imported_applications is append-only'); END;
