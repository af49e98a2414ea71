-- octroi, SQLite schema 0021: approval chains (issue 18, finding 7).
-- octroi:foreign-keys-off
--
-- - applications.state gains 'awaiting_approval' (au visa). SQLite cannot change a CHECK in
--   place: the table is rebuilt as sqlite.org/lang_altertable.html (section 7) says — a new table,
--   its rows copied with their ids, the old one dropped, the new one renamed, its index and
--   triggers created again. The runner applies this migration with foreign keys off (the marker
--   above) and runs PRAGMA foreign_key_check before it commits (adapters/sql/migrate.cc). The
--   full-text index keeps its rows: their rowid is the dossier's id, copied as is.
-- - scheme_approval_levels: a scheme's chain of visas, level 1, 2…: its label ("Chef de
--   service"), the role that gives it, whether that level may send the dossier back to
--   instruction. A chain changes only while none of its scheme's dossiers awaits a visa.
-- - application_visas: per dossier and round, the request (level 0, by the instructor) and each
--   level's visa or return, with its author, day and instant. The database gives the order:
--   level after level in the open round, one visa per agent per round (never on a request of
--   one's own; an agent is their account, user_id, whatever channel they act through — page,
--   API token — or, without an account, the actor's name), and a dossier enters 'proposed' from 'awaiting_approval' only once every level
--   of its chain has approved; straight from instruction only when its scheme has no chain.
-- - copy_in_progress: a row while `octroi db copy` writes a database (inside its one transaction,
--   so no other connection ever sees it). A copy brings the rows as they are, after the dossiers
--   reached their later states: the rules on the order of visas and levels, which read those
--   states, stand aside for it. Nothing else writes this table.
PRAGMA legacy_alter_table = ON;

CREATE TABLE applications_new (
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
                                       'awaiting_approval', 'proposed', 'awarded', 'refused',
                                       'withdrawn', 'closed', 'lapsed')),
  submitted_on TEXT,
  proposed_award_cents INTEGER CHECK (proposed_award_cents > 0),
  awarded_cents INTEGER CHECK (awarded_cents > 0),
  award_date TEXT,
  award_deliberation TEXT,
  aid_regime TEXT NOT NULL DEFAULT 'none'
    CHECK (aid_regime IN ('none', 'de_minimis_1407_2013', 'de_minimis_2023_2831',
                          'sieg_360_2012', 'gber_651_2014')),
  rule_award_cents INTEGER CHECK (rule_award_cents IS NULL OR rule_award_cents > 0),
  proposal_reason TEXT NOT NULL DEFAULT '',
  requested_cents INTEGER CHECK (requested_cents IS NULL OR requested_cents > 0),
  -- An award exists exactly when the dossier has been awarded (and possibly closed or lapsed
  -- since). It may exceed the original proposal after an amendment of its amount.
  CHECK ((awarded_cents IS NOT NULL) = (state IN ('awarded', 'closed', 'lapsed'))),
  CHECK ((awarded_cents IS NULL) = (award_date IS NULL)
         AND (awarded_cents IS NULL) = (award_deliberation IS NULL)),
  UNIQUE (authority_id, number)
) STRICT;

INSERT INTO applications_new (
  id, authority_id, number, scheme_id, party_id, title, description, place, start_date, end_date,
  early_start, early_start_date, early_start_justification, reference_year, basis, state,
  submitted_on, proposed_award_cents, awarded_cents, award_date, award_deliberation, aid_regime,
  rule_award_cents, proposal_reason, requested_cents)
SELECT
  id, authority_id, number, scheme_id, party_id, title, description, place, start_date, end_date,
  early_start, early_start_date, early_start_justification, reference_year, basis, state,
  submitted_on, proposed_award_cents, awarded_cents, award_date, award_deliberation, aid_regime,
  rule_award_cents, proposal_reason, requested_cents
FROM applications;

DROP TABLE applications;
ALTER TABLE applications_new RENAME TO applications;
PRAGMA legacy_alter_table = OFF;

-- The index and triggers of the table, as migrations 0001, 0005 and 0016 created them.
CREATE INDEX applications_state ON applications (authority_id, state);

