-- octroi, SQLite schema 0020: expert opinions on a dossier (issue 18, finding 7).
--
-- application_opinions: an opinion (avis) asked of another service about a dossier — the
-- question, who asked and when — and its answer once given: favorable, réservé or défavorable,
-- its text, who gave it and when. An answer is given once: the database refuses to change it.
CREATE TABLE application_opinions (
  id INTEGER PRIMARY KEY,
  authority_id INTEGER NOT NULL REFERENCES authorities(id),
  application_id INTEGER NOT NULL REFERENCES applications(id),
  service TEXT NOT NULL CHECK (length(trim(service)) BETWEEN 1 AND 200),
  question TEXT NOT NULL CHECK (length(trim(question)) BETWEEN 1 AND 5000),
  requested_by TEXT NOT NULL,
  requested_at TEXT NOT NULL,
  opinion TEXT CHECK (opinion IS NULL OR opinion IN ('favorable', 'reserved', 'unfavorable')),
  answer TEXT NOT NULL DEFAULT '' CHECK (length(answer) <= 5000),
  answered_by TEXT,
  answered_at TEXT,
  CHECK ((opinion IS NULL) = (answered_at IS NULL) AND (opinion IS NULL) = (answered_by IS NULL))
) STRICT;
CREATE INDEX application_opinions_by_application ON application_opinions (application_id, id);
CREATE TRIGGER application_opinions_one_authority BEFORE INSERT ON application_opinions
WHEN NOT EXISTS (SELECT 1 FROM applications a WHERE a.id = NEW.application_id
                   AND a.authority_id = NEW.authority_id)
BEGIN SELECT RAISE(ABORT, 'an opinion is asked about a dossier of its authority'); END;
CREATE TRIGGER application_opinions_answered_once BEFORE UPDATE ON application_opinions
WHEN OLD.opinion IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'an opinion once given is never changed'); END;
CREATE TRIGGER application_opinions_kept BEFORE DELETE ON application_opinions
BEGIN SELECT RAISE(ABORT, 'an opinion is never deleted'); END;
