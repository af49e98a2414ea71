-- octroi, SQLite schema 0018: the instruction workspace (issue 18, finding 6).
--
-- application_assignments: who instructs a dossier now (one account at most per dossier), since
--   when and on whose decision. Unassigning deletes the row; both are in the audit trail.
-- application_follows: the accounts that follow a dossier (its "suivis" queue), since when.
-- saved_filters: a search of the dossier list saved under a name by its account (the query
--   string of /dossiers, bounded), to run again from the list.
-- The database checks that the dossier, the account and the row belong to one authority, and
-- that an assigned account is active (a deactivation gives its dossiers back first).
CREATE TABLE application_assignments (
  application_id INTEGER PRIMARY KEY REFERENCES applications(id),
  authority_id INTEGER NOT NULL REFERENCES authorities(id),
  user_id INTEGER NOT NULL REFERENCES users(id),
  assigned_at TEXT NOT NULL,
  assigned_by TEXT NOT NULL
) STRICT;
CREATE INDEX application_assignments_by_user ON application_assignments (authority_id, user_id);
CREATE TRIGGER application_assignments_one_authority BEFORE INSERT ON application_assignments
WHEN NOT EXISTS (SELECT 1 FROM applications a WHERE a.id = NEW.application_id
                   AND a.authority_id = NEW.authority_id)
  OR NOT EXISTS (SELECT 1 FROM users u WHERE u.id = NEW.user_id
                   AND u.authority_id = NEW.authority_id AND u.active = 1)
BEGIN SELECT RAISE(ABORT, 'a dossier is assigned to an active account of its authority'); END;

-- An account instructs nothing once deactivated: its dossiers are given back first
-- (deactivate_user does it, audited), and the database refuses the deactivation otherwise.
CREATE TRIGGER users_deactivated_instruct_nothing BEFORE UPDATE OF active ON users
WHEN NEW.active = 0 AND EXISTS (SELECT 1 FROM application_assignments WHERE user_id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'a deactivated account keeps no dossier assigned'); END;

CREATE TABLE application_follows (
  application_id INTEGER NOT NULL REFERENCES applications(id),
  user_id INTEGER NOT NULL REFERENCES users(id),
  authority_id INTEGER NOT NULL REFERENCES authorities(id),
  since TEXT NOT NULL,
  PRIMARY KEY (application_id, user_id)
) STRICT;
CREATE INDEX application_follows_by_user ON application_follows (authority_id, user_id);
CREATE TRIGGER application_follows_one_authority BEFORE INSERT ON application_follows
WHEN NOT EXISTS (SELECT 1 FROM applications a WHERE a.id = NEW.application_id
                   AND a.authority_id = NEW.authority_id)
  OR NOT EXISTS (SELECT 1 FROM users u WHERE u.id = NEW.user_id
                   AND u.authority_id = NEW.authority_id)
BEGIN SELECT RAISE(ABORT, 'a dossier is followed by an account of its authority'); END;

CREATE TABLE saved_filters (
  id INTEGER PRIMARY KEY,
  authority_id INTEGER NOT NULL REFERENCES authorities(id),
  user_id INTEGER NOT NULL REFERENCES users(id),
  name TEXT NOT NULL CHECK (length(trim(name)) BETWEEN 1 AND 80),
  query TEXT NOT NULL CHECK (length(query) <= 2000),
  created_at TEXT NOT NULL,
  UNIQUE (user_id, name)
) STRICT;
CREATE TRIGGER saved_filters_one_authority BEFORE INSERT ON saved_filters
WHEN NOT EXISTS (SELECT 1 FROM users u WHERE u.id = NEW.user_id
                   AND u.authority_id = NEW.authority_id)
BEGIN SELECT RAISE(ABORT, 'a saved filter belongs to an account of its authority'); END;