CREATE TRIGGER application_search_i AFTER INSERT ON applications
BEGIN
  INSERT INTO application_search (rowid, number, title, description, place, party, city)
  SELECT NEW.id, NEW.number,
         replace(replace(replace(replace(NEW.title, 'œ', 'oe'), 'Œ', 'OE'), 'æ', 'ae'), 'Æ', 'AE'),
         replace(replace(replace(replace(NEW.description, 'œ', 'oe'), 'Œ', 'OE'), 'æ', 'ae'), 'Æ', 'AE'),
         replace(replace(replace(replace(NEW.place, 'œ', 'oe'), 'Œ', 'OE'), 'æ', 'ae'), 'Æ', 'AE'),
         replace(replace(replace(replace(p.legal_name, 'œ', 'oe'), 'Œ', 'OE'), 'æ', 'ae'), 'Æ', 'AE'),
         replace(replace(replace(replace(p.city, 'œ', 'oe'), 'Œ', 'OE'), 'æ', 'ae'), 'Æ', 'AE')
  FROM parties p WHERE p.id = NEW.party_id;
END;

CREATE TRIGGER application_search_u
AFTER UPDATE OF number, title, description, place, party_id ON applications
BEGIN
  DELETE FROM application_search WHERE rowid = OLD.id;
  INSERT INTO application_search (rowid, number, title, description, place, party, city)
  SELECT NEW.id, NEW.number,
         replace(replace(replace(replace(NEW.title, 'œ', 'oe'), 'Œ', 'OE'), 'æ', 'ae'), 'Æ', 'AE'),
         replace(replace(replace(replace(NEW.description, 'œ', 'oe'), 'Œ', 'OE'), 'æ', 'ae'), 'Æ', 'AE'),
         replace(replace(replace(replace(NEW.place, 'œ', 'oe'), 'Œ', 'OE'), 'æ', 'ae'), 'Æ', 'AE'),
         replace(replace(replace(replace(p.legal_name, 'œ', 'oe'), 'Œ', 'OE'), 'æ', 'ae'), 'Æ', 'AE'),
         replace(replace(replace(replace(p.city, 'œ', 'oe'), 'Œ', 'OE'), 'æ', 'ae'), 'Æ', 'AE')
  FROM parties p WHERE p.id = NEW.party_id;
END;

CREATE TRIGGER application_search_d AFTER DELETE ON applications
BEGIN
  DELETE FROM application_search WHERE rowid = OLD.id;
END;

CREATE TRIGGER applications_proposal_within_rule_i BEFORE INSERT ON applications
WHEN NEW.proposed_award_cents IS NOT NULL AND NEW.rule_award_cents IS NOT NULL
 AND (NEW.proposed_award_cents > NEW.rule_award_cents
      OR (NEW.proposed_award_cents < NEW.rule_award_cents AND trim(NEW.proposal_reason) = ''))
BEGIN SELECT RAISE(ABORT, 'proposed award above the rule''s amount, or below it without a reason'); END;
CREATE TRIGGER applications_proposal_within_rule_u BEFORE UPDATE ON applications
WHEN NEW.proposed_award_cents IS NOT NULL AND NEW.rule_award_cents IS NOT NULL
 AND (NEW.proposed_award_cents > NEW.rule_award_cents
      OR (NEW.proposed_award_cents < NEW.rule_award_cents AND trim(NEW.proposal_reason) = ''))
BEGIN SELECT RAISE(ABORT, 'proposed award above the rule''s amount, or below it without a reason'); END;

CREATE TABLE copy_in_progress (started_at TEXT NOT NULL) STRICT;

CREATE TABLE scheme_approval_levels (
  id INTEGER PRIMARY KEY,
  authority_id INTEGER NOT NULL REFERENCES authorities(id),
  scheme_id INTEGER NOT NULL REFERENCES aid_schemes(id),
  level INTEGER NOT NULL CHECK (level BETWEEN 1 AND 9),
  label TEXT NOT NULL CHECK (length(trim(label)) BETWEEN 1 AND 120),
  role TEXT NOT NULL CHECK (role IN ('instructor', 'approver', 'administrator')),
  may_return INTEGER NOT NULL CHECK (may_return IN (0, 1)),
  UNIQUE (scheme_id, level)
) STRICT;
CREATE TRIGGER scheme_approval_levels_one_authority BEFORE INSERT ON scheme_approval_levels
WHEN NOT EXISTS (SELECT 1 FROM aid_schemes s WHERE s.id = NEW.scheme_id
                   AND s.authority_id = NEW.authority_id)
