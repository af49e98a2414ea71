-- octroi, PostgreSQL schema 0005: the back office's search and the instructors' services
-- (issue 6). The PostgreSQL 15 counterpart of migrations/sqlite/0005_search_and_services.sql.
--
-- - aid_schemes.service: the service that instructs the scheme's dossiers. An instructor acts
--   only on the dossiers of the schemes of their service; a scheme without a service is
--   instructed by administrators only (deny by default).
-- - api_tokens.service: the service of an instructor's token, as users.service.
-- - application_search: the dossiers' full-text index, accent-insensitive. Derived data, kept by
--   the trigger below and never copied (db copy rebuilds it).
-- - audit_log_by_entity: a dossier's history is read from the audit trail by entity.
--
-- Dialect differences from the SQLite file:
--   - FTS5 -> a table of tsvector documents ('simple' configuration: no stemming, as SQLite's
--     unicode61 tokenizer) with a GIN index. Accents are removed by octroi_fold(), a plain SQL
--     translate() of the Latin letters French uses, rather than the unaccent extension, which a
--     database owner cannot always create; SQLite's remove_diacritics 2 does the same for FTS5.
--   - ASCII punctuation is turned into spaces before to_tsvector: its parser would otherwise
--     keep « www.casaco.fr », « mairie@… » or « click/collect » as one token, where SQLite's
--     unicode61 tokenizer sees words;
--   - the three SQLite triggers -> one AFTER INSERT OR UPDATE trigger that upserts the document;
--     the delete trigger -> ON DELETE CASCADE.

ALTER TABLE aid_schemes ADD COLUMN service text NOT NULL DEFAULT '';
ALTER TABLE api_tokens ADD COLUMN service text NOT NULL DEFAULT '';

CREATE FUNCTION octroi_fold(t text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT lower(replace(replace(replace(replace(
    translate(t, 'ÀÁÂÃÄÅàáâãäåÇçÈÉÊËèéêëÌÍÎÏìíîïÑñÒÓÔÕÖòóôõöÙÚÛÜùúûüÝýÿŸ’',
                 'AAAAAAaaaaaaCcEEEEeeeeIIIIiiiiNnOOOOOoooooUUUUuuuuYyyY '),
    'œ', 'oe'), 'Œ', 'oe'), 'æ', 'ae'), 'Æ', 'ae'))
$$;

CREATE TABLE application_search (
  application_id bigint PRIMARY KEY REFERENCES applications(id) ON DELETE CASCADE,
  document tsvector NOT NULL
);
CREATE INDEX application_search_document ON application_search USING gin (document);

CREATE FUNCTION octroi_application_search() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO application_search (application_id, document)
  SELECT NEW.id, to_tsvector('simple', regexp_replace(
                   octroi_fold(concat_ws(' ', NEW.number, NEW.title, NEW.description, NEW.place,
                                         p.legal_name, p.city)),
                   '[[:punct:]]+', ' ', 'g'))
  FROM parties p WHERE p.id = NEW.party_id
  ON CONFLICT (application_id) DO UPDATE SET document = EXCLUDED.document;
  RETURN NULL;
END
$$;

CREATE TRIGGER application_search_iu
AFTER INSERT OR UPDATE OF number, title, description, place, party_id ON applications
FOR EACH ROW EXECUTE FUNCTION octroi_application_search();

INSERT INTO application_search (application_id, document)
SELECT a.id, to_tsvector('simple', regexp_replace(
                octroi_fold(concat_ws(' ', a.number, a.title, a.description, a.place,
                                      p.legal_name, p.city)),
                '[[:punct:]]+', ' ', 'g'))
FROM applications a JOIN parties p ON p.id = a.party_id;

CREATE INDEX audit_log_by_entity ON audit_log (authority_id, entity, entity_key, seq);
