-- octroi, SQLite schema 0005: the back office's search and the instructors' services (issue 6).
--
-- - aid_schemes.service: the service that instructs the scheme's dossiers ("Service de
--   l'artisanat"). An instructor acts only on the dossiers of the schemes of their service; a
--   scheme without a service is instructed by administrators only (deny by default).
-- - api_tokens.service: the service of an instructor's token, as users.service.
-- - application_search: the dossiers' full-text index (FTS5), accent-insensitive
--   (unicode61 remove_diacritics 2: « societe » finds « Société »). Its rowid is the dossier's id;
--   it is derived data, kept by the triggers below and never copied (db copy rebuilds it). The
--   tokenizer removes accents but does not untie ligatures: the triggers write « œ » as « oe »
--   and « æ » as « ae » (text::search_words does the same to the words searched), so that
--   « coeur » finds « Cœur de ville », as octroi_fold() does on PostgreSQL.
-- - audit_log_by_entity: a dossier's history is read from the audit trail by entity.

ALTER TABLE aid_schemes ADD COLUMN service TEXT NOT NULL DEFAULT '';
ALTER TABLE api_tokens ADD COLUMN service TEXT NOT NULL DEFAULT '';

CREATE VIRTUAL TABLE application_search USING fts5(
  number, title, description, place, party, city,
  tokenize = 'unicode61 remove_diacritics 2'
);

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

INSERT INTO application_search (rowid, number, title, description, place, party, city)
SELECT a.id, a.number,
       replace(replace(replace(replace(a.title, 'œ', 'oe'), 'Œ', 'OE'), 'æ', 'ae'), 'Æ', 'AE'),
         replace(replace(replace(replace(a.description, 'œ', 'oe'), 'Œ', 'OE'), 'æ', 'ae'), 'Æ', 'AE'),
         replace(replace(replace(replace(a.place, 'œ', 'oe'), 'Œ', 'OE'), 'æ', 'ae'), 'Æ', 'AE'),
         replace(replace(replace(replace(p.legal_name, 'œ', 'oe'), 'Œ', 'OE'), 'æ', 'ae'), 'Æ', 'AE'),
         replace(replace(replace(replace(p.city, 'œ', 'oe'), 'Œ', 'OE'), 'æ', 'ae'), 'Æ', 'AE')
FROM applications a JOIN parties p ON p.id = a.party_id;

CREATE INDEX audit_log_by_entity ON audit_log (authority_id, entity, entity_key, seq);