BEGIN SELECT RAISE(ABORT, 'an approval level belongs to a scheme of its authority'); END;
CREATE TRIGGER scheme_approval_levels_in_order BEFORE INSERT ON scheme_approval_levels
WHEN NEW.level > 1 AND NOT EXISTS (SELECT 1 FROM scheme_approval_levels l
                                    WHERE l.scheme_id = NEW.scheme_id AND l.level = NEW.level - 1)
 AND NOT EXISTS (SELECT 1 FROM copy_in_progress)
BEGIN SELECT RAISE(ABORT, 'approval levels follow each other from 1'); END;
CREATE TRIGGER scheme_approval_levels_still_i BEFORE INSERT ON scheme_approval_levels
WHEN EXISTS (SELECT 1 FROM applications a WHERE a.scheme_id = NEW.scheme_id
               AND a.state = 'awaiting_approval')
 AND NOT EXISTS (SELECT 1 FROM copy_in_progress)
BEGIN SELECT RAISE(ABORT, 'an approval chain changes only while no dossier of its scheme awaits a visa'); END;
CREATE TRIGGER scheme_approval_levels_still_u BEFORE UPDATE ON scheme_approval_levels
WHEN EXISTS (SELECT 1 FROM applications a WHERE a.scheme_id IN (OLD.scheme_id, NEW.scheme_id)
               AND a.state = 'awaiting_approval')
BEGIN SELECT RAISE(ABORT, 'an approval chain changes only while no dossier of its scheme awaits a visa'); END;
CREATE TRIGGER scheme_approval_levels_still_d BEFORE DELETE ON scheme_approval_levels
WHEN EXISTS (SELECT 1 FROM applications a WHERE a.scheme_id = OLD.scheme_id
               AND a.state = 'awaiting_approval')
BEGIN SELECT RAISE(ABORT, 'an approval chain changes only while no dossier of its scheme awaits a visa'); END;

CREATE TABLE application_visas (
  id INTEGER PRIMARY KEY,
  authority_id INTEGER NOT NULL REFERENCES authorities(id),
  application_id INTEGER NOT NULL REFERENCES applications(id),
  round INTEGER NOT NULL CHECK (round >= 1),
  level INTEGER NOT NULL CHECK (level BETWEEN 0 AND 9),
  decision TEXT NOT NULL CHECK (decision IN ('requested', 'approved', 'returned')),
  actor TEXT NOT NULL CHECK (actor <> ''),
  user_id INTEGER REFERENCES users(id),
  given_on TEXT NOT NULL,
  given_at TEXT NOT NULL,
  comment TEXT NOT NULL DEFAULT '' CHECK (length(comment) <= 2000),
  CHECK ((decision = 'requested') = (level = 0)),
  UNIQUE (application_id, round, level)
) STRICT;
CREATE TRIGGER application_visas_on_a_waiting_dossier BEFORE INSERT ON application_visas
WHEN NOT EXISTS (SELECT 1 FROM applications a WHERE a.id = NEW.application_id
                   AND a.authority_id = NEW.authority_id AND a.state = 'awaiting_approval')
 AND NOT EXISTS (SELECT 1 FROM copy_in_progress)
BEGIN SELECT RAISE(ABORT, 'a visa is given on a dossier of its authority awaiting a visa'); END;
CREATE TRIGGER application_visas_request_opens_a_round BEFORE INSERT ON application_visas
WHEN NEW.decision = 'requested'
 AND NEW.round <> coalesce((SELECT max(v.round) FROM application_visas v
                             WHERE v.application_id = NEW.application_id), 0) + 1
 AND NOT EXISTS (SELECT 1 FROM copy_in_progress)
BEGIN SELECT RAISE(ABORT, 'a request for visas opens the next round'); END;
CREATE TRIGGER application_visas_in_the_open_round BEFORE INSERT ON application_visas
WHEN NEW.decision <> 'requested'
 AND (NEW.round IS NOT (SELECT max(v.round) FROM application_visas v
                         WHERE v.application_id = NEW.application_id)
      OR EXISTS (SELECT 1 FROM application_visas v WHERE v.application_id = NEW.application_id
                   AND v.round = NEW.round AND v.decision = 'returned'))
 AND NOT EXISTS (SELECT 1 FROM copy_in_progress)
