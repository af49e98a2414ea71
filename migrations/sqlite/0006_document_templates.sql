-- octroi, SQLite schema 0006: document templates as data (issue 7).
--
-- document_templates: the versions of each template an authority adopted (the model agreement,
-- the draft deliberation, the project sheet…), each a flat ODT (.fodt, XML text) with the act
-- that adopted it ("CP 2022-111") and the dates it applies to. Versions are numbered 1, 2, 3…
-- per authority and template, never changed nor removed: a document generated last year can be
-- traced to the exact version that produced it (the audit trail records its SHA-256). A document
-- dated D is filled with the newest version in force on D, else with octroi's built-in template
-- (version 0, not stored).

CREATE TABLE document_templates (
  id INTEGER PRIMARY KEY,
  authority_id INTEGER NOT NULL REFERENCES authorities(id),
  name TEXT NOT NULL CHECK (name IN ('rapport', 'deliberation', 'fiche_projet', 'convention',
                                     'avenant_transfert', 'notification')),
  version INTEGER NOT NULL CHECK (version >= 1),
  adopted_by TEXT NOT NULL CHECK (length(adopted_by) BETWEEN 1 AND 200),
  applies_from TEXT NOT NULL CHECK (applies_from GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  applies_until TEXT CHECK (applies_until IS NULL OR applies_until >= applies_from),
  content TEXT NOT NULL CHECK (length(content) BETWEEN 1 AND 5000000),
  sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
  uploaded_by TEXT NOT NULL,
  uploaded_at TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT '' CHECK (length(note) <= 2000),
  UNIQUE (authority_id, name, version)
) STRICT;

-- Versions follow each other without a gap, whatever the code does.
CREATE TRIGGER document_templates_next_version BEFORE INSERT ON document_templates
WHEN NEW.version <> 1 + (SELECT coalesce(max(version), 0) FROM document_templates
                         WHERE authority_id = NEW.authority_id AND name = NEW.name)
BEGIN SELECT RAISE(ABORT, 'document_templates: version is not the next one'); END;
CREATE TRIGGER document_templates_append_only_u BEFORE UPDATE ON document_templates
BEGIN SELECT RAISE(ABORT, 'document_templates is append-only'); END;
CREATE TRIGGER document_templates_append_only_d BEFORE DELETE ON document_templates
BEGIN SELECT RAISE(ABORT, 'document_templates is append-only'); END;