BEGIN SELECT RAISE(ABORT, 'a visa is given in the open round'); END;
CREATE TRIGGER application_visas_at_a_level_of_the_chain BEFORE INSERT ON application_visas
WHEN NEW.decision <> 'requested'
 AND NOT EXISTS (SELECT 1 FROM scheme_approval_levels l JOIN applications a
                   ON a.scheme_id = l.scheme_id
                  WHERE a.id = NEW.application_id AND l.level = NEW.level)
 AND NOT EXISTS (SELECT 1 FROM copy_in_progress)
BEGIN SELECT RAISE(ABORT, 'a visa is given at a level of the scheme''s chain'); END;
CREATE TRIGGER application_visas_level_after_level BEFORE INSERT ON application_visas
WHEN NEW.decision <> 'requested'
 AND (SELECT count(*) FROM application_visas v WHERE v.application_id = NEW.application_id
        AND v.round = NEW.round AND v.decision = 'approved') <> NEW.level - 1
 AND NOT EXISTS (SELECT 1 FROM copy_in_progress)
BEGIN SELECT RAISE(ABORT, 'visas are given level after level'); END;
CREATE TRIGGER application_visas_one_per_agent BEFORE INSERT ON application_visas
WHEN NEW.decision <> 'requested'
 AND EXISTS (SELECT 1 FROM application_visas v WHERE v.application_id = NEW.application_id
               AND v.round = NEW.round
               AND (v.actor = NEW.actor OR v.user_id = NEW.user_id))
 AND NOT EXISTS (SELECT 1 FROM copy_in_progress)
BEGIN SELECT RAISE(ABORT, 'one agent gives one visa of a round, and never on a request of their own'); END;
CREATE TRIGGER application_visas_kept_u BEFORE UPDATE ON application_visas
BEGIN SELECT RAISE(ABORT, 'a visa is never changed nor deleted'); END;
CREATE TRIGGER application_visas_kept_d BEFORE DELETE ON application_visas
BEGIN SELECT RAISE(ABORT, 'a visa is never changed nor deleted'); END;
CREATE INDEX application_visas_by_application ON application_visas (application_id, round, level);

-- A dossier enters the committee's proposals only through its scheme's chain.
CREATE TRIGGER applications_proposed_without_its_chain BEFORE UPDATE OF state ON applications
WHEN NEW.state = 'proposed' AND OLD.state = 'under_instruction'
 AND EXISTS (SELECT 1 FROM scheme_approval_levels l WHERE l.scheme_id = NEW.scheme_id)
BEGIN SELECT RAISE(ABORT, 'a dossier of a scheme with an approval chain is proposed after its visas'); END;
CREATE TRIGGER applications_proposed_before_its_visas BEFORE UPDATE OF state ON applications
WHEN NEW.state = 'proposed' AND OLD.state = 'awaiting_approval'
 AND ((SELECT count(*) FROM application_visas v
        WHERE v.application_id = NEW.id AND v.decision = 'approved'
          AND v.round = (SELECT max(w.round) FROM application_visas w
                          WHERE w.application_id = NEW.id))
      <> (SELECT count(*) FROM scheme_approval_levels l WHERE l.scheme_id = NEW.scheme_id)
      OR EXISTS (SELECT 1 FROM application_visas v WHERE v.application_id = NEW.id
                   AND v.decision = 'returned'
                   AND v.round = (SELECT max(w.round) FROM application_visas w
                                   WHERE w.application_id = NEW.id)))
BEGIN SELECT RAISE(ABORT, 'a dossier is proposed once every level of its chain has given its visa'); END;
CREATE TRIGGER applications_awaiting_without_a_chain BEFORE UPDATE OF state ON applications
WHEN NEW.state = 'awaiting_approval' AND OLD.state = 'under_instruction'
 AND NOT EXISTS (SELECT 1 FROM scheme_approval_levels l WHERE l.scheme_id = NEW.scheme_id)
BEGIN SELECT RAISE(ABORT, 'a dossier awaits visas only under a scheme with an approval chain'); END;
